import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { untilDeadline } from '../util/aws-call';
import type { AlertDetail } from './alert-event';

/**
 * Rows of the alert path in the cursor table (string `pk`, no sort key), beside the cursor rows:
 * - `alerts#outbox#<source>`: the ids of the alerts of one source (an event type, or the scheduled
 *   rules) that are staged and not yet published, as a string set;
 * - `alerts#alert#<alert id>`: one staged alert's detail, until it is published or suppressed;
 * - `alerts#suppress#<hash of rule id and group key>`: which alert of that (rule, group key) was
 *   sent, until when its repeats are suppressed.
 * Every row but the outbox index carries `expires_at` (epoch seconds), the table's TTL attribute, so
 * DynamoDB deletes them by itself; the code never relies on that deletion having happened.
 */
export const ALERT_KEY_PREFIX = 'alerts#';
export const outboxKeyFor = (source: string) => `${ALERT_KEY_PREFIX}outbox#${source}`;
export const alertKeyFor = (alertId: string) => `${ALERT_KEY_PREFIX}alert#${alertId}`;
export function suppressionKeyFor(ruleId: string, groupKey: string): string {
  const hash = createHash('sha256').update(ruleId).update('\0').update(groupKey).digest('base64url');
  return `${ALERT_KEY_PREFIX}suppress#${hash.slice(0, 32)}`;
}
/** The TTL attribute of the alert rows (infra: the cursor table's timeToLiveAttribute). */
export const TTL_ATTRIBUTE = 'expires_at';
/** How long a staged alert is kept when it can never be published (a bus deleted, a permission gone). */
export const STAGED_ALERT_DAYS = 14;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

/**
 * The outbox of one source and the suppression rows. Staging is written before the cursor of the
 * page whose events raised the alerts is committed, so a crash at any point leaves either the page
 * to be delivered (and evaluated) again, or its alerts staged here for the next publish.
 */
export class AlertOutbox {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly source: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Writes each alert's row, then adds their ids to the outbox. Idempotent: a repeated page writes
   * the same rows.
   */
  async stage(alerts: readonly AlertDetail[], deadlineMs: number): Promise<void> {
    if (alerts.length === 0) return;
    const expires = Math.floor(this.now() / 1000) + STAGED_ALERT_DAYS * 86_400;
    await Promise.all(
      alerts.map((alert) =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: { pk: s(alertKeyFor(alert.alert_id)) },
            UpdateExpression: 'SET detail = :detail, #ttl = :expires, #source = :source',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE, '#source': 'source' },
            ExpressionAttributeValues: {
              ':detail': s(JSON.stringify(alert)),
              ':expires': n(expires),
              ':source': s(this.source),
            },
          }),
          untilDeadline(deadlineMs, this.now),
        ),
      ),
    );
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: s(outboxKeyFor(this.source)) },
        UpdateExpression: 'ADD pending :ids',
        ExpressionAttributeValues: { ':ids': { SS: alerts.map((alert) => alert.alert_id) } },
      }),
      untilDeadline(deadlineMs, this.now),
    );
  }

  /**
   * The staged alerts not yet published, oldest runs' included. Ids whose row is gone are dropped
   * from the outbox.
   */
  async pending(deadlineMs: number): Promise<AlertDetail[]> {
    const index = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: s(outboxKeyFor(this.source)) },
        ConsistentRead: true,
      }),
      untilDeadline(deadlineMs, this.now),
    );
    const ids = index.Item?.pending?.SS ?? [];
    const rows = await Promise.all(
      ids.map((id) =>
        this.client.send(
          new GetItemCommand({
            TableName: this.tableName,
            Key: { pk: s(alertKeyFor(id)) },
            ConsistentRead: true,
          }),
          untilDeadline(deadlineMs, this.now),
        ),
      ),
    );
    const alerts: AlertDetail[] = [];
    const gone: string[] = [];
    rows.forEach((row, i) => {
      const detail = row.Item?.detail?.S;
      if (detail === undefined) gone.push(ids[i] as string);
      else alerts.push(JSON.parse(detail) as AlertDetail);
    });
    if (gone.length > 0) await this.removeFromIndex(gone, deadlineMs);
    return alerts;
  }

  /** Takes published or suppressed alerts out of the outbox: first the index, then their rows. */
  async clear(alertIds: readonly string[], deadlineMs: number): Promise<void> {
    if (alertIds.length === 0) return;
    await this.removeFromIndex(alertIds, deadlineMs);
    await Promise.all(
      alertIds.map((id) =>
        this.client.send(
          new DeleteItemCommand({ TableName: this.tableName, Key: { pk: s(alertKeyFor(id)) } }),
          untilDeadline(deadlineMs, this.now),
        ),
      ),
    );
  }

  /**
   * Claims the right to send `alert` for its (rule, group key): granted when no alert of that pair
   * was claimed within the window, or when this same alert claimed it and was not sent (a publish
   * that failed, or a run that died before it). Refused for a repeat inside the window, including
   * this alert again once sent (a page delivered twice).
   */
  async claim(alert: AlertDetail, windowMs: number, deadlineMs: number): Promise<boolean> {
    const nowMs = this.now();
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: s(suppressionKeyFor(alert.rule_id, alert.group_key)) },
          UpdateExpression:
            'SET alert_id = :id, sent = :false, #ttl = :expires, window_ends_at = :endsMs, rule_id = :rule',
          ConditionExpression:
            'attribute_not_exists(pk) OR window_ends_at <= :nowMs OR (alert_id = :id AND sent = :false)',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':id': s(alert.alert_id),
            ':false': { BOOL: false },
            ':rule': s(alert.rule_id),
            ':nowMs': n(nowMs),
            ':endsMs': n(nowMs + windowMs),
            // DynamoDB deletes expired rows within days, not at once: window_ends_at is what counts.
            ':expires': n(Math.ceil((nowMs + windowMs) / 1000)),
          },
        }),
        untilDeadline(deadlineMs, this.now),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Records that `alert` was sent: its repeats inside the window, itself included, are suppressed. */
  async markSent(alert: AlertDetail, deadlineMs: number): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: s(suppressionKeyFor(alert.rule_id, alert.group_key)) },
          UpdateExpression: 'SET sent = :true',
          ConditionExpression: 'alert_id = :id',
          ExpressionAttributeValues: { ':id': s(alert.alert_id), ':true': { BOOL: true } },
        }),
        untilDeadline(deadlineMs, this.now),
      );
    } catch (error) {
      // Another alert of the pair claimed it since (the window ended): nothing of ours to mark.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async removeFromIndex(alertIds: readonly string[], deadlineMs: number): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: s(outboxKeyFor(this.source)) },
        UpdateExpression: 'DELETE pending :ids',
        ExpressionAttributeValues: { ':ids': { SS: [...alertIds] } },
      }),
      untilDeadline(deadlineMs, this.now),
    );
  }
}
