import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DYNAMODB } from '../../contracts/aws-limits';
import { cursorKeyFor, type EventType } from '../../contracts/event-types';
import { untilDeadline } from '../../util/aws-call';
import { type CollectorError, LeaseLostError } from '../../util/errors';
import { type CursorState, positionRow, type RunRecord, runRow, stateFromItem } from './cursor-row';
import { attributeSizeBytes, itemSizeBytes } from './dynamodb-item-size';
import { cursorRowErrors } from './state-errors';

export type { CursorState, PreviousPosition, RunRecord } from './cursor-row';

/** Resets kept on the row for `undo`: the newest first out; older ones are dropped past this. */
export const MAX_RESET_HISTORY = 5;

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
  throw cursorRowErrors.cursorTooLarge(type, {
    cursorBytes,
    rowBytesWithoutCursor,
    bookkeepingBytes: ROW_BOOKKEEPING_BYTES,
    maxItemBytes: DYNAMODB.maxItemBytes,
  });
}

/** No run holds the lease: none was taken, or it has expired (before `:nowMs`). */
const LEASE_IS_FREE = 'attribute_not_exists(lease_owner) OR lease_expires_at < :nowMs';

/** Expression values (`:name`) as DynamoDB attribute values; undefined members are left out. */
type ExpressionValues = Record<string, unknown>;
const attributeValues = (values: ExpressionValues) => marshall(values, { removeUndefinedValues: true });

/** The key of a type's row. */
const rowKey = (type: EventType) => marshall({ pk: cursorKeyFor(type) });

