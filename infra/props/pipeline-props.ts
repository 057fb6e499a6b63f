import { Duration, Size } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { EVENT_TYPES, type EventType, isEventType } from '../../shared/contracts/event-types';
import type { SettingKey, WholeNumberKey } from '../../shared/contracts/settings';
import type { EventsObjectLock } from '../defaults/s3-defaults';
import type { DetectionsProps } from './detection-props';
import type { CollectorFunctionOptions, CursorTableOptions } from './resource-options';
import { collectorSettingsEnvironment, resolveWholeNumberProps } from './setting-props';
import {
  ConfigurationError,
  checkBucketName,
  checkEmail,
  checkEventsApiUrl,
  checkGlueName,
  checkKmsKeyArn,
  checkObjectLockMode,
  checkPrincipalArns,
  checkScheduleExpression,
  checkSecretArn,
  checkStartTime,
} from './validation';

/** Default `schedule`: every minute. */
export const DEFAULT_SCHEDULE = 'rate(1 minute)';

/** Thresholds of the failed-runs, throttles and function-errors alarms. */
export interface AlarmThresholds {
  /** Failed runs per 5 minutes that, 3 periods in a row, raise the failed-runs alarm, 1..10000. @default 3 */
  readonly failedRunsPer5Minutes?: number;
  /** Minutes in which every 5 minutes saw a run stopped by throttling, 5..1440, a multiple of 5. @default 30 */
  readonly throttledMinutes?: number;
  /** Days before the token's expiry that the token-expiring alarm fires, 1..365. @default 14 */
  readonly tokenExpiryDays?: number;
  /** Lambda errors (crashes, timeouts) per 15 minutes that raise the function-errors alarm, 1..10000. @default 3 */
  readonly functionErrorsPer15Minutes?: number;
}

/**
 * Bounds and defaults of every number below live in shared/contracts/settings.ts (the README's configuration
 * table is generated from it); the collector's settings reach it as the environment variables named.
 */
