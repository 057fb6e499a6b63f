import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDatabase } from '../../../cli/event-database';
import { EVENT_TYPES } from '../../../shared/contracts/event-types';
import { ATHENA_DIALECT, DUCKDB_DIALECT } from '../../../shared/sql/dialect';
import {
  inlineReportSql,
  REPORT_QUERIES,
  REPORT_QUERY_KEYS,
  type ReportWindow,
  stagedReportSql,
} from '../../../shared/sql/report-queries';
import { RAW_TABLE_NAMES, typedFieldsSelect } from '../../../shared/sql/typed-events';
import { ALL_VIEWS } from '../../../shared/sql/view-catalog';
import { UNIQUE_VIEW_NAMES, viewSelect } from '../../../shared/sql/views';
import { translateTrino } from '../../support/trino-on-duckdb/translate';
import { type PruningCatalog, trinoPruning } from '../../support/trino-pruning';
import { jsonRows, openSampleEngines, type SampleEngines } from './sample-engines';

/**
 * The report's queries (shared/sql/report-queries.ts): the Athena text of each, translated onto
 * DuckDB with Trino's semantics (test/support/trino-on-duckdb/), gives the rows the CLI's staged
 * DuckDB statements give over the same files (sample, Elastic and generated events with repeated
 * deliveries, drift and edge cases); its `dt` filter reaches the raw table's scan; and the staged
 * events are exactly the de-duplicated views' rows.
 */

const DAY_MS = 86_400_000;
const now = Date.now();
const day = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString().slice(0, 10);

let engines: SampleEngines;
let local: EventDatabase;
let athena: SampleEngines['athena'];

beforeAll(async () => {
  engines = await openSampleEngines(now);
  ({ local, athena } = engines);
});

afterAll(() => engines?.close());

/** The rows sorted, to compare as a multiset. */
async function rows(connection: DuckDBConnection, sql: string): Promise<string[]> {
  return (await jsonRows(connection, sql)).sort();
}

/** The staged statements' rows on the CLI's database: temporary tables, then each query. */
async function stagedRows(window: ReportWindow): Promise<Record<string, string[]>> {
  const { setup, queries } = stagedReportSql(EVENT_TYPES, window);
  for (const statement of setup) await local.connection.run(statement);
  const result: Record<string, string[]> = {};
  for (const key of REPORT_QUERY_KEYS) result[key] = await rows(local.connection, queries[key]);
  return result;
}

describe.each([
  { name: 'every day of the sample data', window: { firstDay: '2000-01-01' } },
  { name: 'the last 30 days', window: { firstDay: day(29) } },
])('the report over $name', ({ window }) => {
  let staged: Record<string, string[]>;
  beforeAll(async () => {
    staged = await stagedRows(window);
  });

  it.each(REPORT_QUERY_KEYS)("%s: the Athena text gives the staged DuckDB text's rows", async (key) => {
    const trino = await rows(athena.connection, translateTrino(inlineReportSql(key, window).athena));
    expect(trino.length).toBeGreaterThan(0);
    expect(trino).toEqual(staged[key]);
    // The same statement in DuckDB's text, read inline as Athena reads it, agrees too.
    expect(await rows(local.connection, inlineReportSql(key, window).duckdb)).toEqual(staged[key]);
  });

  it.each(EVENT_TYPES)(
    "%s: the staged events are the de-duplicated view's rows in the window",
    async (type) => {
      const names = stagedReportSql([type], window);
      const events = await rows(
        local.connection,
        `SELECT dt, uuid FROM ${names.setup[1]?.match(/TEMP TABLE (\S+)/)?.[1]}`,
      );
      const unique = await rows(
        local.connection,
        `SELECT dt, uuid FROM ${UNIQUE_VIEW_NAMES[type]} WHERE dt >= '${window.firstDay}'`,
      );
      expect(events.length).toBeGreaterThan(0);
      expect(events).toEqual(unique);
    },
  );
});

