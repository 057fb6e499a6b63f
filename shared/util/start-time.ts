import { toWholeSecondRfc3339 } from './timestamp';

/** The Events API keeps events for 120 days. */
export const RETENTION_HOURS = 120 * 24;
const HOUR_MS = 3_600_000;
/** Clock difference allowed before a time counts as "in the future". */
export const FUTURE_SLACK_MS = 60_000;

/** Where a start time stands against now and the API's retention. */
export type StartTimeProblem =
  | { readonly kind: 'future'; readonly message: string }
  | { readonly kind: 'before_retention'; readonly message: string };

/**
 * What is wrong with starting collection at `ms` (epoch milliseconds), or undefined. `name` is the
 * setting or option the time came from, for the message.
 */
export function startTimeProblem(name: string, ms: number, nowMs: number): StartTimeProblem | undefined {
  const text = toWholeSecondRfc3339(ms);
  if (ms > nowMs + FUTURE_SLACK_MS) {
    return {
      kind: 'future',
      message:
        `${name} ${text} is in the future (now is ${toWholeSecondRfc3339(nowMs)}). ` +
        'Give a time in the past.',
    };
  }
  const oldest = nowMs - RETENTION_HOURS * HOUR_MS;
  if (ms < oldest) {
    return {
      kind: 'before_retention',
      message:
        `${name} ${text} is older than the Events API keeps events (120 days, so not before ` +
        `${toWholeSecondRfc3339(oldest)}).`,
    };
  }
  return undefined;
}
