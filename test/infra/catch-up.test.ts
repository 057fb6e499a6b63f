import { describe, expect, it } from 'vitest';
import {
  CRON_RUN_TIMEOUT_SECONDS,
  runTimeoutSecondsFor,
  SCHEDULE_MARGIN_SECONDS,
  scheduleIntervalSeconds,
} from '../../infra/defaults/catch-up';
import { LAMBDA } from '../../shared/contracts/aws-limits';
import { MIN_FUNCTION_TIMEOUT_SECONDS } from '../../shared/contracts/run-timing';

describe('a run behind pages until shortly before the next tick', () => {
  it.each([
    ['rate(1 minute)', 60],
    ['rate(5 minutes)', 300],
    ['rate(1 hour)', 3600],
    ['rate(2 days)', 172_800],
    ['cron(0/5 * * * ? *)', undefined],
  ])('%s ticks every %s s', (expression, seconds) => {
    expect(scheduleIntervalSeconds(expression)).toBe(seconds);
  });

  it('leaves the margin before the next tick, within Lambda’s timeout', () => {
    expect(runTimeoutSecondsFor('rate(1 minute)')).toBe(60 - SCHEDULE_MARGIN_SECONDS);
    expect(runTimeoutSecondsFor('rate(5 minutes)')).toBe(300 - SCHEDULE_MARGIN_SECONDS);
    expect(runTimeoutSecondsFor('rate(15 minutes)')).toBe(890);
    expect(runTimeoutSecondsFor('rate(16 minutes)')).toBe(LAMBDA.maxTimeoutSeconds);
    expect(runTimeoutSecondsFor('rate(1 day)')).toBe(LAMBDA.maxTimeoutSeconds);
  });

  it('gives a cron schedule the one-minute bound, never less than one page needs', () => {
    expect(runTimeoutSecondsFor('cron(0 * * * ? *)')).toBe(CRON_RUN_TIMEOUT_SECONDS);
    expect(CRON_RUN_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(MIN_FUNCTION_TIMEOUT_SECONDS);
  });
});
