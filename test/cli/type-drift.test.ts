import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventDatabase, openEventDatabase } from '../../cli/event-database';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { DRIFT_VIEW_NAMES, RAW_TABLE_NAMES } from '../../shared/sql/typed-events';
import { apiFieldPaths, type DriftedEvent, driftedEvents } from '../support/drifted-events';
import { runCli } from './cli-harness';
import { writeEvents } from './query-fixtures';

const person = {
  uuid: 'P1',
  name: 'Ann',
  email: 'ann@example.com',
  user_type: 'user',
  user_account_uuid: 'A1',
};
const client = {
  app_name: 'app',
  app_version: '1',
  platform_name: 'Chrome',
  platform_version: '1',
  os_name: 'Linux',
  os_version: '6',
  ip_address: '192.0.2.1',
};
const location = { country: 'CA', region: 'Ontario', city: 'Toronto', latitude: 43.64, longitude: -79.433 };
const TIMESTAMP = '2026-01-05T10:00:00.123456Z';

/** A well-typed event of each type with every schema field present. */
const BASE: Readonly<Record<EventType, (uuid: string) => Record<string, unknown>>> = {
  auditevents: (uuid) => ({
    uuid,
    timestamp: TIMESTAMP,
    actor_uuid: 'P1',
    actor_details: { ...person },
    actor_type: 'user',
    actor_account_uuid: 'A1',
    account_uuid: 'A1',
    action: 'suspend',
    object_type: 'user',
    object_uuid: 'P2',
    object_details: { uuid: 'P2', name: 'Bob', email: 'bob@example.com' },
    aux_id: 42,
    aux_uuid: 'P3',
    aux_details: { uuid: 'P3', name: 'Cy', email: 'cy@example.com' },
    aux_info: 'A',
    session: { uuid: 'S1', login_time: TIMESTAMP, device_uuid: 'd1', ip: '192.0.2.9' },
    location: { ...location },
  }),
  itemusages: (uuid) => ({
    uuid,
    timestamp: TIMESTAMP,
    used_version: 3,
    vault_uuid: 'V1',
    item_uuid: 'I1',
    action: 'reveal',
    user: { ...person },
    client: { ...client },
    location: { ...location },
    account_uuid: 'A1',
  }),
  signinattempts: (uuid) => ({
    uuid,
    session_uuid: 'S1',
    timestamp: TIMESTAMP,
    category: 'success',
    type: 'credentials_ok',
    country: 'CA',
    details: { value: 'Europe' },
    target_user: { ...person },
    client: { ...client },
    location: { ...location },
    account_uuid: 'A1',
  }),
};

const drifted = Object.fromEntries(EVENT_TYPES.map((t) => [t, driftedEvents(t, BASE[t])])) as Record<
  EventType,
  DriftedEvent[]
>;

let dir: string;
let db: EventDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'op-events-drift-'));
  for (const type of EVENT_TYPES) {
    writeEvents(join(dir, 's3'), type, [BASE[type]('WELL-TYPED'), ...drifted[type].map((d) => d.event)]);
  }
  db = await openEventDatabase(join(dir, 's3'));
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await db.connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}

