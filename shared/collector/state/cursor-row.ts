import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import type { EventType } from '../../contracts/event-types';
import { redactSecrets } from '../../util/redaction';
import { cursorRowErrors } from './state-errors';

/**
 * One event type's row in the cursor table as DynamoDB holds it (snake_case attributes), and its
 * conversion to and from the store's CursorState. util-dynamodb turns attribute values into plain
 * values and back; the schema below says which attributes the row has and what each holds. Other
 * attributes (`pk`, `lease_taken_at`) are not read.
 */

/** How a run ended, as kept on the type's row for `op-events status` and the next run. */
export interface RunRecord {
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly result: 'ok' | 'failed';
  readonly events: number;
  readonly pages: number;
  readonly stopReason: string;
  /** Token-free error text of a failed run. */
  readonly error?: string;
}

/** Where collection stood before a `reset`, so it can be undone. */
export interface PreviousPosition {
  readonly cursor?: string;
  readonly pageLimit?: number;
  readonly startFrom?: string;
  readonly changedAt: string;
}

/** One event type's row in the cursor table. */
export interface CursorState {
  readonly type: EventType;
  /** The API cursor after the last delivered page; absent before the first run or after a reset. */
  readonly cursor?: string;
  /** `limit` the cursor was created with (a continuing request cannot change it). */
  readonly pageLimit?: number;
  /** Newest event timestamp ever delivered, as the API wrote it. Fallback start for a rejected cursor. */
  readonly newestEventTime?: string;
  /** Start time set by `reset`, used when there is no cursor. */
  readonly startFrom?: string;
  /**
   * The 1Password account (introspection's account_uuid) this type has collected from; a different one fails
   * runs.
   */
  readonly accountUuid?: string;
  /**
   * Largest lateness (delivery time minus event time) seen for this type, in seconds: the least overlap of a
   * cursor fallback.
   */
  readonly maxLatenessSeconds?: number;
  /** Fingerprint of a page that came back with its own cursor (stuck), already delivered once. */
  readonly stuckPage?: string;
  /** Positions replaced by resets, oldest first; `undo` restores the last one. Absent when none. */
  readonly resetHistory?: readonly PreviousPosition[];
  readonly leaseOwner?: string;
  /** Epoch milliseconds. */
  readonly leaseExpiresAt?: number;
  readonly lastRun?: RunRecord;
  readonly totalEvents: number;
  readonly updatedAt?: string;
}

const text = z.optional(z.string());
const count = z.optional(z.number());
// A run record or reset position missing a member reads it as empty, as the store always has.
const textOrEmpty = z._default(z.string(), '');
const countOrZero = z._default(z.number(), 0);

const RUN_ROW = z.object({
  run_id: textOrEmpty,
  started_at: textOrEmpty,
  finished_at: textOrEmpty,
  result: z.pipe(
    text,
    z.transform((result): RunRecord['result'] => (result === 'failed' ? 'failed' : 'ok')),
  ),
  events: countOrZero,
  pages: countOrZero,
  stop_reason: textOrEmpty,
  error: text,
});

const POSITION_ROW = z.object({
  cursor: text,
  page_limit: count,
  start_from: text,
  changed_at: textOrEmpty,
});

/** The attributes of a cursor row that the store reads. */
const CURSOR_ROW = z.object({
  cursor: text,
  page_limit: count,
  newest_event_time: text,
  start_from: text,
  account_uuid: text,
  max_lateness_seconds: count,
  stuck_page: text,
  reset_history: z.optional(z.array(POSITION_ROW)),
  lease_owner: text,
  lease_expires_at: count,
  last_run: z.optional(RUN_ROW),
  total_events: count,
  updated_at: text,
});

type RunRow = z.output<typeof RUN_ROW>;
type PositionRow = z.output<typeof POSITION_ROW>;

/** The value without its undefined members (the state's optional fields are absent, not undefined). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function positionFromRow(row: PositionRow): PreviousPosition {
  return compact({
    cursor: row.cursor,
    pageLimit: row.page_limit,
    startFrom: row.start_from,
    changedAt: row.changed_at,
  });
}

function runFromRow(row: RunRow): RunRecord {
  return compact({
    runId: row.run_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    result: row.result,
    events: row.events,
    pages: row.pages,
    stopReason: row.stop_reason,
    error: row.error || undefined,
  });
}

/** The row's state; a row the table does not have is a type that never ran. */
export function stateFromItem(
  type: EventType,
  item: Record<string, AttributeValue> | undefined,
): CursorState {
  if (!item) return { type, totalEvents: 0 };
  const parsed = CURSOR_ROW.safeParse(unmarshall(item));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw cursorRowErrors.unexpectedAttributes(type, fields);
  }
  const row = parsed.data;
  const history = row.reset_history?.map(positionFromRow);
  return compact({
    type,
    cursor: row.cursor,
    pageLimit: row.page_limit,
    newestEventTime: row.newest_event_time,
    startFrom: row.start_from,
    accountUuid: row.account_uuid,
    maxLatenessSeconds: row.max_lateness_seconds,
    stuckPage: row.stuck_page,
    resetHistory: history && history.length > 0 ? history : undefined,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    lastRun: row.last_run && runFromRow(row.last_run),
    totalEvents: row.total_events ?? 0,
    updatedAt: row.updated_at,
  });
}

/** The `last_run` map of a run record; its error text token-free and cut at 1,000 characters. */
export function runRow(run: RunRecord): RunRow {
  return compact({
    run_id: run.runId,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    result: run.result,
    events: run.events,
    pages: run.pages,
    stop_reason: run.stopReason,
    error: run.error ? redactSecrets(run.error).slice(0, 1000) : undefined,
  });
}

/** A `reset_history` entry; empty texts are left out, as they were never written. */
export function positionRow(position: PreviousPosition): PositionRow {
  return compact({
    changed_at: position.changedAt,
    cursor: position.cursor || undefined,
    page_limit: position.pageLimit,
    start_from: position.startFrom || undefined,
  });
}
