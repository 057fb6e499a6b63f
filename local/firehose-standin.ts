import {
  type DirectPutQuota,
  FIREHOSE_REQUESTS,
  FIREHOSE_THROTTLING,
  firehoseDirectPutQuota,
} from '../shared/contracts/aws-limits';
import { AwsJsonServer, AwsServiceError, type AwsTransportFault, requireString } from './aws-json-server';
import { AwsStandIn } from './aws-standin';
import { type BufferedObject, type BufferingHints, DeliveryBuffers } from './firehose/delivery-buffer';
import {
  assertBatchSize,
  billedBytes,
  decodeBatchRecords,
  decodeSingleRecord,
} from './firehose/record-limits';
import {
  deaggregate,
  exceedsDeaggregationCap,
  partitionPrefixOf,
  S3LayoutWriter,
} from './firehose/s3-layout-writer';
import { ThroughputQuota } from './firehose/throughput-quota';
import type { LocalCredentials } from './request-auth';
import { type SeededRandom, seededRandom } from './seeded-random';

export {
  BILLING_INCREMENT_BYTES,
  MAX_BATCH_BYTES,
  MAX_RECORD_BYTES,
  MAX_RECORDS_PER_BATCH,
} from './firehose/record-limits';

/** Per-record failures for the next PutRecordBatch: the records at these indexes are refused. */
export interface FailRecordsFault {
  readonly kind: 'fail-records';
  readonly indexes: readonly number[];
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly operation?: 'PutRecordBatch';
}

export type FirehoseFault = AwsTransportFault | FailRecordsFault;

export interface FirehoseFailureRates {
  /** Chance that a whole put call answers 500 ServiceUnavailableException. */
  readonly failCallProbability?: number;
  /** Chance that each record of a PutRecordBatch is refused (reported in the 200 response). */
  readonly failRecordProbability?: number;
}

export interface FirehoseStandInOptions extends FirehoseFailureRates {
  /** Delivery streams that exist; any other name is ResourceNotFoundException. */
  readonly streams: readonly string[];
  readonly port?: number;
  readonly latencyMs?: number;
  /** The only credentials whose signed requests are answered. @default - new random ones */
  readonly credentials?: LocalCredentials;
  /** Seed of the generator behind the failure probabilities and record ids (default 1). */
  readonly seed?: number;
  /** When set, accepted data is also written here in the deployed bucket's layout. */
  readonly outputDir?: string;
  /**
   * Keep accepted records in memory for `records` and `lines` (default true; a long local run writing to
   * outputDir needs not).
   */
  readonly keepRecords?: boolean;
  readonly clock?: () => number;
  readonly region?: string;
  readonly accountId?: string;
  /**
   * Dynamic partitioning with record de-aggregation, as the stack configures every stream (default
   * true): a record of more than 500 JSON objects is accepted and then goes whole to the error prefix.
   */
  readonly dynamicPartitioning?: boolean;
  /**
   * Each stream's Direct PUT quota; calls beyond it are refused with ServiceUnavailableException
   * (HTTP 503, "Slow down."). Default: the default quota of `region` (us-east-1: 5 MiB/s). `false`
   * turns the quota off.
   */
  readonly throughputQuota?: DirectPutQuota | false;
  /**
   * The stream's buffering hints: when set, the stand-in also models when each accepted line is in an
   * S3 object, on `clock` (`s3Objects`). Without it, nothing is buffered (one object per call).
   */
  readonly buffering?: BufferingHints;
}

export interface FirehoseStats {
  /** Put calls answered 200. */
  readonly calls: number;
  /** Put calls answered with an error by the service logic (limits, unknown stream, injected 500). */
  readonly rejectedCalls: number;
  readonly records: number;
  /** Decoded bytes of accepted records. */
  readonly bytes: number;
  readonly failedRecords: number;
  /** What ingestion would bill: each accepted record rounded up to 5 KB. */
  readonly billedBytes: number;
  /** Accepted records that went whole to the error prefix (over the de-aggregation cap). */
  readonly recordsToErrors: number;
  /** Put calls refused because the stream was over its throughput quota. */
  readonly throttledCalls: number;
}

const SLOW_DOWN = 'Slow down.';

/** Firehose on 127.0.0.1 (awsJson1_1): PutRecordBatch, PutRecord, DescribeDeliveryStream. */
export class FirehoseStandIn extends AwsStandIn<FailRecordsFault> {
  private readonly accepted = new Map<string, Buffer[]>();
  /** Accepted records that never reach the events layout. */
  private readonly overFull = new WeakSet<Buffer>();
  private readonly counters = {
    calls: 0,
    rejectedCalls: 0,
    records: 0,
    bytes: 0,
    failedRecords: 0,
    billedBytes: 0,
    recordsToErrors: 0,
    throttledCalls: 0,
  };
  private readonly quotas = new Map<string, ThroughputQuota>();
  private readonly buffers = new Map<string, DeliveryBuffers<string>>();
  private readonly random: SeededRandom;
  private readonly writer: S3LayoutWriter | undefined;
  private readonly written: string[] = [];
  private rates: Required<FirehoseFailureRates>;
  private recordSequence = 0;

