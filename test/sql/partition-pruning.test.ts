import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFileScans } from '../../bench/duckdb-scans';
import { type EventDatabase, openEventDatabase } from '../../cli/event-database';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { NAMED_QUERIES } from '../../shared/sql/named-queries';
import { EVENT_DATA_VIEWS } from '../../shared/sql/view-catalog';
import { UNIQUE_VIEW_NAMES } from '../../shared/sql/views';
import { collectIntoFolder } from '../support/collected-events';

/**
 * DuckDB's side of partition pruning: with events laid out as the collector and Firehose write them
 * (gzip NDJSON under events/<type>/dt=YYYY-MM-DD/, two objects per day), a `dt` filter on any view
 * or saved query reaches the scan of the event files, and the scan opens only the files of the
 * dates the filter keeps (EXPLAIN ANALYZE's "Total Files Read"). The Trino text: trino-pruning.test.ts.
 */

const DAY_MS = 86_400_000;
const now = Date.now();
const dateDaysAgo = (days: number) => new Date(now - days * DAY_MS).toISOString().slice(0, 10);
const TODAY = dateDaysAgo(0);
/** Days (before today) that have events: on both sides of each saved query's window. */
const EVENT_DAYS = [0, 1, 6, 7, 8, 29, 30, 31, 96, 97, 98, 200];
const RUNS_PER_DAY = 2;

const EVENT: Readonly<Record<EventType, Record<string, unknown>>> = {
  auditevents: { action: 'suspend', object_type: 'user', actor_uuid: 'ADM' },
  itemusages: { action: 'reveal', vault_uuid: 'V1', item_uuid: 'I1', user: { uuid: 'U1' } },
  signinattempts: { category: 'success', country: 'CA', target_user: { uuid: 'U1' } },
};

let dir: string;
let db: EventDatabase;

/** The event files of a type whose dt is on or after `from`. */
function filesFrom(type: EventType, from: string): number {
  const root = join(dir, 'events', type);
  return readdirSync(root)
    .filter((folder) => folder.slice('dt='.length) >= from)
    .reduce((n, folder) => n + readdirSync(join(root, folder)).length, 0);
}

const typeOf = (file: string) => EVENT_TYPES.find((t) => file.includes(`/events/${t}/`));
const dtOf = (file: string) => /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(file)?.[1];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'op-events-pruning-'));
  for (const type of EVENT_TYPES) {
    for (const days of EVENT_DAYS) {
      for (let run = 1; run <= RUNS_PER_DAY; run++) {
        const at = now - days * DAY_MS;
        const event = {
          ...EVENT[type],
          uuid: `${type}-${days}-${run}`,
          timestamp: new Date(at).toISOString(),
        };
        await collectIntoFolder(dir, type, [event], at + 60_000, `run-${days}-${run}`);
      }
    }
  }
  db = await openEventDatabase(dir);
});

afterAll(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a dt filter on each view reaches the scan of the event files', () => {
  it.each(EVENT_DATA_VIEWS.map((view) => ({ name: view.name, view })))('$name', async ({ view }) => {
    const scans = await eventFileScans(
      db.connection,
      `SELECT count(*) FROM ${view.name} WHERE dt >= '${TODAY}'`,
    );
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) {
      expect(scan.fileFilters).toContain(`'${TODAY}'`);
      const [type] = view.eventTypes as [EventType];
      // Today's two objects of 24.
      expect(scan.filesRead).toBe(filesFrom(type, TODAY));
      expect(scan.files.map(dtOf)).toEqual(scan.files.map(() => TODAY));
    }
  });
});

describe('each saved query reads only the files of its dt window', () => {
  it.each(NAMED_QUERIES.map((query) => ({ name: query.name, query })))('$name', async ({ query }) => {
    const from = dateDaysAgo(query.windowDays);
    const scans = await eventFileScans(db.connection, query.sql.duckdb);
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) {
      const type = typeOf(scan.files[0] ?? '') as EventType;
      expect(query.eventTypes).toContain(type);
      expect(scan.fileFilters).toContain(`'${from}'`);
      expect(scan.filesRead).toBe(filesFrom(type, from));
      expect(scan.filesRead).toBeLessThan(EVENT_DAYS.length * RUNS_PER_DAY);
      // DuckDB names the first files it read and then '...'; each named one is in the window.
      expect(scan.files.filter((file) => file !== '...' && (dtOf(file) ?? '') < from)).toEqual([]);
    }
  });
});

describe('de-duplication within a dt', () => {
  let own: string;
  let ownDb: EventDatabase;
  const receivedOn = (days: number) => now - days * DAY_MS;

  beforeAll(async () => {
    own = mkdtempSync(join(tmpdir(), 'op-events-dedup-'));
    const stamped = {
      ...EVENT.signinattempts,
      uuid: 'STAMPED',
      timestamp: new Date(receivedOn(5)).toISOString(),
    };
    const unstamped = { ...EVENT.signinattempts, uuid: 'UNSTAMPED' };
    // A date no projected dt holds: filed under the receive date as well (shared/collector/delivery/event-date.ts).
    const farAhead = { ...EVENT.signinattempts, uuid: 'FAR-AHEAD', timestamp: '2099-01-01T00:00:00Z' };
    const events = [stamped, unstamped, farAhead];
    // Delivered twice on one day, then once more the next day (a repeated page after a fault).
    await collectIntoFolder(own, 'signinattempts', events, receivedOn(3), 'run-a');
    await collectIntoFolder(own, 'signinattempts', events, receivedOn(3) + 60_000, 'run-b');
    await collectIntoFolder(own, 'signinattempts', events, receivedOn(2), 'run-c');
    ownDb = await openEventDatabase(own);
  });

  afterAll(() => {
    ownDb?.close();
    if (own) rmSync(own, { recursive: true, force: true });
  });

  it('keeps one row per event with a usable date, and one per receive date for one without', async () => {
    const rows = await ownDb.connection.runAndReadAll(
      `SELECT uuid, dt, "_collector".run_id AS run FROM ${UNIQUE_VIEW_NAMES.signinattempts} ORDER BY uuid, dt`,
    );
    expect(rows.getRowObjectsJson()).toEqual([
      // Without a usable date: filed under the receive date, so one row per day it was received on.
      { uuid: 'FAR-AHEAD', dt: dateDaysAgo(3), run: 'run-a' },
      { uuid: 'FAR-AHEAD', dt: dateDaysAgo(2), run: 'run-c' },
      { uuid: 'STAMPED', dt: dateDaysAgo(5), run: 'run-a' },
      { uuid: 'UNSTAMPED', dt: dateDaysAgo(3), run: 'run-a' },
      { uuid: 'UNSTAMPED', dt: dateDaysAgo(2), run: 'run-c' },
    ]);
  });
});
