import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/detections/scheduled-rules';

const context = { getRemainingTimeInMillis: () => 60_000 };

describe("the scheduled rules' handler refuses a bad setting before any query", () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ['abc', 'PERIOD_MINUTES is "abc", not a whole number of minutes (at least 1)'],
    ['0', 'PERIOD_MINUTES is "0", not a whole number of minutes (at least 1)'],
    ['7.5', 'PERIOD_MINUTES is "7.5", not a whole number of minutes (at least 1)'],
    ['', 'PERIOD_MINUTES is not set; the stack sets it (redeploy).'],
  ])('PERIOD_MINUTES=%j', async (value, message) => {
    vi.stubEnv('ALERT_EVENT_BUS', 'default');
    vi.stubEnv('PERIOD_MINUTES', value);
    vi.stubEnv('CURSOR_TABLE', 'cursors');
    vi.stubEnv('WORK_GROUP', 'wg');
    vi.stubEnv('GLUE_DATABASE', 'db');
    vi.stubEnv('COLLECTED_TYPES', 'auditevents');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await expect(handler({}, context)).rejects.toThrow(message);
  });
});
