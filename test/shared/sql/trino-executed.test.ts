import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDatabase } from '../../../cli/event-database';
import { viewProbeSql } from '../../../cli/verify/view-checks';
import { EVENT_TYPES } from '../../../shared/contracts/event-types';
import { PARTITION_COLUMN } from '../../../shared/contracts/s3-layout';
import { toDuckDbType } from '../../../shared/contracts/table-schema';
import { NAMED_QUERIES } from '../../../shared/sql/named-queries';
import { DRIFT_VIEW_NAMES } from '../../../shared/sql/typed-events';
import { ALL_VIEWS } from '../../../shared/sql/view-catalog';
import { translateTrino } from '../../support/trino-on-duckdb/translate';
import { openSampleEngines, jsonRows as rows, type SampleEngines } from './sample-engines';

/**
 * Every SQL text the stack deploys runs here in its ATHENA (Trino) text, translated onto DuckDB with
 * Trino's documented semantics (test/support/trino-on-duckdb/, each function tested on its own in
 * trino-on-duckdb.test.ts), over the sample and generated events (test/support/sql-sample-data.ts);
 * its rows must equal those of the DuckDB text `op-events query` runs, on the same files.
 */

let engines: SampleEngines;
let local: EventDatabase;
let athena: SampleEngines['athena'];

beforeAll(async () => {
  engines = await openSampleEngines();
  ({ local, athena } = engines);
});

afterAll(() => engines?.close());

/** The rows as a sorted list, to compare as a multiset. */
const sorted = (list: string[]) => [...list].sort();

describe('the Athena text of every deployed statement, executed', () => {
  it('creates every view from its Athena text (the DuckDB text too)', () => {
    expect(local.viewFailures).toEqual([]);
  });

  it.each(ALL_VIEWS.map((view) => ({ name: view.name, view })))(
    "view $name: the Athena text gives the DuckDB text's rows and the declared column types",
    async ({ view }) => {
      const trinoRows = await rows(athena.connection, `SELECT * FROM ${view.name}`);
      const duckRows = await rows(local.connection, `SELECT * FROM ${view.name}`);
      expect(trinoRows.length).toBeGreaterThan(0);
      expect(sorted(trinoRows)).toEqual(sorted(duckRows));
      const described = await athena.connection.runAndReadAll(`DESCRIBE ${view.name}`);
      const unquoted = (type: unknown) => String(type).replaceAll('"', '');
      expect(
        (described.getRowObjectsJson() as { column_name: string; column_type: string }[]).map((c) => [
          c.column_name,
          unquoted(c.column_type),
        ]),
      ).toEqual(view.columns.map((c) => [c.name, unquoted(toDuckDbType(c.type))]));
    },
  );

  it.each(NAMED_QUERIES.map((query) => ({ name: query.name, query })))(
    'saved query "$name": the Athena text gives the DuckDB text\'s rows',
    async ({ query }) => {
      const trinoRows = await rows(athena.connection, translateTrino(query.sql.athena));
      const duckRows = await rows(local.connection, query.sql.duckdb);
      expect(trinoRows.length).toBeGreaterThan(0);
      // Sorted: rows that tie on the ORDER BY keys may come in any order in either engine.
      expect(sorted(trinoRows)).toEqual(sorted(duckRows));
    },
  );
});

describe('what op-events verify runs in Athena', () => {
  const overEvents = ALL_VIEWS.filter((view) => view.columns.some((c) => c.name === PARTITION_COLUMN));
  it.each(overEvents.map((view) => view.name))('%s answers its probe with one row', async (name) => {
    // verify probes one day S3 holds; here, the latest day the view has rows on.
    const reader = await local.connection.runAndReadAll(`SELECT max(dt) AS dt FROM ${name}`);
    const day = String(reader.getRowObjectsJson()[0]?.dt);
    expect(await rows(athena.connection, translateTrino(viewProbeSql(name, day)))).toHaveLength(1);
  });
});

describe('<type>_drift in both engines', () => {
  it.each(EVENT_TYPES)('%s: no field a line lacks or holds as JSON null is listed', async (type) => {
    for (const connection of [athena.connection, local.connection]) {
      const listed = await rows(
        connection,
        `SELECT field, arrived_as FROM ${DRIFT_VIEW_NAMES[type]}
         WHERE uuid IN ('MINIMAL', 'NULLS', 'ITEM-MINIMAL', 'AUDIT-MINIMAL', 'COUNTRY-NAME', 'DETAILS')
            OR field IN ('_chunk', '_collector.chunk', '_collector.chunk.uuid')`,
      );
      expect(listed).toEqual([]);
    }
  });

  it.each(EVENT_TYPES)(
    '%s: a drifted field is listed once with what arrived, in both engines',
    async (type) => {
      const sql = `SELECT uuid, field, arrived_as, value FROM ${DRIFT_VIEW_NAMES[type]} WHERE uuid LIKE 'DRIFT-%' ORDER BY ALL`;
      const trino = await rows(
        athena.connection,
        translateTrino(
          `SELECT uuid, field, arrived_as, value FROM ${DRIFT_VIEW_NAMES[type]} WHERE substr(uuid, 1, 6) = 'DRIFT-'`,
        ),
      );
      const duck = await rows(local.connection, sql);
      expect(duck.length).toBeGreaterThan(0);
      expect(sorted(trino)).toEqual(duck);
      for (const row of duck) {
        const { uuid, field } = JSON.parse(row) as { uuid: string; field: string };
        expect(uuid.startsWith(`DRIFT-${field.toUpperCase()}-`), row).toBe(true);
      }
    },
  );
});

