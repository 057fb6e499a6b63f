/**
 * RFC 3339 timestamps with 0 to 9 fractional digits and any offset, handled without `Date`
 * rounding them to milliseconds. Event timestamps are never rewritten: these helpers only compare
 * them and derive dates from them.
 */
export interface Instant {
  /** Whole seconds since the Unix epoch (UTC). */
  readonly seconds: number;
  /**
   * Nanoseconds within that second, 0..999,999,999; during a leap second (`:60`) the second is :59
   * and the nanoseconds run on from 1,000,000,000, so that the instant sorts after :59 and before the
   * next minute, and stays on the UTC day of :59 (Unix time has no second 60 to count it in).
   */
  readonly nanos: number;
}

/**
 * `YYYY-MM-DD(T|t| )HH:MM:SS(.F{1,9})?(Z|z|(+|-)HH:MM)`, read character by character: this runs once
 * per event on the hot path, where a regular expression and its match array cost more than the rest
 * of the event's bookkeeping.
 */
export function parseTimestamp(text: unknown): Instant | undefined {
  if (typeof text !== 'string' || text.length < 20) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const separator = text.charCodeAt(10);
  if (
    year < 0 ||
    month < 0 ||
    day < 0 ||
    hour < 0 ||
    minute < 0 ||
    second < 0 ||
    text.charCodeAt(4) !== DASH ||
    text.charCodeAt(7) !== DASH ||
    (separator !== 84 && separator !== 116 && separator !== 32) ||
    text.charCodeAt(13) !== COLON ||
    text.charCodeAt(16) !== COLON
  ) {
    return undefined;
  }
  let i = 19;
  let nanos = 0;
  if (text.charCodeAt(i) === 46) {
    let end = i + 1;
    while (isDigit(text.charCodeAt(end))) end++;
    const fractionDigits = end - i - 1;
    if (fractionDigits < 1 || fractionDigits > 9) return undefined;
    nanos = digitsAt(text, i + 1, fractionDigits) * 10 ** (9 - fractionDigits);
    i = end;
  }
  const offsetMinutes = offsetAt(text, i);
  if (offsetMinutes === undefined) return undefined;
  // Calendar-valid only: no year 0000, no February 30th; second 60 is RFC 3339's leap second.
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const leap = second === 60 ? 1 : 0;
  const localSeconds =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - leap;
  return { seconds: localSeconds - offsetMinutes * 60, nanos: nanos + leap * 1e9 };
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). Date.UTC would
 * read years 0001-0099 as 1901-1999.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const DASH = 45;
const COLON = 58;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The number written by `count` ASCII digits at `from`, or -1 if any is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

/** Minutes east of UTC of the zone designator that must end the text at `i`; undefined if there is none. */
function offsetAt(text: string, i: number): number | undefined {
  const code = text.charCodeAt(i);
  if (code === 90 || code === 122) return text.length === i + 1 ? 0 : undefined;
  if ((code !== 43 && code !== 45) || text.length !== i + 6 || text.charCodeAt(i + 3) !== COLON) {
    return undefined;
  }
  const hours = digitsAt(text, i + 1, 2);
  const minutes = digitsAt(text, i + 4, 2);
  // RFC 3339 offsets are at most 23:59 either way.
  if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return undefined;
  return (code === 45 ? -1 : 1) * (hours * 60 + minutes);
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

/** The later of two timestamp strings (either may be absent or unparsable); returns the original text. */
export function laterTimestamp(a: string | undefined, b: string | undefined): string | undefined {
  const ia = parseTimestamp(a);
  const ib = parseTimestamp(b);
  if (!ia) return ib ? b : a;
  if (!ib) return a;
  return compareInstants(ib, ia) > 0 ? b : a;
}

export function instantToMillis(instant: Instant): number {
  return instant.seconds * 1000 + Math.floor(instant.nanos / 1e6);
}

/**
 * Seconds from an RFC 3339 timestamp to `nowMs`, never negative; undefined when it is absent or unreadable.
 */
export function secondsSince(timestamp: string | undefined, nowMs: number): number | undefined {
  const at = parseTimestamp(timestamp);
  return at ? Math.max(0, (nowMs - instantToMillis(at)) / 1000) : undefined;
}

const SECONDS_PER_DAY = 86_400;
/** The last day asked for: a page's events mostly fall on one or two days. */
let lastDay = { day: Number.NaN, date: '' };

/** Days from 1970-01-01 to an instant's UTC calendar date. */
export function utcDay(instant: Instant): number {
  return Math.floor(instant.seconds / SECONDS_PER_DAY);
}

/** UTC calendar date (YYYY-MM-DD) of an instant. */
export function utcDate(instant: Instant): string {
  const day = utcDay(instant);
  if (day !== lastDay.day) {
    lastDay = { day, date: new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10) };
  }
  return lastDay.date;
}

/** Whole-second UTC RFC 3339, the form every official client sends in `start_time`. */
export function toWholeSecondRfc3339(epochMs: number): string {
  return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
