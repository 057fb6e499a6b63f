import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DYNAMODB } from '../../contracts/aws-limits';
import { cursorKeyFor, type EventType } from '../../contracts/event-types';
import { untilDeadline } from '../../util/aws-call';
import { CursorTooLargeError, LeaseLostError } from '../../util/errors';
import { redactSecrets } from '../../util/redaction';
import { attributeSizeBytes, itemSizeBytes } from './dynamodb-item-size';

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

/** Resets kept on the row for `undo`: the newest first out; older ones are dropped past this. */
export const MAX_RESET_HISTORY = 5;

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
  /** The 1Password account (introspection's account_uuid) this type has collected from; a different one fails runs. */
  readonly accountUuid?: string;
  /** Largest lateness (delivery time minus event time) seen for this type, in seconds: the least overlap of a cursor fallback. */
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

export type LeaseResult =
  | {
      readonly acquired: true;
      readonly state: CursorState;
      /** DynamoDB's size of the row without its cursor attribute, as the lease found it. */
      readonly rowBytesWithoutCursor: number;
    }
  | { readonly acquired: false; readonly holder: string | undefined; readonly expiresAt: number | undefined };

export interface PageCommit {
  readonly cursor: string;
  readonly pageLimit: number | undefined;
  readonly newestEventTime: string | undefined;
  readonly events: number;
  /** Recorded if the row has no account yet. */
  readonly accountUuid?: string;
  /** The row's new largest lateness (the caller, holding the lease, passes it only when it grew). */
  readonly maxLatenessSeconds?: number;
  /** Set for a stuck page (its fingerprint); any other commit clears it. */
  readonly stuckPage?: string;
}

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

function readString(item: Record<string, AttributeValue>, key: string): string | undefined {
  return item[key]?.S;
}
function readNumber(item: Record<string, AttributeValue>, key: string): number | undefined {
  const value = item[key]?.N;
  return value === undefined ? undefined : Number(value);
}

function runToAttribute(run: RunRecord): AttributeValue {
  const fields: Record<string, AttributeValue> = {
    run_id: s(run.runId),
    started_at: s(run.startedAt),
    finished_at: s(run.finishedAt),
    result: s(run.result),
    events: n(run.events),
    pages: n(run.pages),
    stop_reason: s(run.stopReason),
  };
  if (run.error) fields.error = s(redactSecrets(run.error).slice(0, 1000));
  return { M: fields };
}

function runFromAttribute(value: AttributeValue | undefined): RunRecord | undefined {
  const m = value?.M;
  if (!m) return undefined;
  const error = readString(m, 'error');
  return {
    runId: readString(m, 'run_id') ?? '',
    startedAt: readString(m, 'started_at') ?? '',
    finishedAt: readString(m, 'finished_at') ?? '',
    result: readString(m, 'result') === 'failed' ? 'failed' : 'ok',
    events: readNumber(m, 'events') ?? 0,
    pages: readNumber(m, 'pages') ?? 0,
    stopReason: readString(m, 'stop_reason') ?? '',
    ...(error ? { error } : {}),
  };
}

function positionFromAttribute(value: AttributeValue | undefined): PreviousPosition | undefined {
  const m = value?.M;
  if (!m) return undefined;
  return compact({
    cursor: readString(m, 'cursor'),
    pageLimit: readNumber(m, 'page_limit'),
    startFrom: readString(m, 'start_from'),
    changedAt: readString(m, 'changed_at') ?? '',
  });
}

function positionToAttribute(position: PreviousPosition): AttributeValue {
  const fields: Record<string, AttributeValue> = { changed_at: s(position.changedAt) };
  if (position.cursor) fields.cursor = s(position.cursor);
  if (position.pageLimit !== undefined) fields.page_limit = n(position.pageLimit);
  if (position.startFrom) fields.start_from = s(position.startFrom);
  return { M: fields };
}

