import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImportGraph } from '../../support/import-graph';

const REPO = resolve(import.meta.dirname, '../../..');

/**
 * The collector's bundle takes shared/detections/event-rules.ts: nothing it reaches may be SQL, CLI
 * or CDK code.
 */
describe('the one-event rules stay light', () => {
  const { graph } = readImportGraph(REPO, ['shared', 'cli', 'infra', 'local']);

  function reachableFrom(start: string): string[] {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const next of graph.get(file) ?? []) visit(next);
    };
    visit(start);
    return [...seen].sort();
  }

  it('event-rules.ts reaches every one-event rule and no shared/sql, cli/, infra/ or local/ module', () => {
    const files = reachableFrom('shared/detections/event-rules.ts');
    expect(files).toContain('shared/detections/rules/vault-export.ts');
    expect(files.filter((file) => /^(shared\/sql|cli|infra|local)\//.test(file))).toEqual([]);
  });
});
