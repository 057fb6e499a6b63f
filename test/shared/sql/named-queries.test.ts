import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventDatabase, openEventDatabase } from '../../../cli/event-database';
import { EVENT_TYPES, type EventType } from '../../../shared/contracts/event-types';
import { toDuckDbType } from '../../../shared/contracts/table-schema';
import { NAMED_QUERIES, namedQueriesFor } from '../../../shared/sql/named-queries';
import { ALL_VIEWS, deployedViewsFor } from '../../../shared/sql/view-catalog';
import { UNIQUE_VIEW_NAMES, VIEW_DEFINITIONS, viewSelect } from '../../../shared/sql/views';

/**
 * The views and named queries are rendered for Athena (Trino: test/shared/sql/trino-grammar.test.ts)
 * and for DuckDB. Here the DuckDB text of every one runs, through the CLI's own event database, over
 * NDJSON laid out as Firehose writes it (events/<type>/dt=YYYY-MM-DD/*.gz), with sample events placed
 * relative to today so the time windows are exercised.
 */

const DAY_MS = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);

let seq = 0;
function line(type: EventType, day: number, event: Record<string, unknown>, receivedAt?: string): string {
  const date = daysAgo(day);
  seq += 1;
  return JSON.stringify({
    ...event,
    timestamp: `${date}T10:00:${String(seq % 60).padStart(2, '0')}.123456789Z`,
    _collector: {
      type,
      event_date: date,
      received_at: receivedAt ?? `${date}T10:01:00.000Z`,
      run_id: `run-${seq}`,
    },
    an_unknown_future_field: { nested: [1, 2, 3] },
  });
}

const user = (id: string) => ({ uuid: id, name: id.toUpperCase(), email: `${id}@example.com` });

function sampleLines(): Record<EventType, string[]> {
  const signin = (
    day: number,
    u: string,
    category: string,
    country: string,
    extra: Record<string, unknown> = {},
  ) =>
    line('signinattempts', day, {
      uuid: `S${++seq}`,
      session_uuid: 'sess',
      category,
      type: category === 'success' ? 'credentials_ok' : 'password_secret_bad',
      country,
      target_user: user(u),
      client: { app_name: '1Password for Web', ip_address: `10.0.0.${seq % 250}` },
      location: { country },
      ...extra,
    });
  const dupDe = JSON.parse(signin(2, 'alice', 'success', 'DE')) as Record<string, unknown>;
  const dupReveal = JSON.parse(
    line('itemusages', 1, {
      uuid: 'U-dup',
      vault_uuid: 'V1',
      item_uuid: 'I2',
      action: 'reveal',
      user: user('ursula'),
    }),
  ) as Record<string, unknown>;
  return {
    signinattempts: [
      signin(40, 'alice', 'success', 'CA'),
      signin(20, 'alice', 'success', 'CA'),
      JSON.stringify(dupDe),
      // The same event delivered again by a later run: counted once.
      JSON.stringify({
        ...dupDe,
        _collector: { ...(dupDe._collector as object), received_at: 'z-later', run_id: 'r2' },
      }),
      signin(3, 'bob', 'success', 'FR'), // a new user, not a new country
      signin(50, 'carol', 'success', 'US'),
      signin(1, 'carol', 'success', 'US'),
      signin(1, 'alice', 'credentials_failed', 'RU'),
      // No location: the top-level country is used.
      signin(1, 'alice', 'credentials_failed', 'RU', { location: null }),
      signin(10, 'carol', 'mfa_failed', 'US'), // outside the 7-day window
      signin(1, 'carol', 'firewall_reported_success', 'US'),
      // A chunk line of an oversized event: never a row of the view.
      JSON.stringify({
        _collector: {
          type: 'signinattempts',
          event_date: daysAgo(1),
          received_at: 'x',
          run_id: 'r3',
          chunk: { uuid: 'BIG', index: 0, count: 2 },
        },
        _chunk: '{"uuid":"BIG","category":"credentials_fa',
      }),
    ],
    itemusages: [
      line('itemusages', 1, {
        uuid: 'U1',
        vault_uuid: 'V1',
        item_uuid: 'I1',
        action: 'reveal',
        user: user('ursula'),
      }),
      JSON.stringify(dupReveal),
      JSON.stringify({
        ...dupReveal,
        _collector: { ...(dupReveal._collector as object), received_at: 'z-later' },
      }),
      line('itemusages', 5, {
        uuid: 'U3',
        vault_uuid: 'V2',
        item_uuid: 'I9',
        action: 'export',
        user: user('ursula'),
      }),
      line('itemusages', 2, {
        uuid: 'U4',
        vault_uuid: 'V1',
        item_uuid: 'I1',
        action: 'fill',
        user: user('ursula'),
      }),
      line('itemusages', 40, {
        uuid: 'U5',
        vault_uuid: 'V1',
        item_uuid: 'I1',
        action: 'reveal',
        user: user('victor'),
      }),
    ],
    auditevents: [
      line('auditevents', 3, {
        uuid: 'A1',
        actor_uuid: 'ADM',
        actor_details: user('admin'),
        actor_type: 'user',
        action: 'suspend',
        object_type: 'user',
        object_uuid: 'X1',
        aux_id: 42,
      }),
      line('auditevents', 4, {
        uuid: 'A2',
        actor_uuid: 'ADM',
        actor_details: user('admin'),
        actor_type: 'user',
        action: 'suspend',
        object_type: 'user',
        object_uuid: 'X2',
        session: { uuid: 's', ip: '10.1.1.1' },
      }),
      line('auditevents', 4, {
        uuid: 'A3',
        actor_uuid: 'SVC',
        actor_type: 'service_account',
        action: 'create',
        object_type: 'item',
        object_uuid: 'I7',
      }),
      // Timestamps with an offset, and one that is not a timestamp at all (outside every window).
      JSON.stringify({
        ...JSON.parse(line('auditevents', 60, { uuid: 'A5', actor_uuid: 'ADM', action: 'update' })),
        timestamp: '2026-03-01T23:30:00.98765-03:00',
      }),
      JSON.stringify({
        ...JSON.parse(line('auditevents', 60, { uuid: 'A6', actor_uuid: 'ADM', action: 'update' })),
        timestamp: 'yesterday',
      }),
      line('auditevents', 60, {
        uuid: 'A4',
        actor_uuid: 'ADM',
        actor_details: user('admin'),
        action: 'delete',
        object_type: 'vault',
      }),
    ],
  };
}

