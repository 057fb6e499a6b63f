/**
 * Every AWS limit the pipeline depends on. The code and the local stand-ins import their numbers from
 * here; scripts/aws-limits-table.ts gives each its documentation page, where a stand-in enforces it and
 * where the code honours it (docs/aws-limits.md is generated from that table), and
 * test/shared/contracts/aws-limits.test.ts fails when any of them disagrees. The table is a module of its own
 * so that the Lambda bundle carries the numbers without the prose.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** Amazon Data Firehose, Direct PUT into an S3 destination with dynamic partitioning. */
export const FIREHOSE = {
  /** Data of one record, before base64. */
  maxRecordBytes: 1_024_000,
  /** Records in one PutRecordBatch call. */
  maxRecordsPerBatch: 500,
  /** Record data in one PutRecordBatch call. */
  maxBatchBytes: 4 * MiB,
  /**
   * JSON objects that record de-aggregation splits out of one record; a record with more goes whole to the
   * error prefix.
   */
  maxObjectsPerRecord: 500,
  /** Ingestion is billed per record rounded up to this. */
  billingIncrementBytes: 5_120,
  /** Buffering hints of an S3 destination with dynamic partitioning. */
  minBufferSeconds: 60,
  maxBufferSeconds: 900,
  minBufferMiB: 64,
  maxBufferMiB: 128,
  /** Partitions buffered at once per stream; records of further partitions go to the error prefix. */
  maxActivePartitions: 500,
  /** `Prefix` and `ErrorOutputPrefix`, after evaluation. */
  maxPrefixChars: 512,
  /** What an ErrorOutputPrefix with expressions must contain. */
  errorOutputTypeExpression: '!{firehose:error-output-type}',
} as const;

/** Characters of base64 for `bytes` bytes of data. */
const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

/**
 * The largest PutRecordBatch request body (awsJson1_1) that can carry the documented maximum: the 4 MiB
 * limit counts record data before base64 (the service's refusal reads "Records size exceeds 4 MB"),
 * and the request carries that data base64-encoded, 4/3 as large, with each record's JSON framing
 * (`{"Data":""},`) and the stream name (at most 64 characters) around it. A larger body cannot be a
 * request the service accepts.
 */
const PUT_RECORD_BATCH_MAX_REQUEST_BYTES =
  base64Length(FIREHOSE.maxBatchBytes) +
  FIREHOSE.maxRecordsPerBatch * '{"Data":""},'.length +
  '{"DeliveryStreamName":"","Records":[]}'.length +
  64;

export const FIREHOSE_REQUESTS = {
  /** Bytes of one request body, the largest PutRecordBatch (PutRecord carries at most one record). */
  maxRequestBytes: PUT_RECORD_BATCH_MAX_REQUEST_BYTES,
} as const;

/** One stream's Direct PUT quota: PutRecord and PutRecordBatch together. The three scale together. */
export interface DirectPutQuota {
  readonly bytesPerSecond: number;
  readonly recordsPerSecond: number;
  readonly requestsPerSecond: number;
}

/** Regions whose default Direct PUT quota is 5 MiB/s; every other region's is 1 MiB/s. */
export const FIREHOSE_HIGH_QUOTA_REGIONS: readonly string[] = ['us-east-1', 'us-west-2', 'eu-west-1'];

/** Default Direct PUT quotas per stream, per MiB/s of throughput (they scale proportionally). */
const QUOTA_PER_MIB = {
  high: { defaultMiB: 5, recordsPerMiB: 100_000, requestsPerMiB: 400 },
  standard: { defaultMiB: 1, recordsPerMiB: 100_000, requestsPerMiB: 1_000 },
} as const;

function quotaGroup(region: string | undefined) {
  return region !== undefined && FIREHOSE_HIGH_QUOTA_REGIONS.includes(region)
    ? QUOTA_PER_MIB.high
    : QUOTA_PER_MIB.standard;
}

/** The default throughput quota of a stream in `region`, in MiB/s (5 or 1; 1 when the region is unknown). */
export function defaultFirehoseQuotaMiB(region: string | undefined): number {
  return quotaGroup(region).defaultMiB;
}

/**
 * A stream's Direct PUT quota in `region` at `mibPerSecond` (default: the region's default). Records
 * and requests per second scale with the throughput as the quota page describes.
 */
export function firehoseDirectPutQuota(
  region: string | undefined,
  mibPerSecond = defaultFirehoseQuotaMiB(region),
): DirectPutQuota {
  const group = quotaGroup(region);
  return {
    bytesPerSecond: mibPerSecond * MiB,
    recordsPerSecond: mibPerSecond * group.recordsPerMiB,
    requestsPerSecond: mibPerSecond * group.requestsPerMiB,
  };
}

