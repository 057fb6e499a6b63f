import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventDatabase, openEventDatabase } from '../../cli/event-database';
import { S3LayoutWriter } from '../../local/firehose/s3-layout-writer';
import {
  lastProjectedDate,
  PROJECTION_FIRST_DATE,
  PROJECTION_RANGE,
} from '../../shared/contracts/partition-projection';
import { RAW_TABLE_NAMES } from '../../shared/sql/typed-events';
import { UNIQUE_VIEW_NAMES } from '../../shared/sql/views';
import { collectIntoFolder } from '../support/collected-events';

/**
 * The `dt` range Athena projects ends one day after NOW, and `op-events query` reads the same range,
 * so an event stamped up to 24 h ahead (clock skew) is found on its own `dt` at once in both.
 */

const HOUR_MS = 3_600_000;

// Athena's pattern for a relative date in projection.<column>.range
// (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html, "Date type").
const ATHENA_RELATIVE_DATE =
  /^\s*NOW\s*(([+-])\s*([0-9]+)\s*(YEARS?|MONTHS?|WEEKS?|DAYS?|HOURS?|MINUTES?|SECONDS?)\s*)?$/;

describe('the projected range', () => {
  it('runs from the first date to one day after NOW, in the form Athena documents', () => {
    const [first, end] = PROJECTION_RANGE.split(',');
    expect(first).toBe(PROJECTION_FIRST_DATE);
    expect(end).toBe('NOW+1DAYS');
    expect(end).toMatch(ATHENA_RELATIVE_DATE);
  });

  it('ends on the UTC date one day after now, across a month and a year', () => {
    expect(lastProjectedDate(new Date('2026-12-06T00:00:00Z'))).toBe('2026-12-07');
    expect(lastProjectedDate(new Date('2026-12-31T23:59:59.999Z'))).toBe('2027-01-01');
    expect(lastProjectedDate(new Date('2028-02-28T12:00:00Z'))).toBe('2028-02-29');
  });
});

describe('op-events query reads the projected dates only', () => {
  let dir: string;
  let db: EventDatabase;
  const now = Date.now();
  const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const aheadMs = now + 24 * HOUR_MS;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'op-events-projection-'));
    await collectIntoFolder(
      dir,
      'signinattempts',
      [
        { uuid: 'AHEAD', timestamp: new Date(aheadMs).toISOString(), category: 'success' },
        { uuid: 'TOO-FAR', timestamp: new Date(now + 49 * HOUR_MS).toISOString(), category: 'success' },
        { uuid: 'TODAY', timestamp: new Date(now).toISOString(), category: 'success' },
      ],
      now,
    );
    // The collector files TOO-FAR under the receive date (shared/collector/delivery/event-date.ts); a line in a dt past
    // the range (as a collector before that wrote one) is placed by the Firehose writer directly.
    const pastRange = JSON.stringify({
      _collector: { type: 'signinattempts', event_date: dateOf(now + 49 * HOUR_MS), run_id: 'old' },
      uuid: 'PAST-RANGE',
      timestamp: new Date(now + 49 * HOUR_MS).toISOString(),
    });
    await new S3LayoutWriter(dir, () => now).write('old', [Buffer.from(`${pastRange}\n`)]);
    db = await openEventDatabase(dir);
  });

  afterAll(() => {
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const uuids = async (sql: string) =>
    (await db.connection.runAndReadAll(sql)).getRowObjectsJson().map((r) => r.uuid);

  it('finds an event 24 h ahead on its own dt, in the typed table and the views', async () => {
    const dt = dateOf(aheadMs);
    expect(dt).toBe(lastProjectedDate(new Date(now)));
    const byRelation = {
      signinattempts: 'uuid',
      [UNIQUE_VIEW_NAMES.signinattempts]: 'uuid',
      signinattempts_ecs: 'onepassword.uuid',
      signinattempts_ocsf: 'metadata.uid',
    };
    for (const [relation, uuid] of Object.entries(byRelation)) {
      expect(await uuids(`SELECT ${uuid} AS uuid FROM ${relation} WHERE dt = '${dt}'`), relation).toEqual([
        'AHEAD',
      ]);
    }
  });

  it('leaves out a date past the range, as Athena does', async () => {
    const lines = await db.connection.runAndReadAll(
      `SELECT dt, count(*) AS n FROM ${RAW_TABLE_NAMES.signinattempts} GROUP BY dt ORDER BY dt`,
    );
    expect(lines.getRowObjectsJson()).toEqual([
      { dt: dateOf(now), n: '2' },
      { dt: dateOf(aheadMs), n: '1' },
    ]);
    expect(db.files.signinattempts).toBe(3);
  });

  it('finds the event stamped past the range on its receive date, marked', async () => {
    const rows = await db.connection.runAndReadAll(
      `SELECT dt, "_collector".date_fallback AS fallback FROM signinattempts WHERE uuid = 'TOO-FAR'`,
    );
    expect(rows.getRowObjectsJson()).toEqual([{ dt: dateOf(now), fallback: 'after_range' }]);
  });
});