let dir: string;
let db: EventDatabase;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await db.connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

const query = (name: string) => {
  const q = NAMED_QUERIES.find((n) => n.name === name);
  if (!q) throw new Error(`no query ${name}`);
  return q.sql.duckdb;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'op-events-queries-'));
  const byType = sampleLines();
  for (const type of EVENT_TYPES) {
    const byDay = new Map<string, string[]>();
    for (const l of byType[type]) {
      const day = (JSON.parse(l) as { _collector: { event_date: string } })._collector.event_date;
      byDay.set(day, [...(byDay.get(day) ?? []), l]);
    }
    for (const [day, lines] of byDay) {
      const partition = join(dir, 'events', type, `dt=${day}`);
      mkdirSync(partition, { recursive: true });
      writeFileSync(join(partition, 'part-0001.gz'), gzipSync(`${lines.join('\n')}\n`));
    }
  }
  db = await openEventDatabase(dir);
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('views and named queries as data', () => {
  it('lists one de-duplicating view per type and four investigations, each name once', () => {
    expect(VIEW_DEFINITIONS.map((v) => v.name)).toEqual(EVENT_TYPES.map((t) => UNIQUE_VIEW_NAMES[t]));
    expect(NAMED_QUERIES).toHaveLength(4);
    expect(new Set(NAMED_QUERIES.map((q) => q.name)).size).toBe(NAMED_QUERIES.length);
  });

  it('gives Athena its own functions and DuckDB its own', () => {
    for (const view of VIEW_DEFINITIONS) {
      const sql = viewSelect(view);
      expect(sql.athena).toContain('from_iso8601_timestamp(regexp_replace("timestamp"');
      expect(sql.duckdb).toContain('TRY_CAST(regexp_replace("timestamp"');
    }
    const signIns = query('Failed sign-ins by user and country (last 7 days)');
    const athena = NAMED_QUERIES.find((q) => q.name.startsWith('Failed sign-ins'))?.sql.athena;
    expect(athena).toContain("CAST(current_date - INTERVAL '7' DAY AS varchar)");
    expect(signIns).toContain("(current_timestamp AT TIME ZONE 'UTC') - INTERVAL '7' DAY");
    for (const q of NAMED_QUERIES) {
      // Reserved or underscore-led names are always double-quoted.
      for (const text of [q.sql.athena, q.sql.duckdb]) {
        expect(text).not.toMatch(/[^"]\b_collector\b|[\s,(]timestamp\b(?!["_])/);
      }
    }
  });

  it('only offers a deployment the views and queries whose tables it has', () => {
    expect(deployedViewsFor(['itemusages']).map((v) => v.name)).toEqual([
      'country_codes',
      'itemusages',
      'itemusages_drift',
      'itemusages_unique',
      'itemusages_ecs',
      'itemusages_ocsf',
    ]);
    expect(deployedViewsFor([...EVENT_TYPES])).toEqual(ALL_VIEWS);
    expect(namedQueriesFor(['itemusages']).map((q) => q.name)).toEqual([
      'Item reveals and exports per vault and user (last 30 days)',
    ]);
  });
});

