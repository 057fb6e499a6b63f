import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type EventDatabase, openEventDatabase } from '../cli/event-database';
import { pageToLines } from '../shared/collector/delivery/page-lines';
import { parsePageBody } from '../shared/collector/events-api/page-body';
import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';
import { eventsPrefixFor, PARTITION_COLUMN } from '../shared/contracts/s3-layout';
import { NAMED_QUERIES } from '../shared/sql/named-queries';
import type { ViewDefinition } from '../shared/sql/views';
import { demoEventTexts, pageBody } from './demo-pages';
import { eventFileScans } from './duckdb-scans';
import { kb, mark, n, TARGETS, table } from './report-format';

/**
 * Athena bills a query by the bytes it reads from S3. For a 1M-events/month account with 400 days of
 * history, each saved query's bytes are the partitions its `dt` filter reaches times the bytes a
 * day's partition holds, divided by the bytes of the days its window names.
 *
 * - Bytes per day and type: one representative day of demo events (the simulator's generator) at
 *   1,000,000 events a month split evenly over the three types, through the collector's hot path,
 *   gzip-compressed per 60 s Firehose buffer (one object per minute), as S3 holds them.
 * - Partitions read: the DuckDB plan (EXPLAIN ANALYZE) of each saved query's DuckDB text over 400
 *   days of `dt=` folders (one small object each, written like the collector's), which lists the
 *   files each scan opened. The Athena text of the same definitions lets the same `dt` filter reach
 *   the table scan (test/shared/sql/trino-pruning.test.ts), which is what selects the projected
 *   partitions Athena reads.
 */

export const HISTORY_DAYS = 400;
export const EVENTS_PER_MONTH = 1_000_000;
const DAYS_PER_MONTH = 365.25 / 12;
const BUFFERS_PER_DAY = 24 * 60;
const DAY_MS = 86_400_000;

export interface SavedQueryBytes {
  readonly query: string;
  readonly windowDays: number;
  readonly partitionsRead: number;
  readonly windowPartitions: number;
  readonly bytesRead: number;
  readonly windowBytes: number;
  /** Bytes of the whole history of the types it reads (what a query that prunes nothing reads). */
  readonly historyBytes: number;
}

export interface AthenaBytesResult {
  readonly eventsPerDayPerType: number;
  readonly bytesPerDay: Readonly<Record<EventType, number>>;
  readonly queries: readonly SavedQueryBytes[];
}

/** The S3 bytes of one day of one type: the day's lines in one gzip object per Firehose buffer. */
function bytesOfOneDay(type: EventType, events: number): number {
  const page = parsePageBody(pageBody(demoEventTexts(type, events), false));
  const { lines } = pageToLines(page, {
    type,
    receivedAtMs: Date.parse('2026-01-02T00:00:00Z'),
    runId: 'bench',
  });
  const perBuffer = Math.ceil(lines.length / BUFFERS_PER_DAY);
  let bytes = 0;
  for (let i = 0; i < lines.length; i += perBuffer) {
    bytes += gzipSync(`${lines.slice(i, i + perBuffer).join('\n')}\n`).length;
  }
  return bytes;
}

const dateDaysAgo = (now: number, days: number) => new Date(now - days * DAY_MS).toISOString().slice(0, 10);

