import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateDemoEvents } from '../local/events-api-simulator';
import { pageToLines } from '../shared/collector/delivery/page-lines';
import { parsePageBody } from '../shared/collector/events-api/page-body';
import { EVENT_TYPES } from '../shared/contracts/event-types';
import { eventsPrefixFor, PARTITION_COLUMN } from '../shared/contracts/s3-layout';
import { pageBody } from './demo-pages';

const HOUR_MS = 3_600_000;
const DAYS_PER_MONTH = 365.25 / 12;

export interface GeneratedStore {
  /** Events written, all types together. */
  readonly events: number;
  readonly files: number;
  readonly bytes: number;
}

/**
 * A local store (the `s3/` of a state folder) holding `days` days before `now` of an account with
 * `eventsPerMonth` events a month, split evenly over the three types: the simulator's demo events
 * (one account: the same people, vaults and items throughout) through the collector's hot path, one
 * gzip object per type and hour, under the dt folder of the hour (no late events, so every event's
 * own date is its folder's).
 */
export function writeGeneratedStore(
  s3Dir: string,
  options: { eventsPerMonth: number; days: number; now: number },
): GeneratedStore {
  const perTypePerHour = Math.round(options.eventsPerMonth / DAYS_PER_MONTH / 24 / EVENT_TYPES.length);
  const lastHour = Math.floor(options.now / HOUR_MS) * HOUR_MS;
  const firstHour = lastHour - options.days * 24 * HOUR_MS;
  let events = 0;
  let files = 0;
  let bytes = 0;
  for (const type of EVENT_TYPES) {
    for (let hour = firstHour, n = 0; hour < lastHour; hour += HOUR_MS, n++) {
      const texts = generateDemoEvents(type, perTypePerHour, {
        start: hour,
        end: hour + HOUR_MS,
        seed: n + 1,
        accountSeed: 1,
        lateShare: 0,
      }).map((event) => JSON.stringify(event));
      const { lines } = pageToLines(parsePageBody(pageBody(texts, false)), {
        type,
        receivedAtMs: hour + HOUR_MS,
        runId: `bench-${n}`,
      });
      const day = new Date(hour).toISOString().slice(0, 10);
      const dir = join(s3Dir, eventsPrefixFor(type), `${PARTITION_COLUMN}=${day}`);
      mkdirSync(dir, { recursive: true });
      const body = gzipSync(`${lines.join('\n')}\n`);
      writeFileSync(join(dir, `bench-${new Date(hour).toISOString().slice(11, 13)}.gz`), body);
      events += texts.length;
      files += 1;
      bytes += body.length;
    }
  }
  return { events, files, bytes };
}