/**
 * The cursor table: one row per event type (`pk` = cursor#<type>) holding the lease, the cursor and
 * run bookkeeping (its attributes: cursor-row.ts). Every write that moves collection forward
 * is conditional on holding the lease (fencing): a run whose lease was taken over cannot overwrite
 * the new holder's progress.
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
      new GetItemCommand({ TableName: this.tableName, Key: rowKey(type), ConsistentRead: true }),
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
          Key: rowKey(type),
          UpdateExpression: 'SET lease_owner = :owner, lease_expires_at = :expires, lease_taken_at = :now',
          ConditionExpression: LEASE_IS_FREE,
          ExpressionAttributeValues: attributeValues({
            ':owner': owner,
            ':expires': expiresAt,
            ':now': new Date(now).toISOString(),
            ':nowMs': now,
          }),
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

  /**
   * Advances the cursor after a page is delivered; fails with LeaseLostError if the lease is no longer ours.
   */
  async commitPage(type: EventType, owner: string, commit: PageCommit, deadlineMs?: number): Promise<void> {
    const values: ExpressionValues = {
      ':owner': owner,
      ':cursor': commit.cursor,
      ':events': commit.events,
      ':updated': new Date(this.now()).toISOString(),
      ':account': commit.accountUuid,
      ':lateness': commit.maxLatenessSeconds,
      ':stuck': commit.stuckPage,
      ':limit': commit.pageLimit,
      ':newest': commit.newestEventTime,
    };
    const sets = ['#cursor = :cursor', 'updated_at = :updated'];
    const removes = ['start_from'];
    if (commit.accountUuid !== undefined) sets.push('account_uuid = if_not_exists(account_uuid, :account)');
    if (commit.maxLatenessSeconds !== undefined) sets.push('max_lateness_seconds = :lateness');
    if (commit.stuckPage !== undefined) sets.push('stuck_page = :stuck');
    else removes.push('stuck_page');
    if (commit.pageLimit !== undefined) sets.push('page_limit = :limit');
    if (commit.newestEventTime !== undefined) sets.push('newest_event_time = :newest');
    await this.fenced(
      owner,
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: rowKey(type),
        UpdateExpression: `SET ${sets.join(', ')} ADD total_events :events REMOVE ${removes.join(', ')}`,
        ConditionExpression: 'lease_owner = :owner',
        ExpressionAttributeNames: { '#cursor': 'cursor' },
        ExpressionAttributeValues: attributeValues(values),
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
          Key: rowKey(type),
          UpdateExpression: 'SET last_run = :run REMOVE lease_owner, lease_expires_at, lease_taken_at',
          ConditionExpression: 'lease_owner = :owner',
          ExpressionAttributeValues: attributeValues({ ':owner': owner, ':run': runRow(run) }),
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
   * for `undoReset`. Refused (CursorChangeRefusedError) while a run holds the lease, or when the row
   * changed since it was read.
   */
  async resetStart(type: EventType, startFrom: string): Promise<CursorState> {
    const before = await this.read(type);
    const replaced = {
      cursor: before.cursor,
      pageLimit: before.pageLimit,
      startFrom: before.startFrom,
      changedAt: new Date(this.now()).toISOString(),
    };
    const history = [...(before.resetHistory ?? []), replaced].slice(-MAX_RESET_HISTORY);
    return this.updateWhenIdle(
      type,
      'SET start_from = :from, reset_history = :history, updated_at = :updated REMOVE #cursor, page_limit',
      { ':from': startFrom, ':history': history.map(positionRow), ':updated': replaced.changedAt },
      before,
    );
  }

  /**
   * Forgets the account the type has collected from, after an operator confirmed that the token's new
   * account is intended; the next run records the account it sees. Refused while a run holds the lease.
   */
  async acceptAccount(type: EventType): Promise<CursorState> {
    return this.updateWhenIdle(type, 'SET updated_at = :updated REMOVE account_uuid', {
      ':updated': new Date(this.now()).toISOString(),
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
    const removes: string[] = [];
    if (rest.length > 0) sets.push('reset_history = :history');
    else removes.push('reset_history');
    if (restored.cursor) sets.push('#cursor = :cursor');
    else removes.push('#cursor');
    if (restored.pageLimit !== undefined) sets.push('page_limit = :limit');
    else removes.push('page_limit');
    if (restored.startFrom) sets.push('start_from = :from');
    else removes.push('start_from');
    const values: ExpressionValues = {
      ':updated': new Date(this.now()).toISOString(),
      ':history': rest.length > 0 ? rest.map(positionRow) : undefined,
      ':cursor': restored.cursor || undefined,
      ':limit': restored.pageLimit,
      ':from': restored.startFrom || undefined,
    };
    const remove = removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : '';
    return this.updateWhenIdle(type, `SET ${sets.join(', ')}${remove}`, values, before);
  }

  /**
   * An update refused while a run holds the lease and, given `seen`, when the row's position or
   * history is no longer as read (another reset, undo or run came in between); returns the row after
   * the update.
   */
  private async updateWhenIdle(
    type: EventType,
    updateExpression: string,
    values: ExpressionValues,
    seen?: CursorState,
  ): Promise<CursorState> {
    // Every commit, reset and undo sets updated_at: an unchanged one means an unchanged position and history.
    const conditions = [`(${LEASE_IS_FREE})`];
    if (seen) {
      conditions.push(
        seen.updatedAt === undefined ? 'attribute_not_exists(updated_at)' : 'updated_at = :seenUpdated',
        seen.cursor === undefined ? 'attribute_not_exists(#cursor)' : '#cursor = :seenCursor',
      );
    }
    const condition = conditions.join(' AND ');
    const usesCursor = `${updateExpression} ${condition}`.includes('#cursor');
    const row = await this.sendConditional(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: rowKey(type),
        UpdateExpression: updateExpression,
        ConditionExpression: condition,
        ExpressionAttributeNames: usesCursor ? { '#cursor': 'cursor' } : undefined,
        ExpressionAttributeValues: attributeValues({
          ...values,
          ':nowMs': this.now(),
          ':seenUpdated': seen?.updatedAt,
          ':seenCursor': seen?.cursor,
        }),
        ReturnValues: 'ALL_NEW',
      }),
      () => cursorRowErrors.changeRefused(type, seen !== undefined),
    );
    return stateFromItem(type, row);
  }

  private async fenced(owner: string, command: UpdateItemCommand, deadlineMs?: number): Promise<void> {
    await this.sendConditional(command, () => cursorRowErrors.leaseLost(owner), deadlineMs);
  }

  /** Sends a conditional update; a failed condition throws what `refusal` makes. */
  private async sendConditional(
    command: UpdateItemCommand,
    refusal: () => CollectorError,
    deadlineMs?: number,
  ): Promise<Record<string, AttributeValue> | undefined> {
    try {
      return (await this.client.send(command, untilDeadline(deadlineMs, this.now))).Attributes;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw refusal();
      throw error;
    }
  }
}