/** `reset_history` (a list, oldest first); rows written before it existed keep one `previous` map. */
function historyFromItem(item: Record<string, AttributeValue>): PreviousPosition[] | undefined {
  const list = item.reset_history?.L;
  const entries = list ? list : item.previous ? [item.previous] : [];
  const history = entries.map(positionFromAttribute).filter((p): p is PreviousPosition => p !== undefined);
  return history.length > 0 ? history : undefined;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function stateFromItem(
  type: EventType,
  item: Record<string, AttributeValue> | undefined,
): CursorState {
  if (!item) return { type, totalEvents: 0 };
  return compact({
    type,
    cursor: readString(item, 'cursor'),
    pageLimit: readNumber(item, 'page_limit'),
    newestEventTime: readString(item, 'newest_event_time'),
    startFrom: readString(item, 'start_from'),
    accountUuid: readString(item, 'account_uuid'),
    maxLatenessSeconds: readNumber(item, 'max_lateness_seconds'),
    stuckPage: readString(item, 'stuck_page'),
    resetHistory: historyFromItem(item),
    leaseOwner: readString(item, 'lease_owner'),
    leaseExpiresAt: readNumber(item, 'lease_expires_at'),
    lastRun: runFromAttribute(item.last_run),
    totalEvents: readNumber(item, 'total_events') ?? 0,
    updatedAt: readString(item, 'updated_at'),
  });
}

/**
 * Room kept in the row for what a run writes besides the cursor: the run record (its error text is
 * cut at 1,000 characters), the newest event time, counters and timestamps.
 */
const ROW_BOOKKEEPING_BYTES = 4 * 1024;

/**
 * Fails, naming the sizes, when the row could not hold `cursor` within DynamoDB's item limit. Called
 * before the page of that cursor is delivered: otherwise the page would reach S3, its commit would be
 * refused, and every later run would deliver it again.
 */
export function assertCursorFits(type: EventType, cursor: string, rowBytesWithoutCursor: number): void {
  const cursorBytes = attributeSizeBytes('cursor', { S: cursor });
  const rowBytes = rowBytesWithoutCursor + cursorBytes + ROW_BOOKKEEPING_BYTES;
  if (rowBytes <= DYNAMODB.maxItemBytes) return;
  throw new CursorTooLargeError(
    `The Events API returned a cursor of ${cursorBytes} bytes for ${type}: with the rest of the cursor row (${rowBytesWithoutCursor} bytes, plus ${ROW_BOOKKEEPING_BYTES} kept for run bookkeeping) it does not fit in one DynamoDB item (${DYNAMODB.maxItemBytes} bytes, 400 KB). Nothing of this page was delivered and the stored cursor is unchanged. If it happens again, report it to 1Password and move the start point past it with "op-events reset".`,
  );
}

/** No run holds the lease: none was taken, or it has expired (before `:nowMs`). */
const LEASE_IS_FREE = 'attribute_not_exists(lease_owner) OR lease_expires_at < :nowMs';

/**
 * The cursor table: one row per event type (`pk` = cursor#<type>) holding the lease, the cursor and
 * run bookkeeping. Every write that moves collection forward is conditional on holding the lease
 * (fencing): a run whose lease was taken over cannot overwrite the new holder's progress.
 */
export class CursorStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The type's row; a run's calls end by `deadlineMs` (the CLI's have none). */
  async read(type: EventType, deadlineMs?: number): Promise<CursorState> {
    const answer = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: s(cursorKeyFor(type)) },
        ConsistentRead: true,
      }),
      untilDeadline(deadlineMs, this.now),
    );
    return stateFromItem(type, answer.Item);
  }

  /** Takes the lease unless an unexpired one exists; returns the row as it is after taking it. */
  async acquireLease(
    type: EventType,
    owner: string,
    expiresAt: number,
    deadlineMs?: number,
  ): Promise<LeaseResult> {
    const now = this.now();
    try {
      const answer = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: s(cursorKeyFor(type)) },
          UpdateExpression: 'SET lease_owner = :owner, lease_expires_at = :expires, lease_taken_at = :now',
          ConditionExpression: LEASE_IS_FREE,
          ExpressionAttributeValues: {
            ':owner': s(owner),
            ':expires': n(expiresAt),
            ':now': s(new Date(now).toISOString()),
            ':nowMs': n(now),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        untilDeadline(deadlineMs, this.now),
      );
      const row = answer.Attributes ?? {};
      const cursorBytes = row.cursor ? attributeSizeBytes('cursor', row.cursor) : 0;
      return {
        acquired: true,
        state: stateFromItem(type, row),
        rowBytesWithoutCursor: itemSizeBytes(row) - cursorBytes,
      };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // DynamoDB returns the row with the failure; stand-ins without that feature need a read.
      const held = error.Item ? stateFromItem(type, error.Item) : await this.read(type, deadlineMs);
      return { acquired: false, holder: held.leaseOwner, expiresAt: held.leaseExpiresAt };
    }
  }

  /** Advances the cursor after a page is delivered; fails with LeaseLostError if the lease is no longer ours. */
  async commitPage(type: EventType, owner: string, commit: PageCommit, deadlineMs?: number): Promise<void> {
    const values: Record<string, AttributeValue> = {
      ':owner': s(owner),
      ':cursor': s(commit.cursor),
      ':events': n(commit.events),
      ':updated': s(new Date(this.now()).toISOString()),
    };
    const sets = ['#cursor = :cursor', 'updated_at = :updated'];
    const removes = ['start_from'];
    if (commit.accountUuid !== undefined) {
      sets.push('account_uuid = if_not_exists(account_uuid, :account)');
      values[':account'] = s(commit.accountUuid);
    }
    if (commit.maxLatenessSeconds !== undefined) {
      sets.push('max_lateness_seconds = :lateness');
      values[':lateness'] = n(commit.maxLatenessSeconds);
    }
    if (commit.stuckPage !== undefined) {
      sets.push('stuck_page = :stuck');
      values[':stuck'] = s(commit.stuckPage);
    } else removes.push('stuck_page');
    if (commit.pageLimit !== undefined) {
      sets.push('page_limit = :limit');
      values[':limit'] = n(commit.pageLimit);
    }
    if (commit.newestEventTime !== undefined) {
      sets.push('newest_event_time = :newest');
      values[':newest'] = s(commit.newestEventTime);
    }
    await this.fenced(
      owner,
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: s(cursorKeyFor(type)) },
        UpdateExpression: `SET ${sets.join(', ')} ADD total_events :events REMOVE ${removes.join(', ')}`,
        ConditionExpression: 'lease_owner = :owner',
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: values,
      }),
      deadlineMs,
    );
  }

  /** Frees the lease and records how the run ended. A lease already taken over is left alone. */
  async releaseLease(type: EventType, owner: string, run: RunRecord, deadlineMs?: number): Promise<boolean> {
    try {
      await this.fenced(
        owner,
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: s(cursorKeyFor(type)) },
          UpdateExpression: 'SET last_run = :run REMOVE lease_owner, lease_expires_at, lease_taken_at',
          ConditionExpression: 'lease_owner = :owner',
          ExpressionAttributeValues: { ':owner': s(owner), ':run': runToAttribute(run) },
        }),
        deadlineMs,
      );
      return true;
    } catch (error) {
      if (error instanceof LeaseLostError) return false;
      throw error;
    }
  }

  /**
   * Moves a type's start point to `startFrom` (the next run begins there with a fresh cursor) and
   * pushes the position it replaces onto the row's reset history (at most MAX_RESET_HISTORY kept)
   * for `undoReset`. Refused while a run holds the lease, or when the row changed since it was read.
   */
  async resetStart(type: EventType, startFrom: string): Promise<CursorState> {
    const before = await this.read(type);
    const replaced = compact({
      cursor: before.cursor,
      pageLimit: before.pageLimit,
      startFrom: before.startFrom,
      changedAt: new Date(this.now()).toISOString(),
    });
    const history = [...(before.resetHistory ?? []), replaced].slice(-MAX_RESET_HISTORY);
    return this.updateWhenIdle(
      type,
      'SET start_from = :from, reset_history = :history, updated_at = :updated REMOVE #cursor, page_limit, previous',
      {
        ':from': s(startFrom),
        ':history': { L: history.map(positionToAttribute) },
        ':updated': s(replaced.changedAt),
      },
      before,
    );
  }

  /**
   * Forgets the account the type has collected from, after an operator confirmed that the token's new
   * account is intended; the next run records the account it sees. Refused while a run holds the lease.
   */
  async acceptAccount(type: EventType): Promise<CursorState> {
    return this.updateWhenIdle(type, 'SET updated_at = :updated REMOVE account_uuid', {
      ':updated': s(new Date(this.now()).toISOString()),
    });
  }

  /** Puts back the position the last `resetStart` replaced and drops it from the history. */
  async undoReset(type: EventType): Promise<CursorState | undefined> {
    const before = await this.read(type);
    const history = before.resetHistory ?? [];
    const restored = history.at(-1);
    if (!restored) return undefined;
    const rest = history.slice(0, -1);
    const sets = ['updated_at = :updated'];
    const removes = ['previous'];
    const values: Record<string, AttributeValue> = { ':updated': s(new Date(this.now()).toISOString()) };
    if (rest.length > 0) {
      sets.push('reset_history = :history');
      values[':history'] = { L: rest.map(positionToAttribute) };
    } else removes.push('reset_history');
    if (restored.cursor) {
      sets.push('#cursor = :cursor');
      values[':cursor'] = s(restored.cursor);
    } else removes.push('#cursor');
    if (restored.pageLimit !== undefined) {
      sets.push('page_limit = :limit');
      values[':limit'] = n(restored.pageLimit);
    } else removes.push('page_limit');
    if (restored.startFrom) {
      sets.push('start_from = :from');
      values[':from'] = s(restored.startFrom);
    } else removes.push('start_from');
    return this.updateWhenIdle(type, `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`, values, before);
  }

  /**
   * An update refused while a run holds the lease and, given `seen`, when the row's position or
   * history is no longer as read (another reset, undo or run came in between); returns the row after
   * the update.
   */
  private async updateWhenIdle(
    type: EventType,
    updateExpression: string,
    values: Record<string, AttributeValue>,
    seen?: CursorState,
  ): Promise<CursorState> {
    // Every commit, reset and undo sets updated_at: an unchanged one means an unchanged position and history.
    const conditions = [`(${LEASE_IS_FREE})`];
    const guard: Record<string, AttributeValue> = { ':nowMs': n(this.now()) };
    if (seen) {
      conditions.push(
        seen.updatedAt === undefined ? 'attribute_not_exists(updated_at)' : 'updated_at = :seenUpdated',
        seen.cursor === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :seenCursor',
      );
      if (seen.updatedAt !== undefined) guard[':seenUpdated'] = s(seen.updatedAt);
      if (seen.cursor !== undefined) guard[':seenCursor'] = s(seen.cursor);
    }
    const condition = conditions.join(' AND ');
    const usesCursor = `${updateExpression} ${condition}`.includes('#cursor');
    const row = await this.sendConditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: s(cursorKeyFor(type)) },
        UpdateExpression: updateExpression,
        ConditionExpression: condition,
        ExpressionAttributeNames: usesCursor ? { '#cursor': 'cursor' } : undefined,
        ExpressionAttributeValues: { ...values, ...guard },
        ReturnValues: 'ALL_NEW',
      }),
      `A ${type} run is in progress; try again when it has finished (within a few minutes).${seen ? ` If none is, the ${type} position changed meanwhile: check "op-events status", then try again.` : ''} Nothing was changed.`,
    );
    return stateFromItem(type, row);
  }

  private async fenced(owner: string, command: UpdateItemCommand, deadlineMs?: number): Promise<void> {
    await this.sendConditional(
      command,
      `Run ${owner} no longer holds the lease; another run took over. Stopping without committing.`,
      deadlineMs,
    );
  }

  /** Sends a conditional update; a failed condition becomes LeaseLostError with `whenRefused`. */
  private async sendConditional(
    command: UpdateItemCommand,
    whenRefused: string,
    deadlineMs?: number,
  ): Promise<Record<string, AttributeValue> | undefined> {
    try {
      return (await this.client.send(command, untilDeadline(deadlineMs, this.now))).Attributes;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new LeaseLostError(whenRefused);
      throw error;
    }
  }
}