describe('typedFieldsSelect: a few fields read as the typed table reads them', () => {
  const FIELDS = {
    signinattempts: {
      u: 'uuid',
      c: 'category',
      e: 'target_user.email',
      l: 'location.country',
      m: '_collector',
    },
    itemusages: {
      u: 'uuid',
      a: 'action',
      n: 'user.name',
      k: '_collector.chunk',
      r: '_collector.received_at',
    },
    auditevents: { u: 'uuid', a: 'action', o: 'object_type', s: 'session', x: 'aux_id' },
  } as const;

  it.each(EVENT_TYPES)(
    "%s: the same values as the typed table's columns, drifted fields NULL alike, in both engines",
    async (type) => {
      const fields: Record<string, string> = FIELDS[type];
      const path = (dotted: string) =>
        dotted
          .split('.')
          .map((k) => `"${k}"`)
          .join('.');
      const fromTable = `SELECT ${Object.entries(fields)
        .map(([name, dotted]) => `${path(dotted)} AS ${name}`)
        .join(', ')}, dt FROM ${type}`;
      const expected = await rows(local.connection, fromTable);
      expect(expected.length).toBeGreaterThan(50);
      expect(await rows(local.connection, typedFieldsSelect(DUCKDB_DIALECT, type, fields))).toEqual(expected);
      expect(
        await rows(athena.connection, translateTrino(typedFieldsSelect(ATHENA_DIALECT, type, fields))),
      ).toEqual(expected);
    },
  );

  it.each(EVENT_TYPES)(
    '%s: an object check is whether the typed struct column holds a value, in both engines',
    async (type) => {
      const expected = await rows(
        local.connection,
        `SELECT "uuid" AS u, "_collector"."chunk" IS NOT NULL AS chunked, dt FROM ${type}`,
      );
      expect(expected.some((row) => row.includes('"chunked":true'))).toBe(true);
      const select = (d: typeof DUCKDB_DIALECT) =>
        typedFieldsSelect(d, type, { u: 'uuid' }, { chunked: '_collector.chunk' });
      expect(await rows(local.connection, select(DUCKDB_DIALECT))).toEqual(expected);
      expect(await rows(athena.connection, translateTrino(select(ATHENA_DIALECT)))).toEqual(expected);
    },
  );

  it('refuses an object check of a field that is not a struct', () => {
    expect(() => typedFieldsSelect(DUCKDB_DIALECT, 'itemusages', {}, { x: 'action' })).toThrow(
      'itemusages.action is not a struct',
    );
  });

  it('refuses a field the type does not have', () => {
    expect(() => typedFieldsSelect(DUCKDB_DIALECT, 'itemusages', { x: 'category' })).toThrow(
      'itemusages has no field category',
    );
  });
});

describe('what the report reads', () => {
  const catalog: PruningCatalog = {
    partitionedTables: new Set(Object.values(RAW_TABLE_NAMES)),
    views: new Map(ALL_VIEWS.map((view) => [view.name, viewSelect(view).athena])),
  };

  it.each(REPORT_QUERY_KEYS)("%s: the window's dt filter reaches the raw table's scan in Athena", (key) => {
    const report = trinoPruning(inlineReportSql(key, { firstDay: '2026-11-07' }).athena, catalog);
    expect(report.stopped).toEqual([]);
    expect(report.reached).toEqual([RAW_TABLE_NAMES[REPORT_QUERIES[key].eventType]]);
  });

  it('reads each type once on DuckDB: one statement per type reads its table, the queries read the copies', () => {
    const { setup, queries } = stagedReportSql(EVENT_TYPES, { firstDay: '2026-11-07' });
    for (const type of EVENT_TYPES) {
      expect(setup.filter((s) => s.includes(`FROM ${RAW_TABLE_NAMES[type]}`))).toHaveLength(1);
    }
    for (const sql of Object.values(queries))
      expect(sql).not.toMatch(/_raw\b|FROM (auditevents|itemusages|signinattempts)\b/);
  });

  it('refuses a window that is not a date, rather than writing it into SQL', () => {
    expect(() => inlineReportSql('auditByDay', { firstDay: "2026-01-01' OR 1=1 --" })).toThrow(/YYYY-MM-DD/);
  });
});
