import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType } from '../../../shared/event-types';
import {
  NAMED_QUERIES,
  namedQueriesFor,
  TABLE_NAMES,
  UNIQUE_VIEW_NAMES,
} from '../../../shared/sql/named-queries';
import { EVENT_COLUMNS, toDuckDbType } from '../../../shared/sql/table-schema';

/**
 * The named queries run on Athena (Trino) and, through the CLI, on DuckDB. Here every one of them
 * runs on DuckDB over NDJSON laid out as Firehose writes it (events/<type>/dt=YYYY-MM-DD/*.gz),
 * with sample events placed relative to today so the time windows are exercised.
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
let db: DuckDBConnection;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await db.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

const query = (name: string) => {
  const q = NAMED_QUERIES.find((n) => n.name === name);
  if (!q) throw new Error(`no query ${name}`);
  return q.sql;
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
  const instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  await db.run("SET TimeZone = 'UTC'");
  for (const type of EVENT_TYPES) {
    const columns = EVENT_COLUMNS[type]
      .map((c) => `'${c.name}': '${toDuckDbType(c.type).replaceAll("'", "''")}'`)
      .join(', ');
    // The table contract of named-queries.ts: the Glue columns plus dt as VARCHAR.
    await db.run(
      `CREATE VIEW ${TABLE_NAMES[type]} AS SELECT * FROM read_json('${join(dir, 'events', type)}/*/*.gz', ` +
        `format = 'newline_delimited', compression = 'gzip', columns = {${columns}}, ` +
        `hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})`,
    );
  }
  for (const q of NAMED_QUERIES.filter((n) => n.kind === 'view')) await db.run(q.sql);
});

afterAll(() => {
  db?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('named queries as data', () => {
  it('lists three views and four investigations with unique names', () => {
    expect(NAMED_QUERIES.filter((q) => q.kind === 'view').map((q) => q.name)).toEqual(
      EVENT_TYPES.map((t) => `Create view ${UNIQUE_VIEW_NAMES[t]}`),
    );
    expect(NAMED_QUERIES.filter((q) => q.kind === 'investigation')).toHaveLength(4);
    expect(new Set(NAMED_QUERIES.map((q) => q.name)).size).toBe(NAMED_QUERIES.length);
  });

  it('keeps to the SQL both engines accept', () => {
    for (const q of NAMED_QUERIES) {
      expect(q.sql).not.toMatch(
        /from_iso8601|date_format|date_parse|strftime|strptime|\bQUALIFY\b|\bEXCLUDE\b|::|`|date_add|date_diff|;\s*$/i,
      );
      // Reserved or underscore-led names are always double-quoted.
      expect(q.sql).not.toMatch(/[^"]\b_collector\b|[\s,(]timestamp\b(?!")/);
    }
  });

  it('only offers a deployment the queries whose tables it has', () => {
    expect(namedQueriesFor(['itemusages']).map((q) => q.name)).toEqual([
      'Create view itemusages_unique',
      'Item reveals and exports per vault and user (last 30 days)',
    ]);
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
    expect(result.map(({ first_attempt, last_attempt, ...r }) => r)).toEqual([
      {
        user_email: 'alice@example.com',
        user_uuid: 'alice',
        sign_in_country: 'RU',
        category: 'credentials_failed',
        attempts: '2',
        distinct_ips: '2',
      },
    ]);
    expect(String(result[0]?.first_attempt)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it('item reveals and exports: per vault, user and action within 30 days', async () => {
    const result = await rows(query('Item reveals and exports per vault and user (last 30 days)'));
    expect(result.map(({ last_usage, ...r }) => r)).toEqual([
      {
        vault_uuid: 'V1',
        user_email: 'ursula@example.com',
        user_uuid: 'ursula',
        action: 'reveal',
        usages: '2',
        distinct_items: '2',
      },
      {
        vault_uuid: 'V2',
        user_email: 'ursula@example.com',
        user_uuid: 'ursula',
        action: 'export',
        usages: '1',
        distinct_items: '1',
      },
    ]);
  });

  it('admin actions: per actor (email, else uuid) within 30 days', async () => {
    const result = await rows(query('Admin actions by actor (last 30 days)'));
    expect(result.map(({ last_event, ...r }) => r)).toEqual([
      {
        actor: 'admin@example.com',
        actor_type: 'user',
        action: 'suspend',
        object_type: 'user',
        events: '2',
        distinct_objects: '2',
      },
      {
        actor: 'SVC',
        actor_type: 'service_account',
        action: 'create',
        object_type: 'item',
        events: '1',
        distinct_objects: '1',
      },
    ]);
  });

  it('sign-ins from new countries: a known user in a country first seen this week', async () => {
    expect(await rows(query('Sign-ins from new countries (last 7 days vs the 90 days before)'))).toEqual([
      {
        user_email: 'alice@example.com',
        user_uuid: 'alice',
        sign_in_country: 'DE',
        first_seen_day: daysAgo(2),
        last_seen_day: daysAgo(2),
        sign_ins: '1',
      },
    ]);
  });
});