export interface OnePasswordEventsPipelineProps {
  /**
   * Tells this pipeline from others in the same stack (letters and digits): its CloudFormation outputs
   * are named `<pipelineId><name>`, such as `AuditCursorTableName`, and the CLI selects it with
   * `--stack <stack> --pipeline <pipelineId>`. Unique within the stack; `''` publishes the bare names
   * (the app stack's one pipeline). @default - the construct's id, letters and digits only
   */
  readonly pipelineId?: string;
  /** Event types to collect, one function, stream and table each. @default all three */
  readonly eventTypes?: readonly EventType[];
  /**
   * EventBridge Scheduler expression for every collector. A `rate(...)` schedule also sets the function
   * timeout, a run's time bound while behind: the interval minus 10 s, at most 900 s (50 s for cron).
   * @default 'rate(1 minute)'
   */
  readonly schedule?: string;
  /**
   * Events API base URL, one of the 1Password event hosts (EVENTS_API_URL).
   * @default - derived by the collector from the token's audience
   */
  readonly eventsApiUrl?: string;
  /** RFC 3339 time where a first run starts (START_TIME). Excludes `startLookbackHours`. @default - use startLookbackHours */
  readonly startTime?: string;
  /** Hours a first run looks back (START_LOOKBACK_HOURS), 1..2880 (120 days). @default 168 */
  readonly startLookbackHours?: number;
  /** Most events one run delivers (MAX_EVENTS_PER_RUN), 1..1000000; a cap, not the bound while behind. @default 600000 */
  readonly maxEventsPerRun?: number;
  /** Events per API page (PAGE_SIZE), 1..1000 and at most maxEventsPerRun. @default - min(1000, maxEventsPerRun) */
  readonly pageSize?: number;
  /** Limit for one Events API request in milliseconds (REQUEST_TIMEOUT_MS), 100..120000. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Minutes a rejected cursor restarts before the newest event seen (CURSOR_FALLBACK_OVERLAP_MINUTES), 0..10080. @default 60 */
  readonly cursorFallbackOverlapMinutes?: number;
  /** Seconds a warm function keeps the token (TOKEN_CACHE_SECONDS), 0..3600. @default 300 */
  readonly tokenCacheSeconds?: number;
  /** Requests per minute the collectors share (REQUEST_BUDGET_PER_MINUTE), 0 (no sharing)..600. @default 300 */
  readonly requestBudgetPerMinute?: number;
  /**
   * Direct PUT quota of each delivery stream in MiB/s, 1..1000 (FIREHOSE_QUOTA_MIB_PER_SECOND): the
   * collector paces its calls under it. Set it when the quota was raised.
   * @default - the region's default (5 in us-east-1, us-west-2, eu-west-1, else 1)
   */
  readonly firehoseQuotaMiBPerSecond?: number;
  /** Firehose buffering interval, 60..900 s (dynamic partitioning minimum is 60 s): freshness against objects per day. @default Duration.seconds(60) */
  readonly firehoseBufferInterval?: Duration;
  /** Firehose buffering size, 64..128 MiB (dynamic partitioning minimum is 64 MiB). @default Size.mebibytes(128) */
  readonly firehoseBufferSize?: Size;
  /** Days objects stay in the events bucket (ignored with existingBucketName), 1..36500. @default 400 */
  readonly retentionDays?: number;
  /** E-mail address subscribed to the alarm topic. @default - no subscription */
  readonly alarmEmail?: string;
  /** Complete ARN of an existing secret holding the token. @default - a new secret */
  readonly existingSecretArn?: string;
  /** ARN of the customer-managed KMS key of `existingSecretArn`, if any. @default - AWS managed key */
  readonly existingSecretKmsKeyArn?: string;
  /**
   * IAM role or user ARNs that administer a customer-managed KMS key created for the token secret;
   * its key policy allows only them (key administration, and setting the token through Secrets
   * Manager) and the collector roles (decrypt through Secrets Manager). Must include the role that
   * deploys the stack. Not with existingSecretArn. @default - the secret uses the AWS managed key
   */
  readonly tokenSecretKeyAdminArns?: readonly string[];
  /** Name of an existing bucket to write events to (its lifecycle stays yours). @default - a new bucket */
  readonly existingBucketName?: string;
  /**
   * S3 Object Lock default retention mode of the events bucket: GOVERNANCE (deletable only with
   * s3:BypassGovernanceRetention) or COMPLIANCE (by nobody). Requires objectLockRetentionDays. @default - no Object Lock
   */
  readonly objectLockMode?: s3.ObjectLockMode;
  /** Days each new event object version is locked, 1..retentionDays. Requires objectLockMode. @default - no Object Lock */
  readonly objectLockRetentionDays?: number;
  /**
   * Says that S3 creates the events bucket with Object Lock: a first deploy, or a stack whose bucket
   * was created with it. Required with objectLockMode, because Object Lock is enabled only when a
   * bucket is created (CloudFormation's ObjectLockEnabled is create-only): on a deployed bucket it
   * would replace the bucket, and Athena would read an empty one. To lock a deployed bucket, turn
   * Object Lock on in place (docs/deploy.md, "Object Lock on a deployed stack"). @default false
   */
  readonly objectLockAtBucketCreation?: boolean;
  /** Days a replaced or deleted version in the events bucket is kept, 1..36500. @default 30 */
  readonly noncurrentVersionDays?: number;
  /** Detections and alerts (docs/detections.md). @default - on: alerts to the default bus, notifications to the alarm topic */
  readonly detections?: DetectionsProps;
  /**
   * Glue database (and Athena named-query database), unique in the account and region.
   * @default - from the construct's path, lower case: `<stack>_<path>_<hash>`
   */
  readonly glueDatabaseName?: string;
  /** Alarm when no events arrive for this long, in whole hours 1..168. @default Duration.hours(24) */
  readonly noEventsWindow?: Duration;
  /** Alarm when LagSeconds stays above this, in whole minutes 1..20160. @default Duration.minutes(120) */
  readonly freshnessThreshold?: Duration;
  /** Thresholds of the failed-runs, throttled, token-expiring and function-errors alarms. @default - each threshold's own default */
  readonly alarmThresholds?: AlarmThresholds;
  /** Athena cancels a query that would scan more bytes (at least 10000000). @default 10737418240 (10 GiB) */
  readonly athenaBytesScannedCutoffPerQuery?: number;
  /** Emit source maps and run with --enable-source-maps (slower cold starts). @default false */
  readonly sourceMaps?: boolean;
  /** Overrides of the events bucket's secure defaults (s3-defaults.ts). @default - none */
  readonly eventsBucketProps?: s3.BucketProps;
  /** Changes to the cursor table's defaults (dynamodb-defaults.ts). @default - the defaults */
  readonly cursorTableProps?: CursorTableOptions;
  /** Changes to the collector functions' defaults (lambda-defaults.ts). @default - the defaults */
  readonly collectorFunctionProps?: CollectorFunctionOptions;
  /** Lambda entry file (absolute, or relative to the working directory). @default - functions/collector.ts of this package */
  readonly collectorEntry?: string;
}

