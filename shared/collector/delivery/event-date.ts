import { PROJECTION_DAYS_AHEAD, PROJECTION_FIRST_DATE } from '../../contracts/partition-projection';
import type { DateFallback } from '../../contracts/s3-layout';
import { type Instant, utcDay } from '../../util/timestamp';

const DAY_MS = 86_400_000;

/** Days from 1970-01-01 to the first date Athena's `dt` projection holds. */
const FIRST_PROJECTED_DAY = Date.parse(`${PROJECTION_FIRST_DATE}T00:00:00Z`) / DAY_MS;

/** Days from 1970-01-01 to the UTC date of an epoch-milliseconds time. */
export function dayOfMillis(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

/**
 * Why an event is filed under the day it was received rather than its own timestamp's UTC date, or
 * undefined when its own date is used. An event is always filed where a query finds it: a date
 * before PROJECTION_FIRST_DATE (`0001-01-01`, which would even be `dt=0000-12-31` after an offset) or
 * after the last date Athena projects when the event lands (the receive date plus
 * PROJECTION_DAYS_AHEAD; `9999-12-31T23:59:59-01:00` would be `dt=+010000-01`) names a partition no
 * query reads, and so does a timestamp that is missing or not RFC 3339. The line's
 * `_collector.date_fallback` says which, its `timestamp` stays as sent.
 *
 * `at` is `timestamp` as parseTimestamp read it; `receivedDay` the receive date (dayOfMillis).
 */
export function dateFallback(
  timestamp: unknown,
  at: Instant | undefined,
  receivedDay: number,
): DateFallback | undefined {
  if (at === undefined) return timestamp === undefined || timestamp === null ? 'missing' : 'unreadable';
  const day = utcDay(at);
  if (day < FIRST_PROJECTED_DAY) return 'before_range';
  if (day > receivedDay + PROJECTION_DAYS_AHEAD) return 'after_range';
  return undefined;
}
