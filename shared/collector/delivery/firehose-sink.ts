import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { FIREHOSE_THROTTLING } from '../../contracts/aws-limits';
import { classifyAwsError, untilDeadline } from '../../util/aws-call';
import { describeError } from '../../util/errors';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  retryDelayWithin,
  sleep,
} from '../../util/retry-policy';
import { deliveryErrors } from './delivery-errors';
import { RecordBufferPool } from './record-buffer-pool';
import { groupIntoBatches, MAX_BATCH_BYTES, MAX_RECORDS_PER_BATCH, packRecords } from './record-packer';
import type { ThroughputPacer } from './throughput-pacer';

export interface DeliveryReport {
  /** Firehose records written (each holds one or more lines). */
  readonly records: number;
  /** Bytes of record data accepted. */
  readonly bytes: number;
  /** PutRecordBatch calls made, retries included. */
  readonly calls: number;
  /** Records re-sent after a partial failure or a failed call. */
  readonly recordRetries: number;
  /**
   * Events in records a partial failure had accepted, which re-sending the whole batch would have duplicated.
   */
  readonly duplicatesAvoided: number;
  /** Calls (or records) Firehose refused as over the stream's throughput quota; each was re-sent. */
  readonly throttles: number;
}

/**
 * The configuration of a Firehose client a FirehoseSink uses: one attempt per call, since the sink
 * retries (only the records that failed) and the SDK would otherwise resend whole batches first.
 */
export const SINK_CLIENT_CONFIG = { maxAttempts: 1 } as const;

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
  /** Keeps calls under the stream's Direct PUT quota; without it calls go as fast as Firehose answers. */
  readonly pacer?: ThroughputPacer;
}

/**
 * Firehose sink: packs lines into records, sends them in PutRecordBatch calls within the service
 * limits, and re-sends only the records a partial failure names (the call answers 200 with
 * FailedPutCount > 0 and an ErrorCode per failed record) until all are in or time runs out. Its
 * client is made with SINK_CLIENT_CONFIG; every call ends by the delivery's deadline.
 */
export class FirehoseSink implements EventSink {
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly pool = new RecordBufferPool();

  constructor(private readonly options: FirehoseSinkOptions) {
    this.retry = options.retry ?? { ...DEFAULT_RETRY_POLICY, maxAttempts: 8 };
    this.now = options.now ?? Date.now;
    this.wait = options.sleep ?? sleep;
  }

  deliver(lines: readonly string[], deadlineMs: number): Promise<DeliveryReport> {
    // Packed before anything waits, so the lines are not kept reachable while Firehose answers.
    let records: Buffer[];
    try {
      records = packRecords(lines, undefined, undefined, this.pool);
    } catch (error) {
      return Promise.reject(error);
    }
    // Settled, the call is serialised and answered (or abandoned): its buffers can take the next page.
    return this.send(records, deadlineMs).finally(() => this.pool.release(records));
  }

  private async send(records: Buffer[], deadlineMs: number): Promise<DeliveryReport> {
    const report = {
      records: records.length,
      bytes: 0,
      calls: 0,
      recordRetries: 0,
      duplicatesAvoided: 0,
      throttles: 0,
    };
    // Under a small quota a call holds at most one second of it, so every call can be paced.
    const maxBytes = Math.min(MAX_BATCH_BYTES, this.options.pacer?.maxCallBytes ?? MAX_BATCH_BYTES);
    for (const batch of groupIntoBatches(records, { maxRecords: MAX_RECORDS_PER_BATCH, maxBytes })) {
      const result = await this.sendBatch(batch, deadlineMs);
      report.calls += result.calls;
      report.recordRetries += result.recordRetries;
      report.duplicatesAvoided += result.duplicatesAvoided;
      report.throttles += result.throttles;
    }
    for (const record of records) report.bytes += record.length;
    return report;
  }

  private async sendBatch(
    batch: Buffer[],
    deadlineMs: number,
  ): Promise<{ calls: number; recordRetries: number; duplicatesAvoided: number; throttles: number }> {
    let pending = batch;
    let calls = 0;
    let recordRetries = 0;
    let duplicatesAvoided = 0;
    let throttles = 0;
    let lastProblem = '';
    for (let attempt = 1; ; attempt++) {
      await this.paceCall(pending, deadlineMs);
      calls++;
      try {
        const response = await this.options.client.send(
          new PutRecordBatchCommand({
            DeliveryStreamName: this.options.streamName,
            Records: pending.map((Data) => ({ Data })),
          }),
          untilDeadline(deadlineMs, this.now),
        );
        const answers = response.RequestResponses ?? [];
        if ((response.FailedPutCount ?? 0) === 0 && answers.length === pending.length) {
          return { calls, recordRetries, duplicatesAvoided, throttles };
        }
        // A missing answer counts as a failure: re-sending may duplicate, never lose.
        const failed = pending.filter((_, i) => !answers[i] || answers[i]?.ErrorCode);
        for (const [i, record] of pending.entries()) {
          if (answers[i] && !answers[i]?.ErrorCode) duplicatesAvoided += countLines(record);
        }
        const codes = new Set(answers.map((a) => a.ErrorCode).filter(Boolean));
        if (codes.has(FIREHOSE_THROTTLING.errorType)) {
          throttles++;
          this.options.pacer?.throttled();
        }
        const failures = [...codes].join(', ') || 'no answer';
        lastProblem = `${failed.length} of ${pending.length} records failed (${failures})`;
        pending = failed;
      } catch (error) {
        lastProblem = describeError(error);
        const kind = classifyAwsError(error);
        // Firehose answers a call over the stream's quota with a server fault of this documented name.
        if (
          kind === 'throttling' ||
          (error instanceof Error && error.name === FIREHOSE_THROTTLING.errorType)
        ) {
          throttles++;
          this.options.pacer?.throttled();
        }
        if (kind === 'permanent') {
          throw deliveryErrors.refused(this.options.streamName, lastProblem, error);
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
        throw deliveryErrors.notAllAccepted(this.options.streamName, attempt, lastProblem);
      }
      await this.wait(delay);
    }
  }

  /** Waits until the call fits under the stream's quota; fails when it would not before the deadline. */
  private async paceCall(records: readonly Buffer[], deadlineMs: number): Promise<void> {
    const pacer = this.options.pacer;
    if (!pacer) return;
    let bytes = 0;
    for (const record of records) bytes += record.length;
    const waitMs = pacer.reserve({ bytes, records: records.length }, deadlineMs);
    if (waitMs === undefined) {
      const mib = pacer.quota.bytesPerSecond / (1024 * 1024);
      throw deliveryErrors.overQuota(this.options.streamName, mib);
    }
    if (waitMs > 0) await this.wait(waitMs);
  }
}

function countLines(record: Buffer): number {
  let lines = 0;
  for (let i = record.indexOf(10); i >= 0; i = record.indexOf(10, i + 1)) lines++;
  return lines;
}
