import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOKUP_KINDS, lookupKeyFor } from '../../../shared/contracts/lookup-schema';
import type { EngineSql } from '../../../shared/sql/dialect';
import { ECS_VIEWS } from '../../../shared/sql/ecs-views';
import { NAMED_QUERIES } from '../../../shared/sql/named-queries';
import { OCSF_VIEWS } from '../../../shared/sql/ocsf-views';
import { inlineReportSql, REPORT_QUERY_KEYS } from '../../../shared/sql/report-queries';
import { translateTrino } from '../../support/trino-on-duckdb/translate';
import { jsonRows, openSampleEngines, type SampleEngines } from './sample-engines';

/**
 * Lookups are the user's tables (`op-events lookups load`, or refreshed by hand in S3): one may list
 * an id twice, in another case, or once with its names and once without. Every view and query that
 * joins a lookup must then give exactly the rows it gives with each id listed once, in both engines
 * (the DuckDB text, and the Athena text run through test/support/trino-on-duckdb/): no event shown
 * twice, no count doubled, and no name that depends on which of the repeats an engine reads first.
 */

const now = Date.now();
let once: SampleEngines;
let repeated: SampleEngines;

/** Each lookup row, then the same id in upper case, then the same id with every other column NULL. */
function repeatEveryId(s3Dir: string): void {
  for (const kind of LOOKUP_KINDS) {
    const file = join(s3Dir, lookupKeyFor(kind));
    const rows = gunzipSync(readFileSync(file))
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, string | null>);
    expect(rows.length).toBeGreaterThan(0);
    const repeats = rows.flatMap((row) => [
      row,
      { ...row, id: String(row.id).toUpperCase() },
      { ...Object.fromEntries(Object.keys(row).map((key) => [key, null])), id: row.id },
    ]);
    writeFileSync(file, gzipSync(`${repeats.map((row) => JSON.stringify(row)).join('\n')}\n`));
  }
}

beforeAll(async () => {
  once = await openSampleEngines(now);
  repeated = await openSampleEngines(now, repeatEveryId);
});

afterAll(() => {
  once?.close();
  repeated?.close();
});

/** A session's rows sorted, to compare as a multiset. */
async function rows(session: { connection: DuckDBConnection }, sql: string): Promise<string[]> {
  return (await jsonRows(session.connection, sql)).sort();
}

type Engine = keyof EngineSql;

/** The statement's rows with each id once and with each id repeated, in one engine's text. */
async function compare(engine: Engine, sql: EngineSql): Promise<void> {
  const session = (engines: SampleEngines) => (engine === 'athena' ? engines.athena : engines.local);
  const text = engine === 'athena' ? translateTrino(sql.athena) : sql.duckdb;
  const expected = await rows(session(once), text);
  expect(expected.length).toBeGreaterThan(0);
  expect(await rows(session(repeated), text)).toEqual(expected);
}

const selectAll = (name: string): EngineSql => ({
  athena: `SELECT * FROM ${name}`,
  duckdb: `SELECT * FROM ${name}`,
});

describe.each<Engine>(['duckdb', 'athena'])('a lookup that lists an id more than once, %s text', (engine) => {
  it.each([...ECS_VIEWS, ...OCSF_VIEWS].map((view) => view.name))(
    'view %s: the same rows as with each id once',
    async (name) => compare(engine, selectAll(name)),
  );

  it.each(NAMED_QUERIES.map((query) => ({ name: query.name, query })))(
    'saved query "$name": the same rows as with each id once',
    async ({ query }) => compare(engine, query.sql),
  );

  it.each(REPORT_QUERY_KEYS)('report query %s: the same rows as with each id once', async (key) =>
    compare(engine, inlineReportSql(key, { firstDay: '2000-01-01' })),
  );
});

describe('the sample lookups', () => {
  it('name events at all (the comparisons above are not of empty names)', async () => {
    const named = await rows(
      once.local,
      `SELECT count(*) AS n FROM itemusages_ecs
         WHERE onepassword.item_title IS NOT NULL AND onepassword.vault_name IS NOT NULL`,
    );
    expect(JSON.parse(named[0] ?? '{}').n).not.toBe('0');
  });
});
