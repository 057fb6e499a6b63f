import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/collector/run/environment';
import { parseDecimalInteger } from '../../../shared/util/decimal-integer';
import { startTimeProblem } from '../../../shared/util/start-time';
import { parseTimestamp } from '../../../shared/util/timestamp';

const REQUIRED = {
  EVENT_TYPE: 'signinattempts',
  TOKEN_SECRET_ID: 'op-events/token',
  CURSOR_TABLE: 'cursors',
  DELIVERY_STREAM: 'signinattempts-stream',
};
const DAY = 86_400_000;

describe('parseTimestamp accepts calendar-valid times only', () => {
  it.each([
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2026-01-01T00:00:00+99:99',
    '2026-01-01T00:00:00+24:00',
    '2026-01-01T00:00:00-00:60',
    '2026-01-01T24:00:00Z',
  ])('refuses %s', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });

  it.each([
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29) / 1000],
    ['2000-02-29T12:00:00Z', Date.UTC(2000, 1, 29, 12) / 1000],
    ['2026-01-01T00:00:00+23:59', Date.UTC(2026, 0, 1) / 1000 - (23 * 3600 + 59 * 60)],
    ['2026-01-01T00:00:00-23:59', Date.UTC(2026, 0, 1) / 1000 + (23 * 3600 + 59 * 60)],
    ['0001-01-01T00:00:00Z', -62_135_596_800],
    // Date.UTC would read year 0099 as 1999.
    ['0099-12-31T23:59:59Z', -59_011_459_201],
  ])('reads %s', (text, seconds) => {
    expect(parseTimestamp(text)).toEqual({ seconds, nanos: 0 });
  });

  it('reads the leap second 2016-12-31T23:59:60Z as the second after :59, on 2016-12-31', () => {
    // Unix time has no second 60: :59 with the nanoseconds running on (shared/util/timestamp.ts).
    expect(parseTimestamp('2016-12-31T23:59:60Z')).toEqual({
      seconds: Date.UTC(2016, 11, 31, 23, 59, 59) / 1000,
      nanos: 1_000_000_000,
    });
  });
});

describe('parseDecimalInteger', () => {
  it.each([
    '1e3',
    '0x10',
    '0b1',
    '0o7',
    '1.0',
    '10.5',
    '+5',
    ' 7',
    '7 ',
    '1_000',
    '',
    '-',
    '9007199254740993',
    'Infinity',
  ])('refuses %j', (text) => {
    expect(parseDecimalInteger(text)).toBeUndefined();
  });

  it.each([
    ['0', 0],
    ['-0', 0],
    ['1000', 1000],
    ['007', 7],
    ['-12', -12],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
  ])('reads %j', (text, value) => {
    expect(parseDecimalInteger(text)).toBe(value);
  });
});

describe('the collector configuration is strict', () => {
  it.each([
    ['PAGE_SIZE', '1e3'],
    ['PAGE_SIZE', '0x10'],
    ['PAGE_SIZE', '1.0'],
    ['MAX_EVENTS_PER_RUN', '1e4'],
    ['REQUEST_TIMEOUT_MS', '0x2710'],
    ['TOKEN_CACHE_SECONDS', '3e2'],
  ])('refuses %s=%s as not a decimal whole number', (name, value) => {
    expect(() => loadConfig({ ...REQUIRED, [name]: value })).toThrow(
      new RegExp(`${name} must be a whole number`),
    );
  });

  it.each(['2026-02-30T00:00:00Z', '2026-01-01T00:00:00+99:99', '0000-01-01T00:00:00Z'])(
    'refuses START_TIME=%s',
    (value) => {
      expect(() => loadConfig({ ...REQUIRED, START_TIME: value })).toThrow(
        /START_TIME must be an RFC 3339 time/,
      );
    },
  );

  it('refuses a START_TIME in the future, saying why', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    expect(() => loadConfig({ ...REQUIRED, START_TIME: '2026-06-02T00:00:00Z' }, () => now)).toThrow(
      /START_TIME 2026-06-02T00:00:00Z is in the future .* skip/,
    );
    expect(loadConfig({ ...REQUIRED, START_TIME: '2026-05-31T23:00:00Z' }, () => now).startTime).toBe(
      '2026-05-31T23:00:00Z',
    );
  });

  it('accepts a START_TIME older than the retention (it ages after deploy; the first run warns)', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    expect(loadConfig({ ...REQUIRED, START_TIME: '2025-01-01T00:00:00Z' }, () => now).startTime).toBe(
      '2025-01-01T00:00:00Z',
    );
  });
});

describe('startTimeProblem', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  it('tells the future, the time before retention and a usable time apart', () => {
    expect(startTimeProblem('--from', now + 2 * 60_000, now)?.kind).toBe('future');
    expect(startTimeProblem('--from', now + 30_000, now)).toBeUndefined();
    expect(startTimeProblem('--from', now - 119 * DAY, now)).toBeUndefined();
    expect(startTimeProblem('--from', now - 121 * DAY, now)).toMatchObject({
      kind: 'before_retention',
      message: expect.stringMatching(/--from .* is older than the Events API keeps events \(120 days/),
    });
  });
});