/** 400 days of dt folders per type, one small object each, for the plans to choose from. */
function writeHistory(root: string, now: number): void {
  for (const type of EVENT_TYPES) {
    const [event] = demoEventTexts(type, 1);
    for (let days = 0; days < HISTORY_DAYS; days++) {
      const at = now - days * DAY_MS;
      const text = (event as string).replace(
        /"timestamp":"[^"]*"/,
        `"timestamp":"${new Date(at).toISOString()}"`,
      );
      const { lines } = pageToLines(parsePageBody(pageBody([text], false)), {
        type,
        receivedAtMs: at,
        runId: 'bench',
      });
      const dir = join(root, eventsPrefixFor(type), `${PARTITION_COLUMN}=${dateDaysAgo(now, days)}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'bench.gz'), gzipSync(`${lines.join('\n')}\n`));
    }
  }
}

/** A scratch history (writeHistory) opened in DuckDB, and what one day of each type weighs in S3. */
export interface HistoryDatabase {
  readonly db: EventDatabase;
  /** The history's last day is the one holding this moment (ms). */
  readonly now: number;
  readonly eventsPerDayPerType: number;
  /** Gzipped bytes of one day of each type at EVENTS_PER_MONTH, as Firehose delivers them. */
  readonly bytesPerDay: Record<EventType, number>;
}

/**
 * Writes the history into a new scratch folder, opens it in DuckDB with `views` (the default: every
 * view), runs `measure` on it, and closes and deletes both however `measure` ends.
 */
export async function withHistoryDatabase<T>(
  views: readonly ViewDefinition[] | undefined,
  measure: (history: HistoryDatabase) => Promise<T>,
): Promise<T> {
  const eventsPerDayPerType = Math.round(EVENTS_PER_MONTH / DAYS_PER_MONTH / EVENT_TYPES.length);
  const bytesPerDay = Object.fromEntries(
    EVENT_TYPES.map((type) => [type, bytesOfOneDay(type, eventsPerDayPerType)]),
  ) as Record<EventType, number>;
  const now = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'op-events-bench-history-'));
  try {
    writeHistory(root, now);
    const db = await openEventDatabase(root, views);
    try {
      return await measure({ db, now, eventsPerDayPerType, bytesPerDay });
    } finally {
      db.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function measureAthenaBytes(): Promise<AthenaBytesResult> {
  return withHistoryDatabase(undefined, async ({ db, eventsPerDayPerType, bytesPerDay }) => {
    const queries: SavedQueryBytes[] = [];
    for (const query of NAMED_QUERIES) {
      const scans = await eventFileScans(db.connection, query.sql.duckdb);
      // Every day of the history has one object per type here: a file read is a dt partition read.
      const read = scans.map((scan) => ({
        type: typeOfFile(scan.files[0] ?? ''),
        partitions: scan.filesRead,
      }));
      const windowPartitions = query.windowDays + 1;
      const ofEachType = (partitions: number) =>
        query.eventTypes.reduce((sum, type) => sum + partitions * bytesPerDay[type], 0);
      queries.push({
        query: query.name,
        windowDays: query.windowDays,
        partitionsRead: read.reduce((sum, r) => sum + r.partitions, 0),
        windowPartitions: windowPartitions * query.eventTypes.length,
        bytesRead: read.reduce((sum, r) => sum + r.partitions * bytesPerDay[r.type], 0),
        windowBytes: ofEachType(windowPartitions),
        historyBytes: ofEachType(HISTORY_DAYS),
      });
    }
    return { eventsPerDayPerType, bytesPerDay, queries };
  });
}

/** The event type whose S3 prefix holds `file`, if any. */
export function eventTypeOfFile(file: string): EventType | undefined {
  return EVENT_TYPES.find((t) => file.includes(`/${eventsPrefixFor(t)}`));
}

function typeOfFile(file: string): EventType {
  const type = eventTypeOfFile(file);
  if (!type) throw new Error(`not an event file: ${file}`);
  return type;
}

/** Bytes a saved query reads over the bytes its dt window holds. */
export function bytesRatio(row: SavedQueryBytes): number {
  return row.bytesRead / row.windowBytes;
}

export function athenaBytesSummaryRow(result: AthenaBytesResult): string[] {
  const worst = [...result.queries].sort((a, b) => bytesRatio(b) - bytesRatio(a))[0] as SavedQueryBytes;
  return [
    `Athena bytes per saved query (${HISTORY_DAYS} days of a 1M-events/month account)`,
    `${mib(worst.bytesRead)} read (worst: ${worst.query})`,
    `${mib(worst.windowBytes)} in its dt window (${worst.windowDays + 1} days)`,
    `${n(bytesRatio(worst), 2)}x (without pruning: ${n(worst.historyBytes / worst.windowBytes, 1)}x)`,
    `≤ ${TARGETS.athenaBytesRatio}x`,
    mark(result.queries.every((q) => bytesRatio(q) <= TARGETS.athenaBytesRatio)),
  ];
}

export function athenaBytesSection(result: AthenaBytesResult): string {
  const perDay = EVENT_TYPES.map((t) => `${t} ${kb(result.bytesPerDay[t])}`).join(', ');
  return [
    '## 8. Athena bytes per saved query (bench/athena-bytes.ts)',
    '',
    `Athena bills the bytes a query reads. ${HISTORY_DAYS} days of history at ${n(EVENTS_PER_MONTH)} events a month ` +
      `(${n(result.eventsPerDayPerType)} per type per day); one day's gzip objects (one per 60 s buffer, demo events ` +
      `through the collector's hot path): ${perDay}. The partitions each saved query reads come from the DuckDB plan ` +
      `(EXPLAIN ANALYZE) of its DuckDB text over ${HISTORY_DAYS} days of dt= folders; the Athena text passes the same ` +
      'dt filter to the table scan (test/shared/sql/trino-pruning.test.ts), which selects the projected partitions. ' +
      '"Without pruning" is the whole history, what each query read while the de-duplicating views ranked by uuid alone.',
    '',
    table(
      [
        'Saved query',
        'dt window',
        'Partitions read / in window',
        'Bytes read',
        'Bytes in window',
        'Ratio',
        'Without pruning',
      ],
      result.queries.map((q) => [
        q.query,
        `${q.windowDays + 1} days`,
        `${q.partitionsRead} / ${q.windowPartitions}`,
        mib(q.bytesRead),
        mib(q.windowBytes),
        `${n(bytesRatio(q), 2)}x`,
        `${n(q.historyBytes / q.windowBytes, 1)}x`,
      ]),
    ),
  ].join('\n');
}

const mib = (bytes: number) => `${n(bytes / 1024 / 1024, 1)} MiB`;
