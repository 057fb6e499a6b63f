import { EVENT_TYPES, type EventType, isEventType } from '../shared/contracts/event-types';
import { parseDecimalInteger } from '../shared/util/decimal-integer';
import { startTimeProblem } from '../shared/util/start-time';
import { instantToMillis, parseTimestamp, toWholeSecondRfc3339 } from '../shared/util/timestamp';
import { inputRefusals } from './usage-errors';

/** Checks and converts what operators type: event types, times, counts. Every refusal says what to type. */

const TYPE_LIST = EVENT_TYPES.join(', ');

export function parseEventType(value: string | undefined, option = '--type'): EventType {
  if (value === undefined || value.trim() === '') {
    throw inputRefusals.typeRequired(option, TYPE_LIST);
  }
  const type = value.trim();
  if (!isEventType(type)) {
    throw inputRefusals.unknownType(type, option, TYPE_LIST);
  }
  return type;
}

/** A comma-separated list of event types; all three when absent. */
export function parseEventTypes(value: string | undefined, option = '--types'): EventType[] {
  if (value === undefined) return [...EVENT_TYPES];
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw inputRefusals.noTypes(option, TYPE_LIST);
  const types = names.map((name) => parseEventType(name, option));
  return EVENT_TYPES.filter((type) => types.includes(type));
}

export function parseCount(
  value: string | undefined,
  option: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = parseDecimalInteger(value.trim());
  if (n === undefined || n < min || n > max) {
    throw inputRefusals.countOutOfRange(option, value, min, max);
  }
  return n;
}

/** A point in time an operator typed, resolved to epoch milliseconds and the API's whole-second form. */
export interface TimeInput {
  readonly ms: number;
  /** Whole-second UTC RFC 3339, the form the API is sent (`2026-01-01T00:00:00Z`). */
  readonly text: string;
}

const RELATIVE = /^(\d+)\s*([mhd])$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Accepts RFC 3339 with an offset (`2026-01-05T08:00:00Z`, `...+02:00`), a UTC date (`2026-01-05`),
 * or an age (`90m`, `12h`, `7d` before now). Fractions of a second are dropped, as the API's own clients do.
 */
export function parseTimeInput(
  value: string | undefined,
  option: string,
  now: number,
): TimeInput | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let ms: number | undefined;
  const relative = RELATIVE.exec(text);
  if (relative) {
    ms = now - Number(relative[1]) * (UNIT_MS[(relative[2] ?? '').toLowerCase()] ?? 0);
  } else if (DATE_ONLY.test(text)) {
    const instant = parseTimestamp(`${text}T00:00:00Z`);
    ms = instant ? instantToMillis(instant) : undefined;
  } else {
    const instant = parseTimestamp(text);
    ms = instant ? instantToMillis(instant) : undefined;
  }
  if (ms === undefined) {
    const hint = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? ' It has no time zone: add Z for UTC.' : '';
    throw inputRefusals.notATime(option, value, hint);
  }
  return { ms, text: toWholeSecondRfc3339(ms) };
}

/** Refuses a start time the API cannot serve: in the future, or older than its 120-day retention. */
export function requireWithinRetention(time: TimeInput, option: string, now: number): void {
  const problem = startTimeProblem(option, time.ms, now);
  if (problem) throw inputRefusals.startOutOfReach(problem);
}