/** Props after defaults and validation. */
export interface ResolvedProps {
  readonly eventTypes: readonly EventType[];
  readonly schedule: string;
  readonly eventsApiUrl?: string;
  readonly startTime?: string;
  /** The collector's environment for its settings (shared/contracts/settings.ts). */
  readonly collectorSettings: Readonly<Record<string, string>>;
  readonly bufferInterval: Duration;
  readonly bufferSize: Size;
  readonly retentionDays: number;
  readonly noncurrentVersionDays: number;
  readonly objectLock?: EventsObjectLock;
  readonly tokenSecretKeyAdminArns?: readonly string[];
  readonly noEventsWindow: Duration;
  readonly freshnessThreshold: Duration;
  /** Undefined: the construct derives it from its path. */
  readonly glueDatabaseName?: string;
  readonly bytesScannedCutoff: number;
  readonly alarmThresholds: Required<AlarmThresholds>;
}

/**
 * Why Object Lock needs objectLockAtBucketCreation, and the way to lock a deployed bucket. S3 turns
 * Object Lock on for an existing versioned bucket with PutObjectLockConfiguration (Amazon S3 User
 * Guide, "Configuring S3 Object Lock", enable Object Lock on an existing bucket); CloudFormation's
 * ObjectLockEnabled is "Update requires: Replacement" (CloudFormation template reference,
 * AWS::S3::Bucket, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html).
 */
export const OBJECT_LOCK_ON_CREATE_ONLY =
  'Object Lock is enabled when S3 creates the events bucket (CloudFormation ObjectLockEnabled is create-only): ' +
  'set on a deployed stack it would replace the bucket, and every table and view would move to an empty one. ' +
  'For a new stack, also set objectLockAtBucketCreation (-c objectLockAtBucketCreation=true). ' +
  'For a deployed stack, leave these unset and turn Object Lock on in place: ' +
  'aws s3api put-object-lock-configuration --bucket <EventsBucketName> --object-lock-configuration ' +
  '\'{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":30}}}\' ' +
  '(docs/deploy.md, "Object Lock on a deployed stack").';

function resolveObjectLock(
  props: OnePasswordEventsPipelineProps,
  retentionDays: number,
): EventsObjectLock | undefined {
  const { objectLockMode, objectLockRetentionDays } = props;
  const bucketProps = props.eventsBucketProps;
  if (bucketProps?.objectLockEnabled !== undefined || bucketProps?.objectLockDefaultRetention !== undefined) {
    throw new ConfigurationError(
      'eventsBucketProps',
      `must not set Object Lock; use objectLockMode and objectLockRetentionDays. ${OBJECT_LOCK_ON_CREATE_ONLY}`,
    );
  }
  if (objectLockMode === undefined && objectLockRetentionDays === undefined) {
    if (props.objectLockAtBucketCreation !== undefined) {
      throw new ConfigurationError(
        'objectLockAtBucketCreation',
        'needs objectLockMode and objectLockRetentionDays',
      );
    }
    return undefined;
  }
  if (objectLockMode === undefined) {
    throw new ConfigurationError(
      'objectLockRetentionDays',
      'needs objectLockMode (GOVERNANCE or COMPLIANCE)',
    );
  }
  const mode = checkObjectLockMode('objectLockMode', objectLockMode);
  if (objectLockRetentionDays === undefined) {
    throw new ConfigurationError('objectLockMode', 'needs objectLockRetentionDays');
  }
  if (props.existingBucketName !== undefined) {
    throw new ConfigurationError(
      'objectLockMode',
      'applies to the bucket the stack creates, not to existingBucketName',
    );
  }
  if (props.objectLockAtBucketCreation !== true)
    throw new ConfigurationError('objectLockMode', OBJECT_LOCK_ON_CREATE_ONLY);
  // A lock longer than the lifecycle keeps each version past its expiration: say so rather than pay for it.
  if (
    !Number.isSafeInteger(objectLockRetentionDays) ||
    objectLockRetentionDays < 1 ||
    objectLockRetentionDays > retentionDays
  ) {
    throw new ConfigurationError(
      'objectLockRetentionDays',
      `must be a whole number of days from 1 to retentionDays (${retentionDays}) (got ${objectLockRetentionDays})`,
    );
  }
  return { mode, days: objectLockRetentionDays };
}

function resolveTokenSecretKeyAdmins(props: OnePasswordEventsPipelineProps): readonly string[] | undefined {
  if (props.tokenSecretKeyAdminArns === undefined) return undefined;
  if (props.existingSecretArn !== undefined) {
    throw new ConfigurationError(
      'tokenSecretKeyAdminArns',
      'applies to the secret the stack creates; for existingSecretArn give its key as existingSecretKmsKeyArn',
    );
  }
  return checkPrincipalArns('tokenSecretKeyAdminArns', props.tokenSecretKeyAdminArns);
}

