import type { Duration, Size } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { EventType } from '../../shared/contracts/event-types';
import type { DetectionsProps } from './detection-props';
import type { CollectorFunctionOptions, CursorTableOptions } from './resource-options';

/**
 * The construct's props, in groups. Bounds and defaults of every number live in
 * shared/contracts/settings.ts (the README's configuration table is generated from it); the
 * collector's settings reach it as the environment variables named. Names and ARNs given as tokens
 * (a reference to a resource of the same app, a parameter) are accepted as they are: their format
 * is checked only when known at synth.
 */
export interface OnePasswordEventsPipelineProps {
  /**
   * Tells this pipeline from others in the same stack (letters and digits): its CloudFormation outputs
   * are named `<pipelineId><name>`, such as `AuditCursorTableName`, and the CLI selects it with
   * `--stack <stack> --pipeline <pipelineId>`. Unique within the stack; `''` publishes the bare names
   * (the app stack's one pipeline). @default - the construct's id, letters and digits only
   */
  readonly pipelineId?: string;
  /** Event types to collect, one function, stream and table each. @default - all three */
  readonly eventTypes?: readonly EventType[];
  /**
   * When and how each collector runs: schedule, Events API, run limits, the function.
   * @default - the defaults of each option
   */
  readonly collector?: CollectorOptions;
  /**
   * The secret holding the Events API token.
   * @default - the defaults of each option: a new secret holding a placeholder, set after deploy
   */
  readonly token?: TokenOptions;
  /**
   * Where events are kept: the events bucket, Firehose buffering, the cursor table.
   * @default - the defaults of each option
   */
  readonly storage?: StorageOptions;
  /** The alarms' subscription and thresholds. @default - the defaults of each option */
  readonly alarms?: AlarmOptions;
  /** The Glue database and the Athena workgroup. @default - the defaults of each option */
  readonly query?: QueryOptions;
  /**
   * Detections and alerts (docs/detections.md).
   * @default - on: alerts to the default bus, notifications to the alarm topic
   */
  readonly detections?: DetectionsProps;
}

/** When and how each collector runs. */
export interface CollectorOptions {
  /**
   * EventBridge Scheduler schedule of every collector: a `scheduler.ScheduleExpression` (`rate(...)`
   * or `cron(...)`, in UTC) or its text, known at synth. A rate also sets the function timeout, a
   * run's time bound while behind: the interval minus 10 s, at most 900 s (50 s for cron).
   * @default 'rate(1 minute)'
   */
  readonly schedule?: string | scheduler.ScheduleExpression;
  /**
   * Events API base URL, one of the 1Password event hosts (EVENTS_API_URL); the collector checks a
   * token's value when it starts. @default - derived by the collector from the token's audience
   */
  readonly eventsApiUrl?: string;
  /**
   * RFC 3339 time where a first run starts (START_TIME). Excludes `startLookbackHours`.
   * @default - use startLookbackHours
   */
  readonly startTime?: string;
  /** Hours a first run looks back (START_LOOKBACK_HOURS), 1..2880 (120 days). @default 168 */
  readonly startLookbackHours?: number;
  /**
   * Most events one run delivers (MAX_EVENTS_PER_RUN), 1..1000000; a cap, not the bound while behind.
   * @default 600000
   */
  readonly maxEventsPerRun?: number;
  /**
   * Events per API page (PAGE_SIZE), 1..1000 and at most maxEventsPerRun.
   * @default - min(1000, collector.maxEventsPerRun)
   */
  readonly pageSize?: number;
  /** Limit for one Events API request in milliseconds (REQUEST_TIMEOUT_MS), 100..120000. @default 10000 */
  readonly requestTimeoutMs?: number;
  /**
   * Minutes a rejected cursor restarts before the newest event seen (CURSOR_FALLBACK_OVERLAP_MINUTES),
   * 0..10080.
   * @default 60
   */
  readonly cursorFallbackOverlapMinutes?: number;
  /** Seconds a warm function keeps the token (TOKEN_CACHE_SECONDS), 0..3600. @default 300 */
  readonly tokenCacheSeconds?: number;
  /**
   * Requests per minute the collectors share (REQUEST_BUDGET_PER_MINUTE), 0 (no sharing)..600.
   * @default 300
   */
  readonly requestBudgetPerMinute?: number;
  /**
   * Direct PUT quota of each delivery stream in MiB/s, 1..1000 (FIREHOSE_QUOTA_MIB_PER_SECOND): the
   * collector paces its calls under it. Set it when the quota was raised.
   * @default - the region's default (5 in us-east-1, us-west-2, eu-west-1, else 1)
   */
  readonly firehoseQuotaMiBPerSecond?: number;
  /**
   * Changes to the collector functions' defaults (infra/defaults/lambda-defaults.ts).
   * @default - the defaults of each option
   */
  readonly functionProps?: CollectorFunctionOptions;
  /** Emit source maps and run with --enable-source-maps (slower cold starts). @default false */
  readonly sourceMaps?: boolean;
  /**
   * Lambda entry file (absolute, or relative to the working directory).
   * @default - functions/collector.ts of this package
   */
  readonly entry?: string;
}

