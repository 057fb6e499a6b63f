import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWindowRuleOnDuckDb } from '../../../cli/detections/duckdb-rules';
import { type WindowSqlRunner, windowCaseDetections } from '../../../cli/detections/rule-cases';
import { EVENT_TYPES } from '../../../shared/contracts/event-types';
import { eventsPrefixFor } from '../../../shared/contracts/s3-layout';
import { windowRuleCases } from '../../../shared/detections/rules/case-list';
import { WINDOW_RULES } from '../../../shared/detections/rules/window-rule-list';
import { DEFAULT_DETECTION_SETTINGS } from '../../../shared/detections/settings';
import { WINDOW_RULE_VIEWS, windowRuleSql } from '../../../shared/detections/window-query';
import { duckDbRawTable, RAW_TABLE_NAMES } from '../../../shared/sql/typed-events';
import { viewSelect } from '../../../shared/sql/views';
import { openTrinoSession } from '../../support/trino-on-duckdb/database';
import { translateTrino } from '../../support/trino-on-duckdb/translate';

/**
 * Every window rule's cases, run in both of its texts over the case's events laid out as the
 * collector writes them: the DuckDB text as `op-events detections run` runs it, and the Athena
 * (Trino) text translated onto DuckDB with Trino's semantics (test/support/trino-on-duckdb/), over
 * the views created from their Athena text too (translated once here: only those the rules read).
 */
const TRINO_VIEWS = WINDOW_RULE_VIEWS.map(
  (view) => `CREATE VIEW ${view.name} AS ${translateTrino(viewSelect(view).athena)}`,
);

/**
 * One Trino session for the file (its macros are slow to create); each case replaces the tables and
 * views.
 */
let session: Awaited<ReturnType<typeof openTrinoSession>> | undefined;
afterAll(() => session?.close());

const runTrino: WindowSqlRunner = async (s3Dir, rule, window, settings) => {
  session ??= await openTrinoSession();
  const { connection } = session;
  for (const view of [...WINDOW_RULE_VIEWS].reverse())
    await connection.run(`DROP VIEW IF EXISTS ${view.name}`);
  for (const type of EVENT_TYPES) {
    const kind = (
      await connection.runAndReadAll(
        `SELECT table_type FROM information_schema.tables WHERE table_name = '${RAW_TABLE_NAMES[type]}'`,
      )
    ).getRowObjectsJson()[0]?.table_type;
    if (kind) await connection.run(`DROP ${kind === 'VIEW' ? 'VIEW' : 'TABLE'} ${RAW_TABLE_NAMES[type]}`);
    const folder = join(s3Dir, eventsPrefixFor(type));
    await connection.run(duckDbRawTable(type, existsSync(folder) ? join(folder, '**', '*.gz') : undefined));
  }
  for (const statement of TRINO_VIEWS) await connection.run(statement);
  const sql = translateTrino(windowRuleSql(rule, window, settings, 'athena'));
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
};

const END = Math.floor(Date.now() / 60_000) * 60_000;

describe.each(WINDOW_RULES.map((rule) => [rule.id, rule] as const))('window rule %s', (_id, rule) => {
  const cases = windowRuleCases(rule);

  it('has cases that fire and cases that stay quiet', () => {
    expect(cases.fires.length).toBeGreaterThan(0);
    expect(cases.quiet.length).toBeGreaterThan(0);
    for (const c of cases.fires) expect(c.groupKeys.length).toBeGreaterThan(0);
    for (const c of cases.quiet) expect(c.groupKeys).toEqual([]);
  });

  it.each(cases.quiet.map((c) => [c.name, c] as const))(
    'stays quiet "%s" in both texts',
    async (_name, c) => {
      expect(await windowCaseDetections(rule, c, runWindowRuleOnDuckDb, END)).toEqual([]);
      expect(await windowCaseDetections(rule, c, runTrino, END)).toEqual([]);
    },
  );

  it.each(cases.fires.map((c) => [c.name, c] as const))(
    'fires "%s": the same detections from both texts, their events and times from the case',
    async (_name, c) => {
      const duck = await windowCaseDetections(rule, c, runWindowRuleOnDuckDb, END);
      const trino = await windowCaseDetections(rule, c, runTrino, END);
      expect(duck.map((d) => d.group_key).sort()).toEqual([...c.groupKeys].sort());
      expect(trino).toEqual(duck);
      const placed = Object.values(c.events).flat();
      for (const detection of duck) {
        expect(detection.event_uuids.length).toBeGreaterThan(0);
        for (const uuid of detection.event_uuids) {
          expect(placed.map((p) => p?.event.uuid)).toContain(uuid);
        }
        expect(Date.parse(detection.first_seen)).toBeLessThanOrEqual(Date.parse(detection.last_seen));
        expect(Date.parse(detection.last_seen)).toBeLessThanOrEqual(END);
        expect(detection.query).toMatch(
          /_unique WHERE dt BETWEEN '\d{4}-\d{2}-\d{2}' AND '\d{4}-\d{2}-\d{2}'/,
        );
        expect(Object.keys(detection.key_fields)).toEqual(rule.keyColumns);
      }
    },
  );

  it('the Athena text prunes dt to the days of the window and its look-back', () => {
    const since = Date.UTC(2026, 11, 5, 23, 0);
    const window = { sinceMs: since, untilMs: since + 2 * 3_600_000 };
    const sql = windowRuleSql(rule, window, DEFAULT_DETECTION_SETTINGS, 'athena');
    const from = new Date(since - rule.lookbackMs(DEFAULT_DETECTION_SETTINGS)).toISOString().slice(0, 10);
    expect(sql).toContain(`dt >= '${from}' AND dt <= '2026-12-06'`);
  });
});
