import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { REQUEST_BUDGET_KEY } from '../../contracts/event-types';
import { untilDeadline } from '../../util/aws-call';
import { sleep } from '../../util/retry-policy';
import { apiFailures } from './events-api-errors';

const WINDOW_MS = 60_000;
/** Units one conditional write may take at most, and the share of the budget that caps it. */
const MAX_UNITS_PER_TAKE = 5;
const BUDGET_SHARE_PER_TAKE = 60;

/** Units one budget write takes for a per-minute budget (the cost model reads it too). */
export function unitsPerBudgetWrite(perMinute: number): number {
  return Math.max(1, Math.min(MAX_UNITS_PER_TAKE, Math.floor(perMinute / BUDGET_SHARE_PER_TAKE)));
}

/**
 * One per-minute request budget shared by the three event types through the cursor table: the API
 * limits requests per account (600 a minute, 30,000 an hour), so three types draining a backlog at
 * once must not each assume the whole limit. Requests take units of the current minute's window with
 * conditional writes; when the window is spent the caller waits for the next one.
 *
 * A write takes up to five units at once (never more than a sixtieth of the budget) and hands them
 * out locally within the same window; when the last one is handed out, the next units are taken in
 * the background, so requests do not wait for DynamoDB before they go out. Units taken and not used
 * are lost with their window (at most two takes' worth per type): fewer requests, never more.
 */
export class RequestBudget {
  /** Requests that had to wait for the next window. */
  waits = 0;
  private readonly unitsPerTake: number;
  private held = { window: Number.NaN, units: 0 };
  /** Units being taken ahead of need, for the window they were asked for (0 when that failed). */
  private ahead: { window: number; units: Promise<number> } | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    this.unitsPerTake = unitsPerBudgetWrite(perMinute);
  }

  /** Resolves once a request may be sent; fails if that would be after `deadlineMs`. */
  async acquire(deadlineMs: number): Promise<void> {
    for (;;) {
      const window = Math.floor(this.now() / WINDOW_MS);
      if (this.held.window === window && this.held.units > 0) {
        this.held.units--;
        if (this.held.units === 0 && this.unitsPerTake > 1) this.takeAhead(window, deadlineMs);
        return;
      }
      const taken = (await this.takenAhead(window)) || (await this.take(window, deadlineMs));
      if (taken > 0) {
        this.held = { window, units: taken - 1 };
        return;
      }
      const nextWindowAt = (window + 1) * WINDOW_MS;
      if (nextWindowAt >= deadlineMs) throw apiFailures.budgetSpent(this.perMinute);
      this.waits++;
      await this.wait(nextWindowAt - this.now() + Math.floor(Math.random() * 250));
    }
  }

  private takeAhead(window: number, deadlineMs: number): void {
    // A failed write here is not reported: the next request takes its units itself and sees the error.
    this.ahead = { window, units: this.take(window, deadlineMs).catch(() => 0) };
  }

  /** Units a background take got for this window; 0 if there was none, it failed, or it was for another. */
  private async takenAhead(window: number): Promise<number> {
    const ahead = this.ahead;
    this.ahead = undefined;
    return ahead?.window === window ? ahead.units : 0;
  }

  /**
   * Units taken in the window: several when they fit (opening the window if nobody has yet), else
   * the last single ones, else none (the window is spent). Ordered so that a run's first request of a
   * minute costs the same writes as before batching: one, or two for the type that opens the window.
   * Each write ends by the run's deadline.
   */
  private async take(window: number, deadlineMs: number): Promise<number> {
    const units = this.unitsPerTake;
    const within = (units: number) => this.takeInWindow(window, units, deadlineMs);
    if ((await within(units)) || (await this.openWindow(window, units, deadlineMs))) return units;
    // Another type may have opened this window between our two writes: take from it, not wait a minute.
    if (units > 1 && (await within(units))) return units;
    return (await within(1)) ? 1 : 0;
  }

  private takeInWindow(window: number, units: number, deadlineMs: number): Promise<boolean> {
    return this.conditionalUpdate(
      'SET used = used + :units',
      'request_window = :window AND used <= :most',
      {
        ':window': { N: String(window) },
        ':units': { N: String(units) },
        ':most': { N: String(this.perMinute - units) },
      },
      deadlineMs,
    );
  }

  private openWindow(window: number, units: number, deadlineMs: number): Promise<boolean> {
    return this.conditionalUpdate(
      'SET request_window = :window, used = :units',
      'attribute_not_exists(request_window) OR request_window < :window',
      { ':window': { N: String(window) }, ':units': { N: String(units) } },
      deadlineMs,
    );
  }

  private async conditionalUpdate(
    update: string,
    condition: string,
    values: Record<string, { N: string }>,
    deadlineMs: number,
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
        untilDeadline(deadlineMs, this.now),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
