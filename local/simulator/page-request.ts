import { compareInstants, formatRfc3339, instantFromMillis, parseRfc3339 } from './rfc3339';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** Without start_time the API starts one hour back. */
export const DEFAULT_LOOKBACK_MS = 60 * 60 * 1000;

export type PageRequest =
  | { readonly kind: 'reset'; readonly limit: number; readonly startTime: string; readonly endTime?: string }
  | { readonly kind: 'continue'; readonly cursor: string };

export type ParsedPageRequest = PageRequest | { readonly kind: 'invalid'; readonly message: string };

const RESET_FIELDS = ['limit', 'start_time', 'end_time'];

function invalid(message: string): ParsedPageRequest {
  return { kind: 'invalid', message };
}

/** Reads a page request body: exactly one of the reset form or the continue (cursor) form. */
export function parsePageRequest(body: string, nowMs: number): ParsedPageRequest {
  if (body.trim() === '') return invalid('request body is required');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return invalid('request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid('request body must be a JSON object');
  }
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => key !== 'cursor' && !RESET_FIELDS.includes(key));
  if (unknown !== undefined) return invalid(`unknown field "${unknown}"`);

  if ('cursor' in fields) {
    if (RESET_FIELDS.some((key) => key in fields)) {
      return invalid('send either a cursor or limit/start_time/end_time, not both');
    }
    const cursor = fields.cursor;
    if (typeof cursor !== 'string' || cursor === '') return invalid('cursor must be a non-empty string');
    return { kind: 'continue', cursor };
  }

  const limit = fields.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return invalid(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  const startTime = fields.start_time ?? defaultStartTime(nowMs);
  const start = typeof startTime === 'string' ? parseRfc3339(startTime) : undefined;
  if (typeof startTime !== 'string' || !start) return invalid('start_time must be an RFC 3339 timestamp');
  const endTime = fields.end_time;
  if (endTime === undefined) return { kind: 'reset', limit, startTime };
  const end = typeof endTime === 'string' ? parseRfc3339(endTime) : undefined;
  if (typeof endTime !== 'string' || !end) return invalid('end_time must be an RFC 3339 timestamp');
  if (compareInstants(end, start) <= 0) return invalid('end_time must be after start_time');
  return { kind: 'reset', limit, startTime, endTime };
}

/** One hour back, in whole seconds as the official clients send it. */
function defaultStartTime(nowMs: number): string {
  return formatRfc3339(instantFromMillis(Math.floor((nowMs - DEFAULT_LOOKBACK_MS) / 1000) * 1000));
}