describe('views on DuckDB', () => {
  it('have exactly the declared columns, with the declared types', async () => {
    for (const view of ALL_VIEWS) {
      const described = await rows(`DESCRIBE ${view.name}`);
      // DuckDB quotes only the field names that need it.
      const unquoted = (type: unknown) => String(type).replaceAll('"', '');
      expect(described.map((c) => [c.column_name, unquoted(c.column_type)])).toEqual(
        view.columns.map((c) => [c.name, unquoted(toDuckDbType(c.type))]),
      );
    }
  });

  it('convert the event timestamp to UTC, NULL when it is not one', async () => {
    expect(
      await rows(
        `SELECT uuid, CAST(timestamp_utc AS VARCHAR) AS utc FROM ${UNIQUE_VIEW_NAMES.auditevents} WHERE uuid IN ('A5', 'A6') ORDER BY uuid`,
      ),
    ).toEqual([
      { uuid: 'A5', utc: '2026-03-02 02:30:00.987' },
      { uuid: 'A6', utc: null },
    ]);
  });

  it('were all created by the CLI database', () => {
    expect(db.viewFailures).toEqual([]);
  });
});

describe('named queries on DuckDB', () => {
  it('the views keep one row per uuid and leave chunk lines out', async () => {
    expect(await rows('SELECT count(*) AS n FROM signinattempts')).toEqual([{ n: '12' }]);
    expect(await rows(`SELECT count(*) AS n FROM ${UNIQUE_VIEW_NAMES.signinattempts}`)).toEqual([
      { n: '10' },
    ]);
    expect(
      await rows(
        `SELECT "_collector".run_id AS run FROM ${UNIQUE_VIEW_NAMES.itemusages} WHERE uuid = 'U-dup'`,
      ),
    ).toHaveLength(1);
    expect(
      await rows(
        `SELECT count(*) AS n FROM ${UNIQUE_VIEW_NAMES.itemusages} WHERE "_collector".received_at = 'z-later'`,
      ),
    ).toEqual([{ n: '0' }]);
  });

  it('failed sign-ins: by user, country and category within 7 days', async () => {
    const result = await rows(query('Failed sign-ins by user and country (last 7 days)'));
    expect(result.map(({ first_attempt_utc, last_attempt_utc, ...r }) => r)).toEqual([
      {
        user_email: 'alice@example.com',
        user_uuid: 'alice',
        sign_in_country: 'RU',
        country_name: 'Russia',
        category: 'credentials_failed',
        attempts: '2',
        distinct_ips: '2',
      },
    ]);
    // The event's own time in UTC to the millisecond (the fixture's 9 fractional digits truncated).
    expect(String(result[0]?.first_attempt_utc)).toMatch(new RegExp(`^${daysAgo(1)} 10:00:\\d{2}\\.123$`));
    expect(String(result[0]?.last_attempt_utc) > String(result[0]?.first_attempt_utc)).toBe(true);
  });

  it('item reveals and exports: per vault, user and action within 30 days, uuids without lookups', async () => {
    const result = await rows(query('Item reveals and exports per vault and user (last 30 days)'));
    expect(result.map(({ last_usage_utc, ...r }) => r)).toEqual([
      {
        vault_uuid: 'V1',
        vault_name: null,
        user_email: 'ursula@example.com',
        user_uuid: 'ursula',
        action: 'reveal',
        usages: '2',
        distinct_items: '2',
        first_items: 'I1, I2',
      },
      {
        vault_uuid: 'V2',
        vault_name: null,
        user_email: 'ursula@example.com',
        user_uuid: 'ursula',
        action: 'export',
        usages: '1',
        distinct_items: '1',
        first_items: 'I9',
      },
    ]);
  });

  it('admin actions: per actor (email, else uuid) within 30 days, uuids without lookups', async () => {
    const result = await rows(query('Admin actions by actor (last 30 days)'));
    expect(result.map(({ last_event_utc, ...r }) => r)).toEqual([
      {
        actor: 'admin@example.com',
        actor_name: 'ADMIN',
        actor_type: 'user',
        action: 'suspend',
        object_type: 'user',
        events: '2',
        distinct_objects: '2',
        first_objects: 'X1, X2',
      },
      {
        actor: 'SVC',
        actor_name: null,
        actor_type: 'service_account',
        action: 'create',
        object_type: 'item',
        events: '1',
        distinct_objects: '1',
        first_objects: 'I7',
      },
    ]);
  });

  it('sign-ins from new countries: a known user in a country first seen this week', async () => {
    const result = await rows(query('Sign-ins from new countries (last 7 days vs the 90 days before)'));
    expect(result).toEqual([
      {
        user_email: 'alice@example.com',
        user_uuid: 'alice',
        user_name: 'ALICE',
        sign_in_country: 'DE',
        country_name: 'Germany',
        first_seen_day: daysAgo(2),
        last_seen_day: daysAgo(2),
        first_seen_utc: expect.stringMatching(new RegExp(`^${daysAgo(2)} 10:00:\\d{2}\\.123$`)),
        last_seen_utc: result[0]?.first_seen_utc,
        sign_ins: '1',
        distinct_ips: '1',
      },
    ]);
  });
});
