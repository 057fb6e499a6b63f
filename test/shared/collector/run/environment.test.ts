import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../shared/collector/run/environment';
import { ConfigError } from '../../../../shared/util/errors';

const REQUIRED = {
  EVENT_TYPE: 'signinattempts',
  TOKEN_SECRET_ID: 'op-events/token',
  CURSOR_TABLE: 'cursors',
  DELIVERY_STREAM: 'signinattempts-stream',
};

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const config = loadConfig(REQUIRED);
    expect(config).toMatchObject({
      eventType: 'signinattempts',
      allowLoopback: false,
      pageSize: 1000,
      maxEventsPerRun: 600_000,
      startLookbackHours: 168,
      eventsApiUrl: undefined,
      requestBudgetPerMinute: 300,
      // The collector then uses its region's default quota (collector-runtime.ts).
      firehoseQuotaMiBPerSecond: undefined,
    });
  });

  it.each([
    [
      'EVENT_TYPE',
      'signins',
      /EVENT_TYPE must be one of auditevents, itemusages, signinattempts \(got "signins"\)/,
    ],
    ['PAGE_SIZE', '0', /PAGE_SIZE must be a whole number from 1 to 1000 \(got "0"\)/],
    ['PAGE_SIZE', '1001', /PAGE_SIZE/],
    ['PAGE_SIZE', '10.5', /PAGE_SIZE/],
    ['MAX_EVENTS_PER_RUN', 'lots', /MAX_EVENTS_PER_RUN/],
    [
      'MAX_EVENTS_PER_RUN',
      '1e4',
      /MAX_EVENTS_PER_RUN must be a whole number from 1 to 1000000 \(got "1e4"\)/,
    ],
    ['REQUEST_TIMEOUT_MS', '0x10', /REQUEST_TIMEOUT_MS must be a whole number of milliseconds/],
    ['START_TIME', '2026-13-01', /START_TIME must be an RFC 3339 time/],
    ['START_LOOKBACK_HOURS', '5000', /START_LOOKBACK_HOURS .* 2880/],
    ['EVENTS_API_ALLOW_LOOPBACK', 'yes', /EVENTS_API_ALLOW_LOOPBACK must be "true" or "false"/],
    ['EVENTS_API_URL', 'events.1password.com', /EVENTS_API_URL must be an https URL/],
    ['REQUEST_BUDGET_PER_MINUTE', '601', /REQUEST_BUDGET_PER_MINUTE/],
    [
      'FIREHOSE_QUOTA_MIB_PER_SECOND',
      '0',
      /FIREHOSE_QUOTA_MIB_PER_SECOND must be a whole number of MiB\/s from 1 to 1000/,
    ],
    ['FIREHOSE_QUOTA_MIB_PER_SECOND', '2.5', /FIREHOSE_QUOTA_MIB_PER_SECOND/],
  ])('names %s when it is %j', (name, value, message) => {
    expect(() => loadConfig({ ...REQUIRED, [name]: value })).toThrow(message);
  });

  it('names a missing required variable', () => {
    const { CURSOR_TABLE: _omitted, ...rest } = REQUIRED;
    expect(() => loadConfig(rest)).toThrow(/CURSOR_TABLE must be a DynamoDB table name \(it is not set\)/);
  });

  it('refuses a page size larger than the per-run bound the user also set, naming both', () => {
    const attempt = () => loadConfig({ ...REQUIRED, PAGE_SIZE: '500', MAX_EVENTS_PER_RUN: '100' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PAGE_SIZE \(500\) must not exceed MAX_EVENTS_PER_RUN \(100\)/);
  });

  it('MAX_EVENTS_PER_RUN alone: PAGE_SIZE defaults to min(1000, MAX_EVENTS_PER_RUN)', () => {
    expect(loadConfig({ ...REQUIRED, MAX_EVENTS_PER_RUN: '250' })).toMatchObject({
      maxEventsPerRun: 250,
      pageSize: 250,
    });
    expect(loadConfig({ ...REQUIRED, MAX_EVENTS_PER_RUN: '5000' }).pageSize).toBe(1000);
  });

  it('refuses START_TIME together with START_LOOKBACK_HOURS, naming both', () => {
    const attempt = () =>
      loadConfig({ ...REQUIRED, START_TIME: '2026-01-01T00:00:00Z', START_LOOKBACK_HOURS: '24' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/set either START_TIME or START_LOOKBACK_HOURS, not both/);
  });

  it('parses every optional variable', () => {
    const config = loadConfig({
      ...REQUIRED,
      EVENTS_API_URL: 'https://events.1password.eu',
      EVENTS_API_ALLOW_LOOPBACK: 'true',
      START_TIME: '2026-01-01T00:00:00Z',
      MAX_EVENTS_PER_RUN: '5000',
      PAGE_SIZE: '250',
      REQUEST_TIMEOUT_MS: '3000',
      TOKEN_CACHE_SECONDS: '60',
      FIREHOSE_QUOTA_MIB_PER_SECOND: '10',
    });
    expect(config).toMatchObject({
      eventsApiUrl: 'https://events.1password.eu',
      allowLoopback: true,
      startTime: '2026-01-01T00:00:00Z',
      maxEventsPerRun: 5000,
      pageSize: 250,
      requestTimeoutMs: 3000,
      tokenCacheSeconds: 60,
      firehoseQuotaMiBPerSecond: 10,
    });
  });
});
