/**
 * RFC 3339 timestamps with 0 to 9 fractional digits and any offset, handled without `Date`
 * rounding them to milliseconds. Event timestamps are never rewritten: these helpers only compare
 * them and derive dates from them.
 */
export interface Instant {
  /** Whole seconds since the Unix epoch (UTC). */
  readonly seconds: number;
  /** Nanoseconds within that second, 0..999,999,999. */
  readonly nanos: number;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export function parseTimestamp(text: unknown): Instant | undefined {
  if (typeof text !== 'string') return undefined;
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  let offsetMinutes = 0;
  if (!m[8]) {
    const sign = m[9] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(m[10]) * 60 + Number(m[11]));
  }
  const localMs = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(localMs)) return undefined;
  const nanos = m[7] ? Number(m[7].padEnd(9, '0')) : 0;
  return { seconds: localMs / 1000 - offsetMinutes * 60, nanos };
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

const SECONDS_PER_DAY = 86_400;
/** The last day asked for: a page's events mostly fall on one or two days. */
let lastDay = { day: Number.NaN, date: '' };

/** UTC calendar date (YYYY-MM-DD) of an instant. */
export function utcDate(instant: Instant): string {
  const day = Math.floor(instant.seconds / SECONDS_PER_DAY);
  if (day !== lastDay.day) {
    lastDay = { day, date: new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10) };
  }
  return lastDay.date;
}

/** Whole-second UTC RFC 3339, the form every official client sends in `start_time`. */
export function toWholeSecondRfc3339(epochMs: number): string {
  return `${new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
