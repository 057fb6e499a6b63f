import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { untilDeadline } from '../util/aws-call';
import { describeError } from '../util/errors';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy, sleep } from '../util/retry-policy';
import { type AlertDetail, alertEntry, putEventsBatches } from './alert-event';

/** What one publish did: the alerts EventBridge accepted, and those it did not (still to be sent). */
export interface PublishResult {
  readonly published: readonly string[];
  readonly failed: readonly { readonly alertId: string; readonly error: string }[];
}

/** Where alerts go; EventBridge is the one implementation, tests and the local run swap the client. */
export interface AlertPublisher {
  /** Sends every alert it can before `deadlineMs`; never throws for a service failure. */
  publish(alerts: readonly AlertDetail[], deadlineMs: number): Promise<PublishResult>;
}

export interface EventBridgePublisherOptions {
  readonly client: EventBridgeClient;
  /** Bus name or ARN; `default` is the account's default bus. */
  readonly eventBusName: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly retry?: RetryPolicy;
}

/**
 * PutEvents in calls of at most 10 entries and 256 KB (shared/contracts/aws-limits.ts, EVENTBRIDGE). A call
 * answers 200 with FailedEntryCount > 0 when some entries failed: only those are sent again, with
 * backoff, until they are accepted, the attempts run out or the deadline nears. A call that fails as
 * a whole (network, throttling, a missing permission) counts each of its alerts as failed. Nothing is
 * thrown: what failed stays in the outbox and is sent by a later call or run.
 */
export class EventBridgePublisher implements AlertPublisher {
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: EventBridgePublisherOptions) {
    this.now = options.now ?? Date.now;
    this.wait = options.sleep ?? sleep;
    this.retry = options.retry ?? { ...DEFAULT_RETRY_POLICY, maxAttempts: 4, maxDelayMs: 2_000 };
  }

  async publish(alerts: readonly AlertDetail[], deadlineMs: number): Promise<PublishResult> {
    const published: string[] = [];
    const failed = new Map<string, string>();
    let waiting = alerts.map((detail) => ({
      alertId: detail.alert_id,
      ...alertEntry(detail, this.options.eventBusName),
    }));
    for (let attempt = 1; waiting.length > 0; attempt++) {
      const again: typeof waiting = [];
      for (const batch of putEventsBatches(waiting)) {
        const failures = await this.send(batch, deadlineMs);
        batch.forEach((entry, index) => {
          const error = failures[index];
          if (error === undefined) {
            published.push(entry.alertId);
            failed.delete(entry.alertId);
          } else {
            failed.set(entry.alertId, error);
            again.push(entry);
          }
        });
      }
      waiting = again;
      if (waiting.length === 0 || attempt >= this.retry.maxAttempts) break;
      const delay = backoffDelayMs(this.retry, attempt);
      if (this.now() + delay >= deadlineMs) break;
      await this.wait(delay);
    }
    return { published, failed: [...failed].map(([alertId, error]) => ({ alertId, error })) };
  }

  /** One call: the error of each entry that failed, by its index (none for an accepted entry). */
  private async send(
    batch: readonly { readonly alertId: string }[],
    deadlineMs: number,
  ): Promise<(string | undefined)[]> {
    const entries = batch.map(({ alertId: _id, ...entry }) => entry);
    try {
      const answer = await this.options.client.send(
        new PutEventsCommand({ Entries: entries }),
        untilDeadline(deadlineMs, this.now),
      );
      const results = answer.Entries ?? [];
      return batch.map((_, index) => {
        const result = results[index];
        if (result?.EventId) return undefined;
        return `${result?.ErrorCode ?? 'NoEventId'}: ${result?.ErrorMessage ?? 'no event id in the answer'}`;
      });
    } catch (error) {
      const message = describeError(error);
      return batch.map(() => message);
    }
  }
}
