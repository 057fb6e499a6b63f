import { type EventType, isEventType } from '../../shared/contracts/event-types';
import { parseRfc3339 } from './rfc3339';

/** Everything a cursor carries: the server keeps no per-client state, so a retry repeats a page. */
export interface CursorState {
  readonly type: EventType;
  /** Log position after the last entry already scanned. */
  readonly position: number;
  readonly limit: number;
  /** The reset's window, as RFC 3339 text. */
  readonly startTime: string;
  readonly endTime: string | undefined;
  /** Simulator epoch when issued; `expireCursors()` moves the epoch on and invalidates it. */
  readonly epoch: number;
}

interface WireCursor {
  v: 1;
  t: string;
  p: number;
  l: number;
  s: string;
  e: string | null;
  g: number;
}

/** Opaque base64 text; deterministic, so the same state always gives the same cursor string. */
export function encodeCursor(state: CursorState): string {
  const wire: WireCursor = {
    v: 1,
    t: state.type,
    p: state.position,
    l: state.limit,
    s: state.startTime,
    e: state.endTime ?? null,
    g: state.epoch,
  };
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
}

/** The state in a cursor, or undefined when the text is not a cursor this simulator issued. */
export function decodeCursor(text: string): CursorState | undefined {
  let wire: Partial<WireCursor>;
  try {
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof wire !== 'object' || wire === null || wire.v !== 1) return undefined;
  const { t, p, l, s, e, g } = wire;
  const valid =
    typeof t === 'string' &&
    isEventType(t) &&
    Number.isSafeInteger(p) &&
    (p ?? -1) >= 0 &&
    Number.isSafeInteger(l) &&
    (l ?? 0) >= 1 &&
    typeof s === 'string' &&
    parseRfc3339(s) !== undefined &&
    (e === null || (typeof e === 'string' && parseRfc3339(e) !== undefined)) &&
    Number.isSafeInteger(g);
  if (!valid) return undefined;
  return {
    type: t,
    position: p as number,
    limit: l as number,
    startTime: s,
    endTime: e ?? undefined,
    epoch: g as number,
  };
}