function at(row: unknown, keys: readonly string[]): unknown {
  let node = row;
  for (const key of keys) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A JSON value as json_extract_string gives it: strings bare, everything else as JSON text. */
const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

describe('type drift in the local tables', () => {
  it('covers every nested object and every numeric field of each type', () => {
    for (const type of EVENT_TYPES) {
      const covered = new Set(drifted[type].map((d) => d.path.dotted));
      const needed = apiFieldPaths(type)
        .filter((p) => typeof p.type !== 'string' || ['bigint', 'int', 'double'].includes(p.type))
        .map((p) => p.dotted);
      expect(needed.length).toBeGreaterThan(0);
      expect([...covered].sort()).toEqual([...new Set(needed)].sort());
    }
  });

  for (const type of EVENT_TYPES) {
    it(`${type}: SELECT * answers; a drifted field reads as NULL, the rest of its event is intact`, async () => {
      const all = await rows(`SELECT * FROM ${type}`);
      expect(all).toHaveLength(drifted[type].length + 1);
      const byUuid = new Map(all.map((r) => [r.uuid, r]));
      const wellTyped = byUuid.get('WELL-TYPED');
      for (const d of drifted[type]) {
        const row = byUuid.get(d.event.uuid);
        expect(row, d.path.dotted).toBeDefined();
        expect(at(row, d.path.keys), `${type} ${d.path.dotted} (${d.arrivedAs})`).toBeNull();
        // A sibling field outside the drifted one keeps its value.
        expect(row?.timestamp).toBe(TIMESTAMP);
        for (const other of apiFieldPaths(type)) {
          const inside = other.dotted === d.path.dotted || other.dotted.startsWith(`${d.path.dotted}.`);
          const outside = !inside && !d.path.dotted.startsWith(`${other.dotted}.`) && other.dotted !== 'uuid';
          if (outside)
            expect(at(row, other.keys), `${d.path.dotted} -> ${other.dotted}`).toEqual(
              at(wellTyped, other.keys),
            );
        }
      }
    });

    it(`${type}: every drifted field is counted once in ${DRIFT_VIEW_NAMES[type]}, with what arrived`, async () => {
      const found = await rows(
        `SELECT uuid, field, arrived_as, value FROM ${DRIFT_VIEW_NAMES[type]} ORDER BY uuid`,
      );
      const expected = drifted[type]
        .map((d) => ({
          uuid: d.event.uuid,
          field: d.path.dotted,
          arrived_as: d.arrivedAs,
          value: asText(at(d.event, d.path.keys)),
        }))
        .sort((a, b) => String(a.uuid).localeCompare(String(b.uuid)));
      expect(found).toEqual(expected);
    });

    it(`${type}: ${RAW_TABLE_NAMES[type]} keeps every line as one string`, async () => {
      const raw = await rows(`SELECT line, dt FROM ${RAW_TABLE_NAMES[type]}`);
      expect(raw).toHaveLength(drifted[type].length + 1);
      for (const d of drifted[type]) {
        const line = raw.find((r) => String(r.line).includes(`"uuid":"${String(d.event.uuid)}"`));
        const parsed = JSON.parse(String(line?.line)) as Record<string, unknown>;
        expect(at(parsed, d.path.keys)).toEqual(at(d.event, d.path.keys));
        expect(line?.dt).toBe('2026-01-05');
      }
    });
  }

  it('a line that is not a JSON object stays in the raw table, out of the typed one, and is counted', async () => {
    const other = mkdtempSync(join(tmpdir(), 'op-events-drift-'));
    try {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      const { gzipSync } = await import('node:zlib');
      const folder = join(other, 's3', 'events', 'itemusages', 'dt=2026-01-05');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'x.gz'), gzipSync(`{"uuid":"OK","used_version":1}\n{"uuid": tor\n[1,2]\n`));
      const local = await openEventDatabase(join(other, 's3'));
      try {
        const read = async (sql: string) => (await local.connection.runAndReadAll(sql)).getRowObjectsJson();
        expect(await read('SELECT uuid, used_version FROM itemusages')).toEqual([
          { uuid: 'OK', used_version: '1' },
        ]);
        expect(await read('SELECT count(*) AS n FROM itemusages_raw')).toEqual([{ n: '3' }]);
        expect(await read('SELECT field, arrived_as FROM itemusages_drift ORDER BY arrived_as')).toEqual([
          { field: '(line)', arrived_as: 'not an object' },
          { field: '(line)', arrived_as: 'not an object' },
        ]);
      } finally {
        local.close();
      }
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('op-events query answers SELECT * on drifted data and says once, plainly, that some fields read as NULL', async () => {
    const result = await runCli(['query', 'SELECT count(*) AS n FROM signinattempts', '--state-dir', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(String(drifted.signinattempts.length + 1));
    const notes = result.stderr
      .split('\n')
      .filter((line) => line.includes('another form than 1Password documents'));
    expect(notes).toHaveLength(1);
    const total = EVENT_TYPES.reduce((sum, type) => sum + drifted[type].length, 0);
    expect(notes[0]).toContain(`${total} events hold a field in another form than 1Password documents`);
    for (const type of EVENT_TYPES) expect(notes[0]).toContain(`${type} ${drifted[type].length}`);
    expect(notes[0]).toContain('Nothing is lost: they are stored exactly as sent');
    expect(notes[0]).toContain('op-events status" lists the fields');
    expect(result.stderr).not.toContain('_drift');

    const verbose = await runCli([
      'query',
      'SELECT count(*) AS n FROM signinattempts',
      '--verbose',
      '--state-dir',
      dir,
    ]);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toContain(
      `${drifted.signinattempts.length} fields in ${drifted.signinattempts.length} signinattempts events`,
    );
    expect(verbose.stderr).toContain('signinattempts_drift');
    const json = await runCli([
      'query',
      'SELECT count(*) AS n FROM signinattempts',
      '--json',
      '--state-dir',
      dir,
    ]);
    expect(json.code).toBe(0);
    expect(json.stderr).not.toContain('drift');
  });
});
