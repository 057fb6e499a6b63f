import { compareInstants, type Instant, parseTimestamp, utcDate } from '../util/timestamp';

/** An instant as UTC RFC 3339, its fraction kept to the digits it has (no rounding through Date). */
export function utcRfc3339(instant: Instant): string {
  const whole = new Date(instant.seconds * 1000).toISOString().slice(0, 19);
  // A leap second's nanoseconds run past 1e9 (shared/util/timestamp.ts): shown as the last nanosecond of :59.
  const nanos = Math.min(instant.nanos, 999_999_999);
  const fraction = nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
  return `${whole}${fraction}Z`;
}

/** The earliest and latest of some event timestamps, and the UTC dates (`dt`) they span. */
export interface TimeSpan {
  readonly first: Instant;
  readonly last: Instant;
}

/** The span of the readable timestamps among the texts; undefined when none is readable. */
export function spanOf(timestamps: readonly unknown[]): TimeSpan | undefined {
  let span: { first: Instant; last: Instant } | undefined;
  for (const text of timestamps) {
    const at = parseTimestamp(text);
    if (!at) continue;
    if (!span) span = { first: at, last: at };
    else {
      if (compareInstants(at, span.first) < 0) span.first = at;
      if (compareInstants(at, span.last) > 0) span.last = at;
    }
  }
  return span;
}

/** The `dt` range of a span: the UTC dates of its first and last instants. */
export function dateRange(span: TimeSpan): { readonly from: string; readonly to: string } {
  return { from: utcDate(span.first), to: utcDate(span.last) };
}
