/**
 * Exact RFC 3339 instants (0 to 9 fractional digits, any offset). Written independently of the
 * collector's own timestamp code on purpose: a stand-in that shared it could not catch its bugs.
 */
export interface Instant {
  /** Whole seconds since the Unix epoch. */
  readonly seconds: number;
  /** 0..999,999,999. */
  readonly nanos: number;
}

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export function parseRfc3339(text: string): Instant | undefined {
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 10, 11].map(
    (group) => Number(match[group] ?? 0),
  ) as [number, number, number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const validDate = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
  if (!validDate || hour > 23 || minute > 59 || second > 60 || offsetHours > 23 || offsetMinutes > 59) {
    return undefined;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const offsetSign = match[9] === '-' ? -1 : 1;
  const offsetSeconds = match[8] ? 0 : offsetSign * (offsetHours * 3600 + offsetMinutes * 60);
  return {
    seconds: date.getTime() / 1000 - offsetSeconds,
    nanos: Number((match[7] ?? '').padEnd(9, '0')),
  };
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.seconds - b.seconds || a.nanos - b.nanos;
}

export function instantFromMillis(epochMs: number): Instant {
  const seconds = Math.floor(epochMs / 1000);
  return { seconds, nanos: Math.round((epochMs - seconds * 1000) * 1e6) };
}

/**
 * Formats as Go's RFC3339Nano does (what the API's servers emit): trailing zeros of the fraction
 * dropped, so the number of digits varies from 0 to 9. `offsetMinutes` writes local time with
 * that offset instead of `Z`.
 */
export function formatRfc3339(instant: Instant, offsetMinutes = 0): string {
  const local = new Date((instant.seconds + offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
  const fraction = String(instant.nanos).padStart(9, '0').replace(/0+$/, '');
  return `${local}${fraction ? `.${fraction}` : ''}${formatOffset(offsetMinutes)}`;
}

function formatOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'Z';
  const magnitude = Math.abs(offsetMinutes);
  const hours = String(Math.floor(magnitude / 60)).padStart(2, '0');
  const minutes = String(magnitude % 60).padStart(2, '0');
  return `${offsetMinutes < 0 ? '-' : '+'}${hours}:${minutes}`;
}
