import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DeliveryError, describeError } from './errors';
import { groupIntoBatches, packRecords } from './record-packer';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  retryDelayWithin,
  sleep,
} from './retry-policy';

export interface DeliveryReport {
  /** Firehose records written (each holds one or more lines). */
  readonly records: number;
  /** Bytes of record data accepted. */
  readonly bytes: number;
  /** PutRecordBatch calls made, retries included. */
  readonly calls: number;
  /** Records re-sent after a partial failure or a failed call. */
  readonly recordRetries: number;
  /** Events in records a partial failure had accepted, which re-sending the whole batch would have duplicated. */
  readonly duplicatesAvoided: number;
}

/** Where events go. The collector only knows this interface; Firehose is one implementation. */
export interface EventSink {
  /** Delivers every line or throws; on success every line is durably accepted. */
  deliver(lines: readonly string[], deadlineMs: number): Promise<DeliveryReport>;
}

export interface FirehoseSinkOptions {
  readonly client: FirehoseClient;
  readonly streamName: string;
  readonly retry?: RetryPolicy;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Firehose sink: packs lines into records, sends them in PutRecordBatch calls within the service
 * limits, and re-sends only the records a partial failure names (the call answers 200 with
 * FailedPutCount > 0 and an ErrorCode per failed record) until all are in or time runs out.
 */
export class FirehoseSink implements EventSink {
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<void>;

  constructor(private readonly options: FirehoseSinkOptions) {
    this.retry = options.retry ?? { ...DEFAULT_RETRY_POLICY, maxAttempts: 8 };
    this.now = options.now ?? Date.now;
    this.wait = options.sleep ?? sleep;
  }

  deliver(lines: readonly string[], deadlineMs: number): Promise<DeliveryReport> {
    // Packed before anything waits, so the lines are not kept reachable while Firehose answers.
    let records: Buffer[];
    try {
      records = packRecords(lines);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.send(records, deadlineMs);
  }

  private async send(records: Buffer[], deadlineMs: number): Promise<DeliveryReport> {
    const report = { records: records.length, bytes: 0, calls: 0, recordRetries: 0, duplicatesAvoided: 0 };
    for (const batch of groupIntoBatches(records)) {
      const result = await this.sendBatch(batch, deadlineMs);
      report.calls += result.calls;
      report.recordRetries += result.recordRetries;
      report.duplicatesAvoided += result.duplicatesAvoided;
    }
    for (const record of records) report.bytes += record.length;
    return report;
  }

  private async sendBatch(
    batch: Buffer[],
    deadlineMs: number,
  ): Promise<{ calls: number; recordRetries: number; duplicatesAvoided: number }> {
    let pending = batch;
    let calls = 0;
    let recordRetries = 0;
    let duplicatesAvoided = 0;
    let lastProblem = '';
    for (let attempt = 1; ; attempt++) {
      calls++;
      try {
        const response = await this.options.client.send(
          new PutRecordBatchCommand({
            DeliveryStreamName: this.options.streamName,
            Records: pending.map((Data) => ({ Data })),
          }),
        );
        const answers = response.RequestResponses ?? [];
        if ((response.FailedPutCount ?? 0) === 0 && answers.length === pending.length) {
          return { calls, recordRetries, duplicatesAvoided };
        }
        // A missing answer counts as a failure: re-sending may duplicate, never lose.
        const failed = pending.filter((_, i) => !answers[i] || answers[i]?.ErrorCode);
        for (const [i, record] of pending.entries()) {
          if (answers[i] && !answers[i]?.ErrorCode) duplicatesAvoided += countLines(record);
        }
        const codes = new Set(answers.map((a) => a.ErrorCode).filter(Boolean));
        lastProblem = `${failed.length} of ${pending.length} records failed (${[...codes].join(', ') || 'no answer'})`;
        pending = failed;
      } catch (error) {
        lastProblem = describeError(error);
        if (isPermanent(error)) {
          throw new DeliveryError(
            `Firehose stream ${this.options.streamName} refused the batch: ${lastProblem}. Check DELIVERY_STREAM and the function's permissions.`,
            error,
          );
        }
      }
      recordRetries += pending.length;
      const delay = retryDelayWithin(
        this.retry,
        attempt,
        backoffDelayMs(this.retry, attempt),
        this.now(),
        deadlineMs,
      );
      if (delay === undefined) {
        throw new DeliveryError(
          `Firehose stream ${this.options.streamName} did not accept every record after ${attempt} attempts: ${lastProblem}. The cursor was not advanced; the next run repeats the page.`,
        );
      }
      await this.wait(delay);
    }
  }
}

const PERMANENT_ERRORS = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'InvalidArgumentException',
  'ValidationException',
  'InvalidKMSResourceException',
  'UnrecognizedClientException',
]);

function isPermanent(error: unknown): boolean {
  return error instanceof Error && PERMANENT_ERRORS.has(error.name);
}

function countLines(record: Buffer): number {
  let lines = 0;
  for (let i = record.indexOf(10); i >= 0; i = record.indexOf(10, i + 1)) lines++;
  return lines;
}
