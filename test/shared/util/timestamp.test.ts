import { describe, expect, it } from 'vitest';
import {
  compareInstants,
  instantToMillis,
  laterTimestamp,
  parseTimestamp,
  toWholeSecondRfc3339,
  utcDate,
} from '../../../shared/util/timestamp';

describe('parseTimestamp', () => {
  it('keeps nanoseconds that Date would round away', () => {
    const a = parseTimestamp('2024-12-02T11:55:20.710457472Z');
    const b = parseTimestamp('2024-12-02T11:55:20.710457473Z');
    expect(a).toEqual({ seconds: Date.UTC(2024, 11, 2, 11, 55, 20) / 1000, nanos: 710_457_472 });
    expect(compareInstants(b!, a!)).toBeGreaterThan(0);
  });

  it('compares timestamps with different fraction lengths and offsets by instant, not text', () => {
    // As strings, "…20.7Z" > "…20.123456789Z", and the -03:00 one looks earliest; by instant the order differs.
    const short = parseTimestamp('2024-01-01T00:00:20.7Z')!;
    const long = parseTimestamp('2024-01-01T00:00:20.123456789Z')!;
    const offset = parseTimestamp('2023-12-31T21:00:21-03:00')!;
    expect(compareInstants(short, long)).toBeGreaterThan(0);
    expect(compareInstants(offset, short)).toBeGreaterThan(0);
    expect(utcDate(offset)).toBe('2024-01-01');
  });

  it('keeps a leap second (:60) on its own UTC day, after :59 and before the next minute', () => {
    const cases: [string, string][] = [
      ['2026-06-30T23:59:60Z', '2026-06-30'],
      ['2026-06-30T23:59:60.999999999Z', '2026-06-30'],
      // Mid-day in its own offset, 23:59:60 in UTC.
      ['2026-06-30T11:59:60-12:00', '2026-06-30'],
      ['2026-07-01T01:59:60+02:00', '2026-06-30'],
      // Any minute's :60 stays in that minute's day.
      ['2026-06-30T12:30:60Z', '2026-06-30'],
    ];
    for (const [text, date] of cases) expect(utcDate(parseTimestamp(text)!), text).toBe(date);
    const leap = parseTimestamp('2026-06-30T23:59:60.5Z')!;
    expect(compareInstants(leap, parseTimestamp('2026-06-30T23:59:59.999999999Z')!)).toBeGreaterThan(0);
    expect(compareInstants(leap, parseTimestamp('2026-07-01T00:00:00Z')!)).toBeLessThan(0);
    expect(toWholeSecondRfc3339(instantToMillis(leap))).toBe('2026-07-01T00:00:00Z');
  });

  it('rejects what is not RFC 3339', () => {
    for (const bad of [
      '2024-01-01',
      'yesterday',
      '2024-13-01T00:00:00Z',
      '2024-01-01T00:00:00',
      42,
      undefined,
    ]) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
  });

  it('laterTimestamp returns the original text of the later instant', () => {
    expect(laterTimestamp('2024-01-01T00:00:00.5Z', '2024-01-01T00:00:00.123456789Z')).toBe(
      '2024-01-01T00:00:00.5Z',
    );
    expect(laterTimestamp(undefined, '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00Z');
    expect(laterTimestamp('garbage', '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00Z');
  });

  it('formats start times as whole UTC seconds', () => {
    const ms = instantToMillis(parseTimestamp('2026-03-04T05:06:07.999+01:00')!);
    expect(toWholeSecondRfc3339(ms)).toBe('2026-03-04T04:06:07Z');
  });
});