/** What Firehose answers to a call beyond the stream's quota (and to other transient failures). */
export const FIREHOSE_THROTTLING = {
  errorType: 'ServiceUnavailableException',
  httpStatus: 503,
  message: 'Slow down.',
} as const;

export const DYNAMODB = {
  /** One item: attribute names and values together (1 KB = 1,024 bytes). */
  maxItemBytes: 400 * KiB,
  /** One request over the network: BatchWriteItem, DynamoDB's largest, transmits at most 16 MB. */
  maxRequestBytes: 16 * MiB,
} as const;

/** GetSecretValue's members and their longest values (API Reference): SecretId, VersionId, VersionStage. */
const GET_SECRET_VALUE_MEMBERS = { SecretId: 2_048, VersionId: 64, VersionStage: 256 } as const;

export const SECRETS_MANAGER = {
  /** A secret's value (SecretString or SecretBinary). */
  maxSecretValueBytes: 65_536,
  /**
   * The largest GetSecretValue request body: every member at its longest, each character written as
   * a six-character JSON escape (`\u0041`), with the members' names and quotes around them.
   */
  maxGetSecretValueRequestBytes:
    6 * Object.values(GET_SECRET_VALUE_MEMBERS).reduce((sum, length) => sum + length, 0) +
    JSON.stringify(Object.fromEntries(Object.keys(GET_SECRET_VALUE_MEMBERS).map((key) => [key, '']))).length,
} as const;

export const LAMBDA = {
  maxTimeoutSeconds: 900,
  /** Event of an asynchronous invocation (EventBridge Scheduler invokes asynchronously). */
  maxAsyncPayloadBytes: 1 * MiB,
  /** All environment variables of a function together. */
  maxEnvironmentBytes: 4 * KiB,
  /** Asynchronous invocation configuration. */
  minMaximumEventAgeSeconds: 60,
  maxMaximumEventAgeSeconds: 21_600,
  maxAsyncRetryAttempts: 2,
} as const;

export const ATHENA = {
  /** Database, table and column names in the Glue catalog: lower case, 1..255 bytes. */
  maxNameBytes: 255,
  /** Names this project accepts: lower-case letters, digits and underscores (no dots, no upper case). */
  namePattern: /^[a-z0-9_]{1,255}$/,
  /** Workgroup names: letters, digits, `.`, `_` and `-`, 1..128 (GetWorkGroup, WorkGroup). */
  workGroupNamePattern: /^[a-zA-Z0-9._-]{1,128}$/,
  maxNamedQueryNameChars: 128,
  maxNamedQueryDescriptionChars: 1_024,
  maxQueryStringBytes: 262_144,
} as const;

/** Amazon EventBridge PutEvents, as the alert publisher and the local stand-in use it. */
export const EVENTBRIDGE = {
  /** Entries in one PutEvents call. */
  maxEntriesPerPutEvents: 10,
  /**
   * One entry, counted as "Calculating PutEvents event entry size" says (Source, DetailType, Detail,
   * Resources, Time).
   */
  maxEntryBytes: 256 * KiB,
  /** The entries of one call together (the API reference: "the total entry size must be less than 256KB"). */
  maxPutEventsBytes: 256 * KiB,
  /**
   * The largest PutEvents request body the stand-in reads: ten entries of the largest size, each of
   * whose characters may be a six-character JSON escape, with room for the members' names.
   */
  maxRequestBytes: 6 * 256 * KiB + 64 * KiB,
} as const;

export const SCHEDULER = {
  minMaximumEventAgeSeconds: 60,
  maxMaximumEventAgeSeconds: 86_400,
  maxRetryAttempts: 185,
} as const;

export const CLOUDWATCH = {
  /** Period × EvaluationPeriods for alarms with a period of an hour or more. */
  maxEvaluationSeconds: 7 * 24 * 3600,
  /** Period × EvaluationPeriods for alarms with a period under an hour. */
  maxEvaluationSecondsShortPeriod: 24 * 3600,
  maxAlarmNameChars: 255,
  maxAlarmDescriptionChars: 1_024,
  /** Dashboard names: letters, digits, `-` and `_`, 1..255 (PutDashboard, DashboardName). */
  dashboardNamePattern: /^[A-Za-z0-9_-]{1,255}$/,
  /** Logs Insights query definition names (a `/` makes a folder), 1..255 (PutQueryDefinition, name). */
  maxQueryDefinitionNameChars: 255,
} as const;
