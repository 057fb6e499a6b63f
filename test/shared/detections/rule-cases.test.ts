import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../../shared/detections/catalogue';
import { EVENT_RULE_CASES, WINDOW_RULE_CASES } from '../../../shared/detections/rules/case-list';

const REPO = resolve(import.meta.dirname, '../../..');
const RULES_DIR = resolve(REPO, 'shared/detections/rules');

describe("each rule's cases, in a file of their own beside it", () => {
  const idsOf = (kind: 'event' | 'window') =>
    ALL_RULES.filter((rule) => rule.kind === kind)
      .map((rule) => rule.id)
      .sort();

  it('every rule has cases, and every cases names a rule of its kind, once', () => {
    expect(EVENT_RULE_CASES.map((cases) => cases.ruleId).sort()).toEqual(idsOf('event'));
    expect(WINDOW_RULE_CASES.map((cases) => cases.ruleId).sort()).toEqual(idsOf('window'));
  });

  it('every rule has cases that fire and cases that stay quiet', () => {
    const empty = [...EVENT_RULE_CASES, ...WINDOW_RULE_CASES].filter(
      (cases) => cases.fires.length === 0 || cases.quiet.length === 0,
    );
    expect(empty.map((cases) => cases.ruleId)).toEqual([]);
  });

  it('each cases file is named after its rule and listed', () => {
    const files = readdirSync(RULES_DIR).filter((name) => name.endsWith('.cases.ts'));
    const listed = [...EVENT_RULE_CASES, ...WINDOW_RULE_CASES].map((cases) => `${cases.ruleId}.cases.ts`);
    expect(files.sort()).toEqual(listed.sort());
  });
});

/**
 * What each Lambda's bundle holds, from esbuild's metafile (packages left out: only this
 * repository's modules matter here).
 */
async function bundledModules(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [resolve(REPO, entry)],
    absWorkingDir: REPO,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('the Lambda bundles carry the rules, not their test cases', () => {
  const testData = (modules: string[]) =>
    modules.filter((path) => path.endsWith('.cases.ts') || path.endsWith('rules/sample-events.ts'));

  it('the collector bundles every one-event rule and no cases file or sample event', async () => {
    const modules = await bundledModules('functions/collector.ts');
    expect(modules).toContain('shared/detections/rules/vault-export.ts');
    expect(testData(modules)).toEqual([]);
  });

  it('the scheduled rules function bundles every window rule and no cases file or sample event', async () => {
    const modules = await bundledModules('functions/detections/scheduled-rules.ts');
    expect(modules).toContain('shared/detections/rules/sign-in-brute-force.ts');
    expect(testData(modules)).toEqual([]);
  });
});
