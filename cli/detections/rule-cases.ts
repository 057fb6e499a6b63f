import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Detection } from '../../shared/detections/detection';
import { evaluateEventRules } from '../../shared/detections/event-rules';
import type { EventRule } from '../../shared/detections/rule';
import { eventRuleCases, windowRuleCases } from '../../shared/detections/rules/case-list';
import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from '../../shared/detections/settings';
import { detectionsFromRows } from '../../shared/detections/window-query';
import type { DetectionWindow, WindowRule, WindowRuleCase } from '../../shared/detections/window-rule';
import { describeError } from '../../shared/util/errors';
import { placeCase, writeEventFiles } from './case-events';

/** One test case of one rule, run. */
export interface CaseOutcome {
  readonly ruleId: string;
  readonly caseName: string;
  readonly expected: 'fires' | 'quiet';
  readonly passed: boolean;
  /** What went wrong, when it did not pass. */
  readonly problem?: string;
}

/** Every case of a one-event rule, through evaluateEventRules as the collector calls it. */
export function eventRuleOutcomes(rule: EventRule): CaseOutcome[] {
  const run = (expected: 'fires' | 'quiet') =>
    eventRuleCases(rule)[expected].map((c): CaseOutcome => {
      const ids = evaluateEventRules(rule.eventType, [c.event], c.settings ?? DEFAULT_DETECTION_SETTINGS).map(
        (d) => d.rule_id,
      );
      const fired = ids.includes(rule.id);
      const passed = fired === (expected === 'fires');
      return {
        ruleId: rule.id,
        caseName: c.name,
        expected,
        passed,
        ...(passed ? {} : { problem: fired ? 'it fired' : 'it did not fire' }),
      };
    });
  return [...run('fires'), ...run('quiet')];
}

/** Runs a window rule's SQL over a folder of event files and gives its rows. */
export type WindowSqlRunner = (
  s3Dir: string,
  rule: WindowRule,
  window: DetectionWindow,
  settings: DetectionSettings,
) => Promise<Record<string, unknown>[]>;

/**
 * Every case of a window rule: its events written as the collector lays them out in a folder of
 * their own, the rule's SQL run over them, the group keys of the detections compared.
 */
export async function windowRuleOutcomes(
  rule: WindowRule,
  runSql: WindowSqlRunner,
  endMs: number,
): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const expected of ['fires', 'quiet'] as const) {
    for (const c of windowRuleCases(rule)[expected])
      outcomes.push(await windowCase(rule, c, expected, runSql, endMs));
  }
  return outcomes;
}

/** The detections a window rule's SQL gives over one case's events (in a folder of their own). */
export async function windowCaseDetections(
  rule: WindowRule,
  c: WindowRuleCase,
  runSql: WindowSqlRunner,
  endMs: number,
): Promise<Detection[]> {
  const dir = mkdtempSync(join(tmpdir(), 'op-events-rule-case-'));
  try {
    const placed = placeCase(c, endMs);
    writeEventFiles(dir, placed.events);
    const rows = await runSql(dir, rule, placed.window, c.settings ?? DEFAULT_DETECTION_SETTINGS);
    return detectionsFromRows(rule, rows as never);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function windowCase(
  rule: WindowRule,
  c: WindowRuleCase,
  expected: 'fires' | 'quiet',
  runSql: WindowSqlRunner,
  endMs: number,
): Promise<CaseOutcome> {
  try {
    const keys = (await windowCaseDetections(rule, c, runSql, endMs)).map((d) => d.group_key).sort();
    const wanted = [...c.groupKeys].sort();
    const passed = JSON.stringify(keys) === JSON.stringify(wanted);
    return {
      ruleId: rule.id,
      caseName: c.name,
      expected,
      passed,
      ...(passed
        ? {}
        : { problem: `group keys ${JSON.stringify(keys)}, expected ${JSON.stringify(wanted)}` }),
    };
  } catch (error) {
    return { ruleId: rule.id, caseName: c.name, expected, passed: false, problem: describeError(error) };
  }
}