/** The secret holding the Events API token: a new one, or one of yours. */
export interface TokenOptions {
  /**
   * An existing secret holding the token (its value, policy and rotation stay yours); the collectors
   * may read it, and decrypt it with `encryptionKey` through Secrets Manager. Not with
   * `existingSecretArn`. @default - a new secret holding a placeholder, set after deploy (docs/deploy.md)
   */
  readonly secret?: secretsmanager.ISecret;
  /**
   * The complete ARN of an existing secret (with its 6-character suffix), imported with
   * `Secret.fromSecretCompleteArn`: the same as `secret`, for a secret outside the app.
   * @default - `secret`, or a new secret
   */
  readonly existingSecretArn?: string;
  /**
   * The customer-managed KMS key of an existing secret.
   * @default - `secret.encryptionKey`; none (the AWS managed key) without it
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * ARN of the customer-managed KMS key of an existing secret, imported with `Key.fromKeyArn`.
   * @default - the key `encryptionKey` gives
   */
  readonly existingSecretKmsKeyArn?: string;
  /**
   * IAM role or user ARNs that administer a customer-managed KMS key created for the new token secret;
   * its key policy allows only them (key administration, and setting the token through Secrets
   * Manager) and the collector roles (decrypt through Secrets Manager). Must include the role that
   * deploys the stack. Not with an existing secret. @default - the new secret uses the AWS managed key
   */
  readonly keyAdminArns?: readonly string[];
}

/** Where events are kept. */
export interface StorageOptions {
  /**
   * An existing bucket to write events to (its lifecycle, versioning and policy stay yours). Encrypted
   * with a customer-managed key, pass it with its `encryptionKey` (`Bucket.fromBucketAttributes`) so
   * that Firehose may encrypt with it and `grantQuery` may decrypt. Not with `existingBucketName`.
   * @default - a new bucket: versioned, SSE-S3, public access blocked, TLS only, access logged
   */
  readonly bucket?: s3.IBucket;
  /**
   * Name of an existing SSE-S3 bucket to write events to, imported with `Bucket.fromBucketName`.
   * @default - `bucket`, or a new bucket
   */
  readonly existingBucketName?: string;
  /** Days objects stay in the events bucket (not applied to an existing bucket), 1..36500. @default 400 */
  readonly retentionDays?: number;
  /** Days a replaced or deleted version in the events bucket is kept, 1..36500. @default 30 */
  readonly noncurrentVersionDays?: number;
  /**
   * S3 Object Lock default retention mode of the events bucket: GOVERNANCE (deletable only with
   * s3:BypassGovernanceRetention) or COMPLIANCE (by nobody). Requires objectLockRetentionDays.
   * @default - no Object Lock
   */
  readonly objectLockMode?: s3.ObjectLockMode;
  /**
   * Days each new event object version is locked, 1..retentionDays. Requires objectLockMode.
   * @default - no Object Lock
   */
  readonly objectLockRetentionDays?: number;
  /**
   * Says that S3 creates the events bucket with Object Lock: a first deploy, or a stack whose bucket
   * was created with it. Required with objectLockMode, because Object Lock is enabled only when a
   * bucket is created (CloudFormation's ObjectLockEnabled is create-only): on a deployed bucket it
   * would replace the bucket, and Athena would read an empty one. To lock a deployed bucket, turn
   * Object Lock on in place (docs/deploy.md, "Object Lock on a deployed stack"). @default false
   */
  readonly objectLockAtBucketCreation?: boolean;
  /**
   * Overrides of the events bucket's secure defaults (infra/defaults/s3-defaults.ts).
   * @default - none: the secure defaults above
   */
  readonly bucketProps?: s3.BucketProps;
  /**
   * Firehose buffering interval, 60..900 s (dynamic partitioning minimum is 60 s): freshness against objects
   * per day.
   * @default Duration.seconds(60)
   */
  readonly firehoseBufferInterval?: Duration;
  /**
   * Firehose buffering size, 64..128 MiB (dynamic partitioning minimum is 64 MiB).
   * @default Size.mebibytes(128)
   */
  readonly firehoseBufferSize?: Size;
  /**
   * Changes to the cursor table's defaults (infra/defaults/dynamodb-defaults.ts).
   * @default - the defaults of each option
   */
  readonly cursorTableProps?: CursorTableOptions;
}

/** The alarms of every collector (docs/deploy.md, "Alarms"): where they notify and when they fire. */
export interface AlarmOptions {
  /** E-mail address subscribed to the alarm topic. @default - no subscription */
  readonly email?: string;
  /** Alarm when no events arrive for this long, in whole hours 1..168. @default Duration.hours(24) */
  readonly noEventsWindow?: Duration;
  /** Alarm when LagSeconds stays above this, in whole minutes 1..20160. @default Duration.minutes(120) */
  readonly freshnessThreshold?: Duration;
  /** Failed runs per 5 minutes that, 3 periods in a row, raise the failed-runs alarm, 1..10000. @default 3 */
  readonly failedRunsPer5Minutes?: number;
  /**
   * Minutes in which every 5 minutes saw a run stopped by throttling, 5..1440, a multiple of 5.
   * @default 30
   */
  readonly throttledMinutes?: number;
  /** Days before the token's expiry that the token-expiring alarm fires, 1..365. @default 14 */
  readonly tokenExpiryDays?: number;
  /**
   * Lambda errors (crashes, timeouts) per 15 minutes that raise the function-errors alarm, 1..10000.
   * @default 3
   */
  readonly functionErrorsPer15Minutes?: number;
}

/** The Glue database and the Athena workgroup. */
export interface QueryOptions {
  /**
   * Glue database (and Athena named-query database), unique in the account and region; text known at
   * synth (each view records it). @default - from the construct's path, lower case: `<stack>_<path>_<hash>`
   */
  readonly glueDatabaseName?: string;
  /** Athena cancels a query that would scan more bytes (at least 10000000). @default 10737418240 (10 GiB) */
  readonly bytesScannedCutoffPerQuery?: number;
}
