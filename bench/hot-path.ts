import { pageToLines } from '../shared/collector/delivery/page-lines';
import { RecordBufferPool } from '../shared/collector/delivery/record-buffer-pool';
import { packRecords } from '../shared/collector/delivery/record-packer';
import { parsePageBody } from '../shared/collector/events-api/page-body';
import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';
import { demoEventTexts, pageBody } from './demo-pages';
import { median, msPerCall } from './stats';

export interface HotPathRow {
  readonly type: EventType;
  readonly pageBytes: number;
  /** Median microseconds per event of parsePageBody + pageToLines + packRecords. */
  readonly collectorUsPerEvent: number;
  /** Median microseconds per event of JSON.parse + JSON.stringify of the same page. */
  readonly floorUsPerEvent: number;
  /** Median over rounds of (collector / floor), each round timing both back to back. */
  readonly ratio: number;
  /** Where the collector's time goes (median µs per event). */
  readonly stages: { readonly parse: number; readonly lines: number; readonly pack: number };
}

export interface HotPathOptions {
  readonly eventsPerPage: number;
  readonly warmupCalls: number;
  readonly rounds: number;
  readonly callsPerRound: number;
}

export const HOT_PATH_DEFAULTS: HotPathOptions = {
  eventsPerPage: 1000,
  warmupCalls: 30,
  rounds: 15,
  callsPerRound: 5,
};

/**
 * CPU cost of the collector's own work on one page against the cheapest thing any collector must
 * do with it (parse it and write it out again), measured alternately in the same process so that
 * machine load affects both alike.
 */
export function measureHotPath(options: HotPathOptions = HOT_PATH_DEFAULTS): HotPathRow[] {
  return EVENT_TYPES.map((type) => measureType(type, options));
}

function measureType(type: EventType, options: HotPathOptions): HotPathRow {
  const body = pageBody(demoEventTexts(type, options.eventsPerPage));
  const receivedAtMs = Date.parse('2026-01-02T00:01:00Z');
  const context = {
    type,
    receivedAtMs,
    runId: 'bench-run',
  };
  // As the Firehose sink does: records packed into pooled buffers, given back once delivered.
  const pool = new RecordBufferPool();
  const collector = () => {
    const records = packRecords(pageToLines(parsePageBody(body), context).lines, undefined, undefined, pool);
    pool.release(records);
    return records.length;
  };
  const floor = () => JSON.stringify(JSON.parse(body)).length;

  for (let i = 0; i < options.warmupCalls; i++) {
    collector();
    floor();
  }
  const collectorMs: number[] = [];
  const floorMs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    // Alternate which goes first so neither always runs right after a GC of the other's garbage.
    const first = round % 2 === 0;
    const a = msPerCall(first ? collector : floor, options.callsPerRound);
    const b = msPerCall(first ? floor : collector, options.callsPerRound);
    const [work, base] = first ? [a, b] : [b, a];
    collectorMs.push(work);
    floorMs.push(base);
    ratios.push(work / base);
  }
  const perEvent = (ms: number) => (ms * 1000) / options.eventsPerPage;
  return {
    type,
    pageBytes: Buffer.byteLength(body),
    collectorUsPerEvent: perEvent(median(collectorMs)),
    floorUsPerEvent: perEvent(median(floorMs)),
    ratio: median(ratios),
    stages: measureStages(body, context, options, perEvent),
  };
}

function measureStages(
  body: string,
  context: Parameters<typeof pageToLines>[1],
  options: HotPathOptions,
  perEvent: (ms: number) => number,
): HotPathRow['stages'] {
  const page = parsePageBody(body);
  const lines = pageToLines(page, context).lines;
  const stage = (fn: () => unknown) =>
    perEvent(median(Array.from({ length: options.rounds }, () => msPerCall(fn, options.callsPerRound))));
  return {
    // Item texts are found on first use: counted here, where they were found before that change.
    parse: stage(() => parsePageBody(body).rawItems.length),
    lines: stage(() => pageToLines(page, context)),
    pack: stage(() => packRecords(lines)),
  };
}