/** The prop of each whole-number setting (shared/contracts/settings.ts), as given. */
function wholeNumberProps(props: OnePasswordEventsPipelineProps): Record<WholeNumberKey, unknown> {
  const alarms = props.alarmThresholds;
  return {
    startLookbackHours: props.startLookbackHours,
    maxEventsPerRun: props.maxEventsPerRun,
    pageSize: props.pageSize,
    requestTimeoutMs: props.requestTimeoutMs,
    cursorFallbackOverlapMinutes: props.cursorFallbackOverlapMinutes,
    tokenCacheSeconds: props.tokenCacheSeconds,
    requestBudgetPerMinute: props.requestBudgetPerMinute,
    firehoseQuotaMiBPerSecond: props.firehoseQuotaMiBPerSecond,
    firehoseBufferInterval: props.firehoseBufferInterval,
    firehoseBufferSize: props.firehoseBufferSize,
    retentionDays: props.retentionDays,
    noncurrentVersionDays: props.noncurrentVersionDays,
    noEventsWindow: props.noEventsWindow,
    freshnessThreshold: props.freshnessThreshold,
    failedRunsPer5Minutes: alarms?.failedRunsPer5Minutes,
    throttledMinutes: alarms?.throttledMinutes,
    tokenExpiryDays: alarms?.tokenExpiryDays,
    functionErrorsPer15Minutes: alarms?.functionErrorsPer15Minutes,
    athenaBytesScannedCutoffPerQuery: props.athenaBytesScannedCutoffPerQuery,
  };
}

/** Validate props and fill in defaults. Errors name the prop. */
export function resolvePipelineProps(props: OnePasswordEventsPipelineProps): ResolvedProps {
  const eventTypes = props.eventTypes ?? EVENT_TYPES;
  if (eventTypes.length === 0)
    throw new ConfigurationError('eventTypes', 'must name at least one event type');
  for (const t of eventTypes) {
    if (!isEventType(t))
      throw new ConfigurationError('eventTypes', `unknown "${t}"; use ${EVENT_TYPES.join(', ')}`);
  }
  if (new Set(eventTypes).size !== eventTypes.length) {
    throw new ConfigurationError('eventTypes', `lists a type twice (${eventTypes.join(',')})`);
  }
  const eventsApiUrl =
    props.eventsApiUrl === undefined ? undefined : checkEventsApiUrl('eventsApiUrl', props.eventsApiUrl);
  const startTime = props.startTime === undefined ? undefined : checkStartTime('startTime', props.startTime);
  const textGiven = new Set<SettingKey>(startTime === undefined ? [] : ['startTime']);
  const n = resolveWholeNumberProps(wholeNumberProps(props), textGiven);
  if (props.alarmEmail !== undefined) checkEmail('alarmEmail', props.alarmEmail);
  if (props.existingSecretArn !== undefined) checkSecretArn('existingSecretArn', props.existingSecretArn);
  if (props.existingSecretKmsKeyArn !== undefined) {
    if (props.existingSecretArn === undefined) {
      throw new ConfigurationError('existingSecretKmsKeyArn', 'only applies together with existingSecretArn');
    }
    checkKmsKeyArn('existingSecretKmsKeyArn', props.existingSecretKmsKeyArn);
  }
  if (props.existingBucketName !== undefined) checkBucketName('existingBucketName', props.existingBucketName);
  return {
    eventTypes,
    schedule: checkScheduleExpression('schedule', props.schedule ?? DEFAULT_SCHEDULE),
    eventsApiUrl,
    startTime,
    collectorSettings: collectorSettingsEnvironment(n, { eventsApiUrl, startTime }),
    bufferInterval: Duration.seconds(n.firehoseBufferInterval),
    bufferSize: Size.mebibytes(n.firehoseBufferSize),
    retentionDays: n.retentionDays,
    noEventsWindow: Duration.hours(n.noEventsWindow),
    freshnessThreshold: Duration.minutes(n.freshnessThreshold),
    noncurrentVersionDays: n.noncurrentVersionDays,
    objectLock: resolveObjectLock(props, n.retentionDays),
    tokenSecretKeyAdminArns: resolveTokenSecretKeyAdmins(props),
    glueDatabaseName:
      props.glueDatabaseName === undefined
        ? undefined
        : checkGlueName('glueDatabaseName', props.glueDatabaseName),
    alarmThresholds: {
      failedRunsPer5Minutes: n.failedRunsPer5Minutes,
      throttledMinutes: n.throttledMinutes,
      tokenExpiryDays: n.tokenExpiryDays,
      functionErrorsPer15Minutes: n.functionErrorsPer15Minutes,
    },
    bytesScannedCutoff: n.athenaBytesScannedCutoffPerQuery,
  };
}