  private constructor(private readonly options: FirehoseStandInOptions) {
    super();
    for (const stream of options.streams) this.accepted.set(stream, []);
    this.random = seededRandom(options.seed ?? 1);
    this.rates = { failCallProbability: 0, failRecordProbability: 0 };
    this.setFailureRates(options);
    const clock = options.clock ?? Date.now;
    this.writer = options.outputDir ? new S3LayoutWriter(options.outputDir, clock) : undefined;
    this.setThroughputQuota(options.throughputQuota ?? firehoseDirectPutQuota(options.region ?? 'us-east-1'));
  }

  static async start(options: FirehoseStandInOptions): Promise<FirehoseStandIn> {
    const self = new FirehoseStandIn(options);
    self.server = await AwsJsonServer.start<FailRecordsFault>({
      targetPrefix: 'Firehose_20150804',
      maxRequestBytes: FIREHOSE_REQUESTS.maxRequestBytes,
      port: options.port,
      latencyMs: options.latencyMs,
      credentials: options.credentials,
      operations: {
        PutRecordBatch: (input, { fault }) => self.countRejections(() => self.putRecordBatch(input, fault)),
        PutRecord: (input) => self.countRejections(() => self.putRecord(input)),
        DescribeDeliveryStream: (input) => self.describeDeliveryStream(input),
      },
    });
    return self;
  }

  /** Accepted records of a stream, in the order they were accepted. */
  records(stream: string): Buffer[] {
    return [...(this.accepted.get(stream) ?? [])];
  }

