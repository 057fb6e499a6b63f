import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ApiUnavailableError } from './errors';
import { REQUEST_BUDGET_KEY } from './event-types';
import { sleep } from './retry-policy';

const WINDOW_MS = 60_000;

/**
 * One per-minute request budget shared by the three event types through the cursor table: the API
 * limits requests per account (600 a minute, 30,000 an hour), so three types draining a backlog at
 * once must not each assume the whole limit. Each request takes one unit of the current minute's
 * window with a conditional write; when the window is spent the caller waits for the next one.
 */
export class RequestBudget {
  /** Requests that had to wait for the next window. */
  waits = 0;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  /** Resolves once a request may be sent; fails if that would be after `deadlineMs`. */
  async acquire(deadlineMs: number): Promise<void> {
    for (;;) {
      const window = Math.floor(this.now() / WINDOW_MS);
      if ((await this.takeInWindow(window)) || (await this.openWindow(window))) return;
      const nextWindowAt = (window + 1) * WINDOW_MS;
      if (nextWindowAt >= deadlineMs) {
        throw new ApiUnavailableError(
          `The shared request budget (${this.perMinute} requests a minute across event types) is spent until the run's time is up; the next run continues.`,
        );
      }
      this.waits++;
      await this.wait(nextWindowAt - this.now() + Math.floor(Math.random() * 250));
    }
  }

  private takeInWindow(window: number): Promise<boolean> {
    return this.conditionalUpdate('SET used = used + :one', 'request_window = :window AND used < :limit', {
      ':window': { N: String(window) },
      ':one': { N: '1' },
      ':limit': { N: String(this.perMinute) },
    });
  }

  private openWindow(window: number): Promise<boolean> {
    return this.conditionalUpdate(
      'SET request_window = :window, used = :one',
      'attribute_not_exists(request_window) OR request_window < :window',
      { ':window': { N: String(window) }, ':one': { N: '1' } },
    );
  }

  private async conditionalUpdate(
    update: string,
    condition: string,
    values: Record<string, { N: string }>,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: { S: REQUEST_BUDGET_KEY } },
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
