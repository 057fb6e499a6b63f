import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEventDatabase } from '../../../../cli/event-database';
import { S3LayoutWriter } from '../../../../local/firehose/s3-layout-writer';
import { pageToLines } from '../../../../shared/collector/delivery/page-lines';
import { parsePageBody } from '../../../../shared/collector/events-api/page-body';
import { PROJECTION_FIRST_DATE } from '../../../../shared/contracts/partition-projection';
import { METADATA_KEY } from '../../../../shared/contracts/s3-layout';

// Received on 2026-03-01: Athena projects 2020-01-01 .. 2026-03-02 (NOW+1DAYS) when the lines land.
const receivedAtMs = Date.parse('2026-03-01T12:00:00Z');
const context = { type: 'auditevents' as const, receivedAtMs, runId: 'RUN' };

function filed(timestamp: unknown): { dt: string; fallback: string | undefined } {
  const event = timestamp === undefined ? { uuid: 'U' } : { uuid: 'U', timestamp };
  const page = parsePageBody(JSON.stringify({ cursor: 'c', has_more: false, items: [event] }));
  const [line] = pageToLines(page, context).lines;
  const metadata = JSON.parse(line as string)[METADATA_KEY];
  return { dt: metadata.event_date, fallback: metadata.date_fallback };
}

describe('the dt an event is filed under', () => {
  it.each([
    // Within the projection: the timestamp's own UTC date, unmarked.
    [`${PROJECTION_FIRST_DATE}T00:00:00Z`, PROJECTION_FIRST_DATE, undefined],
    ['2026-03-02T23:59:59.999999999Z', '2026-03-02', undefined],
    ['2026-03-02T23:59:60Z', '2026-03-02', undefined],
    ['2026-03-03T01:00:00+02:00', '2026-03-02', undefined],
    // Outside it: the receive date, marked with why.
    ['2019-12-31T23:59:59Z', '2026-03-01', 'before_range'],
    ['2020-01-01T00:30:00+01:00', '2026-03-01', 'before_range'],
    ['0001-01-01T00:30:00+01:00', '2026-03-01', 'before_range'],
    ['2026-03-03T00:00:00Z', '2026-03-01', 'after_range'],
    ['9999-12-31T23:59:59-01:00', '2026-03-01', 'after_range'],
    ['yesterday', '2026-03-01', 'unreadable'],
    ['2026-02-30T00:00:00Z', '2026-03-01', 'unreadable'],
    [1767225600, '2026-03-01', 'unreadable'],
    [null, '2026-03-01', 'missing'],
    [undefined, '2026-03-01', 'missing'],
  ])('%s: dt=%s (%s)', (timestamp, dt, fallback) => {
    expect(filed(timestamp)).toEqual({ dt, fallback });
  });

  it('reports each event filed under the receive date, and leaves them out of the run’s newest event', () => {
    const items = [
      { uuid: 'OLD', timestamp: '1999-01-01T00:00:00Z' },
      { uuid: 'OK', timestamp: '2026-03-01T11:00:00Z' },
      { uuid: 'FUTURE', timestamp: '9999-01-01T00:00:00Z' },
      { uuid: 'NONE' },
    ];
    const page = parsePageBody(JSON.stringify({ cursor: 'c', has_more: false, items }));
    const result = pageToLines(page, context);
    expect(result.dateFallbacks).toEqual([
      { event: 'OLD', reason: 'before_range' },
      { event: 'FUTURE', reason: 'after_range' },
      { event: 'NONE', reason: 'missing' },
    ]);
    expect(result.newestEventTime).toBe('2026-03-01T11:00:00Z');
    expect(result.maxBehindMs).toBe(0);
  });

  it('files them where a query finds them: DuckDB (op-events query, the projection’s dates only) lists every one', async () => {
    const items = [
      '0001-01-01T00:30:00+01:00',
      '9999-12-31T23:59:59-01:00',
      'not a time',
      '2026-03-01T10:00:00Z',
    ].map((timestamp, i) => ({ uuid: `E${i}`, timestamp }));
    const page = parsePageBody(JSON.stringify({ cursor: 'c', has_more: false, items }));
    const { lines } = pageToLines(page, context);
    const root = mkdtempSync(join(tmpdir(), 'op-events-event-date-'));
    try {
      await new S3LayoutWriter(root, () => receivedAtMs).write('stream', [
        Buffer.from(lines.map((line) => `${line}\n`).join('')),
      ]);
      const db = await openEventDatabase(root);
      try {
        const reader = await db.connection.runAndReadAll(
          `SELECT uuid, dt, "_collector".date_fallback AS fallback FROM auditevents ORDER BY uuid`,
        );
        expect(reader.getRowObjects()).toEqual([
          { uuid: 'E0', dt: '2026-03-01', fallback: 'before_range' },
          { uuid: 'E1', dt: '2026-03-01', fallback: 'after_range' },
          { uuid: 'E2', dt: '2026-03-01', fallback: 'unreadable' },
          { uuid: 'E3', dt: '2026-03-01', fallback: null },
        ]);
      } finally {
        db.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('marks every chunk line of an oversized event filed under the receive date', () => {
    const event = { uuid: 'BIG', timestamp: '1999-01-01T00:00:00Z', aux_info: 'x'.repeat(1_100_000) };
    const page = parsePageBody(JSON.stringify({ cursor: 'c', has_more: false, items: [event] }));
    const { lines } = pageToLines(page, context);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(JSON.parse(line)[METADATA_KEY]).toMatchObject({
        event_date: '2026-03-01',
        date_fallback: 'before_range',
      });
    }
  });
});
