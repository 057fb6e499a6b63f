/**
 * Catch-up: how long one run may keep paging while the API says `has_more`. A run behind pages until
 * the first of: the API has nothing more (caught up), its time bound (the function timeout, which the
 * stack sets below the schedule interval), MAX_EVENTS_PER_RUN (a cap that no longer binds while
 * behind), the shared request budget, and the Firehose quota (which paces rather than stops). A run
 * that is caught up stops on its first page, as before.
 *
 * The time bound is the function timeout rather than a setting of its own: the collector already
 * stops requesting pages DELIVERY_ALLOWANCE_MS before the invocation's deadline, and the lease ends
 * at that deadline, so a timeout below the schedule interval is what keeps two runs of a type from
 * overlapping on the schedule (the lease guards the rest).
 */
import { LAMBDA } from '../../shared/contracts/aws-limits';
import { MIN_FUNCTION_TIMEOUT_SECONDS } from '../../shared/contracts/run-timing';

/**
 * Left between the function timeout and the next tick of the schedule: the lease (the deadline plus
 * at most 2 s) has expired by then, and Lambda's own start-up fits in the rest.
 */
export const SCHEDULE_MARGIN_SECONDS = 10;

/**
 * The function timeout when the schedule's interval cannot be read (a cron expression, whose ticks
 * need not be evenly spaced): a run fits inside the shortest interval a cron schedule can have (a
 * minute).
 */
export const CRON_RUN_TIMEOUT_SECONDS = 60 - SCHEDULE_MARGIN_SECONDS;

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86_400 };

/** The amount and unit (as written, e.g. "minutes") of a `rate(...)` expression; undefined otherwise. */
export function parseRateExpression(expression: string): { amount: number; unit: string } | undefined {
  const rate = RATE.exec(expression);
  return rate ? { amount: Number(rate[1]), unit: rate[2] ?? '' } : undefined;
}

/** Seconds between two ticks of a `rate(...)` expression; undefined for anything else (cron). */
export function scheduleIntervalSeconds(expression: string): number | undefined {
  const rate = parseRateExpression(expression);
  if (!rate) return undefined;
  return rate.amount * (UNIT_SECONDS[rate.unit.replace(/s$/, '')] ?? Number.NaN);
}

/**
 * The collector's function timeout for a schedule, and so a run's time bound while behind: the
 * interval minus SCHEDULE_MARGIN_SECONDS, at most Lambda's 900 s; CRON_RUN_TIMEOUT_SECONDS for a cron
 * expression. `rate(1 minute)` gives 50 s.
 */
export function runTimeoutSecondsFor(expression: string): number {
  const interval = scheduleIntervalSeconds(expression);
  if (interval === undefined) return CRON_RUN_TIMEOUT_SECONDS;
  return Math.max(
    MIN_FUNCTION_TIMEOUT_SECONDS,
    Math.min(LAMBDA.maxTimeoutSeconds, interval - SCHEDULE_MARGIN_SECONDS),
  );
}