  /**
   * The stream's data split into lines as the events layout shows it: Firehose concatenates records
   * without adding a delimiter, so a record missing its final newline runs into the next one here too.
   * Records that went to the error prefix are not here (see `errorRecords`).
   */
  lines(stream: string): string[] {
    const delivered = (this.accepted.get(stream) ?? []).filter((record) => !this.overFull.has(record));
    const text = Buffer.concat(delivered).toString('utf8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines;
  }

  /** Accepted records of a stream that went whole to the error prefix (more than 500 JSON objects). */
  errorRecords(stream: string): Buffer[] {
    return (this.accepted.get(stream) ?? []).filter((record) => this.overFull.has(record));
  }

  get stats(): FirehoseStats {
    return { ...this.counters };
  }

  /**
   * With `buffering`: the objects S3 holds by `at` (default: the clock's now), each with the lines it
   * holds and when it was written, as the stream's buffering hints decide.
   */
  s3Objects(stream: string, at?: number): BufferedObject<string>[] {
    return this.buffers.get(stream)?.objects(at) ?? [];
  }

  /** Keys of the objects written under `outputDir`, in write order. */
  get writtenObjects(): readonly string[] {
    return [...this.written];
  }

  /** Requests received for an operation, faulted ones included. */
  callsReceived(operation: 'PutRecordBatch' | 'PutRecord' | 'DescribeDeliveryStream'): number {
    return this.server.calls(operation);
  }

  setFailureRates(rates: FirehoseFailureRates): void {
    this.rates = {
      failCallProbability: rates.failCallProbability ?? this.rates.failCallProbability,
      failRecordProbability: rates.failRecordProbability ?? this.rates.failRecordProbability,
    };
  }

  /** Replaces every stream's Direct PUT quota (full buckets); `false` turns it off. */
  setThroughputQuota(quota: DirectPutQuota | false): void {
    this.quotas.clear();
    if (!quota) return;
    const clock = this.options.clock ?? Date.now;
    for (const stream of this.options.streams) this.quotas.set(stream, new ThroughputQuota(quota, clock));
  }

  private async putRecordBatch(input: Record<string, unknown>, fault: FailRecordsFault | undefined) {
    const records = decodeBatchRecords(input);
    const stream = this.requireStream(input);
    assertBatchSize(records);
    this.takeQuota(stream, records);
    this.maybeFailCall();
    const refused = new Set(fault?.indexes ?? []);
    const outcomes = records.map((data, index) => ({
      data,
      refused: refused.has(index) || this.random.chance(this.rates.failRecordProbability),
    }));
    const acceptedData = outcomes.filter((outcome) => !outcome.refused).map((outcome) => outcome.data);
    await this.accept(stream, acceptedData);
    const failedPutCount = outcomes.length - acceptedData.length;
    this.counters.failedRecords += failedPutCount;
    return {
      FailedPutCount: failedPutCount,
      Encrypted: false,
      RequestResponses: outcomes.map((outcome) =>
        outcome.refused
          ? {
              ErrorCode: fault?.errorCode ?? 'ServiceUnavailableException',
              ErrorMessage: fault?.errorMessage ?? SLOW_DOWN,
            }
          : { RecordId: this.nextRecordId() },
      ),
    };
  }

  private async putRecord(input: Record<string, unknown>) {
    const data = decodeSingleRecord(input);
    const stream = this.requireStream(input);
    this.takeQuota(stream, [data]);
    this.maybeFailCall();
    await this.accept(stream, [data]);
    return { RecordId: this.nextRecordId(), Encrypted: false };
  }

  private describeDeliveryStream(input: Record<string, unknown>) {
    const stream = this.requireStream(input);
    return {
      DeliveryStreamDescription: {
        DeliveryStreamName: stream,
        DeliveryStreamARN: this.arnFor(stream),
        DeliveryStreamStatus: 'ACTIVE',
        DeliveryStreamType: 'DirectPut',
        VersionId: '1',
        Destinations: [],
        HasMoreDestinations: false,
      },
    };
  }

  /** Stores and (with outputDir) writes the accepted data before the call is answered. */
  private async accept(stream: string, records: readonly Buffer[]): Promise<void> {
    if (records.length === 0) return;
    const overFull =
      this.options.dynamicPartitioning === false
        ? []
        : records.filter((data) => exceedsDeaggregationCap(data));
    for (const data of overFull) this.overFull.add(data);
    this.counters.recordsToErrors += overFull.length;
    if (this.writer) {
      const partitioned =
        overFull.length === 0 ? records : records.filter((data) => !this.overFull.has(data));
      this.written.push(...(await this.writer.write(stream, partitioned, overFull)));
    }
    if (this.options.buffering)
      this.buffer(
        stream,
        records.filter((data) => !this.overFull.has(data)),
      );
    if (this.options.keepRecords !== false) this.accepted.get(stream)?.push(...records);
    for (const data of records) {
      this.counters.records += 1;
      this.counters.bytes += data.length;
      this.counters.billedBytes += billedBytes(data.length);
    }
  }

  /** Each line into its partition's buffer, as dynamic partitioning files it. */
  private buffer(stream: string, records: readonly Buffer[]): void {
    const hints = this.options.buffering;
    if (!hints) return;
    let buffers = this.buffers.get(stream);
    if (!buffers) {
      buffers = new DeliveryBuffers<string>(hints, this.options.clock ?? Date.now);
      this.buffers.set(stream, buffers);
    }
    for (const record of records) {
      for (const line of deaggregate(record))
        buffers.add(partitionPrefixOf(line), Buffer.byteLength(line) + 1, line);
    }
  }

  private async countRejections<T>(operation: () => Promise<T>): Promise<T> {
    try {
      const result = await operation();
      this.counters.calls += 1;
      return result;
    } catch (error) {
      this.counters.rejectedCalls += 1;
      throw error;
    }
  }

  private requireStream(input: Record<string, unknown>): string {
    const stream = requireString(input, 'DeliveryStreamName');
    if (!this.accepted.has(stream)) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `Firehose ${stream} under account ${this.accountId} not found.`,
      );
    }
    return stream;
  }

  /** Refuses a call beyond the stream's Direct PUT quota as Firehose does: retryable, nothing accepted. */
  private takeQuota(stream: string, records: readonly Buffer[]): void {
    const quota = this.quotas.get(stream);
    if (!quota) return;
    const bytes = records.reduce((sum, data) => sum + data.length, 0);
    if (quota.admit(bytes, records.length)) return;
    this.counters.throttledCalls += 1;
    throw new AwsServiceError(
      FIREHOSE_THROTTLING.errorType,
      FIREHOSE_THROTTLING.message,
      FIREHOSE_THROTTLING.httpStatus,
    );
  }

  private maybeFailCall(): void {
    if (this.random.chance(this.rates.failCallProbability)) {
      throw new AwsServiceError(FIREHOSE_THROTTLING.errorType, SLOW_DOWN, FIREHOSE_THROTTLING.httpStatus);
    }
  }

  private nextRecordId(): string {
    this.recordSequence += 1;
    return Buffer.concat([
      Buffer.from(this.random.bytes(40)),
      Buffer.from(String(this.recordSequence)),
    ]).toString('base64');
  }

  private get accountId(): string {
    return this.options.accountId ?? '000000000000';
  }

  private arnFor(stream: string): string {
    const region = this.options.region ?? 'us-east-1';
    return `arn:aws:firehose:${region}:${this.accountId}:deliverystream/${stream}`;
  }
}