describe('one value per country (ISO 3166-1 alpha-2 where known, the name beside it), in both engines', () => {
  /** The same query in both engines: its rows from the Trino text and from the DuckDB text. */
  async function both(trinoSql: string, duckSql = trinoSql): Promise<string[]> {
    const trino = sorted(await rows(athena.connection, translateTrino(trinoSql)));
    expect(sorted(await rows(local.connection, duckSql))).toEqual(trino);
    return trino;
  }

  it('"Failed sign-ins" counts FR and France of one user as one country', async () => {
    const query = NAMED_QUERIES.find((q) =>
      q.name.startsWith('Failed sign-ins'),
    ) as (typeof NAMED_QUERIES)[number];
    const pick = (sql: string) =>
      `SELECT sign_in_country, country_name, category, attempts FROM (${sql.replace(/LIMIT 500\s*$/, '')}) q WHERE user_uuid = 'EDGE-USER'`;
    expect((await both(pick(query.sql.athena), pick(query.sql.duckdb))).map((r) => JSON.parse(r))).toEqual([
      {
        sign_in_country: 'Atlantis',
        country_name: 'Atlantis',
        category: 'credentials_failed',
        attempts: '1',
      },
      { sign_in_country: 'FR', country_name: 'France', category: 'credentials_failed', attempts: '3' },
    ]);
  });

  it('the ECS and OCSF views give the code and the name whichever of the two arrived', async () => {
    const ids = "('COUNTRY-CODE', 'COUNTRY-NAME-LOC')";
    const ecs = await both(
      `SELECT onepassword.uuid AS id, source.geo.country_iso_code AS code, source.geo.country_name AS name FROM signinattempts_ecs WHERE onepassword.uuid IN ${ids}`,
    );
    expect(ecs.map((r) => JSON.parse(r))).toEqual([
      { id: 'COUNTRY-CODE', code: 'FR', name: 'France' },
      { id: 'COUNTRY-NAME-LOC', code: 'FR', name: 'France' },
    ]);
    const ocsf = await both(
      `SELECT metadata.uid AS id, src_endpoint.location.country AS code, src_endpoint.location."desc" AS name FROM signinattempts_ocsf WHERE metadata.uid IN ${ids}`,
    );
    expect(ocsf.map((r) => JSON.parse(r))).toEqual([
      { id: 'COUNTRY-CODE', code: 'FR', name: 'France' },
      { id: 'COUNTRY-NAME-LOC', code: 'FR', name: 'France' },
    ]);
  });

  it('country_codes knows each spelling once, upper-cased as both engines upper-case it', async () => {
    const spellings = await both(
      'SELECT spelling, count(*) AS n FROM country_codes GROUP BY 1 HAVING count(*) > 1',
    );
    expect(spellings).toEqual([]);
    expect(await both('SELECT spelling FROM country_codes WHERE spelling <> upper(spelling)')).toEqual([]);
    expect(
      (
        await both(
          'SELECT code, name FROM country_codes WHERE spelling IN (' +
            "'FRANCE', 'FR', 'UNITED STATES OF AMERICA', 'CÔTE D''IVOIRE', 'COTE D’IVOIRE', 'RUSSIAN FEDERATION')",
        )
      ).map((r) => JSON.parse(r)),
    ).toEqual([
      { code: 'CI', name: 'Côte d’Ivoire' },
      { code: 'CI', name: 'Côte d’Ivoire' },
      { code: 'FR', name: 'France' },
      { code: 'FR', name: 'France' },
      { code: 'RU', name: 'Russia' },
      { code: 'US', name: 'United States' },
    ]);
  });

  it("country_codes knows CLDR's names as sources also write them: and for &, Saint for St., no accents", async () => {
    const found = await both(
      'SELECT spelling, code, name FROM country_codes WHERE spelling IN (' +
        "'BOSNIA & HERZEGOVINA', 'BOSNIA AND HERZEGOVINA', 'SAINT LUCIA', 'ST. LUCIA', 'SAO TOME AND PRINCIPE', " +
        "'KOREA, REPUBLIC OF', 'UK', 'REUNION')",
    );
    expect(found.map((r) => JSON.parse(r))).toEqual([
      { spelling: 'BOSNIA & HERZEGOVINA', code: 'BA', name: 'Bosnia & Herzegovina' },
      { spelling: 'BOSNIA AND HERZEGOVINA', code: 'BA', name: 'Bosnia & Herzegovina' },
      { spelling: 'KOREA, REPUBLIC OF', code: 'KR', name: 'South Korea' },
      { spelling: 'REUNION', code: 'RE', name: 'Réunion' },
      { spelling: 'SAINT LUCIA', code: 'LC', name: 'St. Lucia' },
      { spelling: 'SAO TOME AND PRINCIPE', code: 'ST', name: 'São Tomé & Príncipe' },
      { spelling: 'ST. LUCIA', code: 'LC', name: 'St. Lucia' },
      { spelling: 'UK', code: 'GB', name: 'United Kingdom' },
    ]);
  });
});
