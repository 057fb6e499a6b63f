import { Duration, Size } from 'aws-cdk-lib';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { EVENT_TYPES, type EventType, isEventType } from '../../shared/contracts/event-types';
import type { SettingKey, WholeNumberKey } from '../../shared/contracts/settings';
import type { EventsObjectLock } from '../defaults/s3-defaults';
import type { OnePasswordEventsPipelineProps, StorageOptions, TokenOptions } from './pipeline-props';
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

/** Default `collector.schedule`: every minute. */
export const DEFAULT_SCHEDULE = 'rate(1 minute)';

/** EventBridge Scheduler's zone when a schedule names none (aws-cdk-lib's ScheduleExpression default). */
const UTC_ZONES = ['Etc/UTC', 'UTC'];

/**
 * A schedule as its EventBridge Scheduler text: a ScheduleExpression's own (`rate(5 minutes)`). The
 * collectors' schedules run in UTC, so a cron expression in another time zone is refused rather than
 * run hours off.
 */
function scheduleText(schedule: string | scheduler.ScheduleExpression): string {
  if (typeof schedule === 'string') return schedule;
  const zone = schedule.timeZone?.timezoneName;
  if (zone !== undefined && !UTC_ZONES.includes(zone)) {
    throw new ConfigurationError(
      'collector.schedule',
      `runs in UTC; give the cron fields in UTC, without a time zone (got ${zone})`,
    );
  }
  return schedule.expressionString;
}

/** The thresholds of the failed-runs, throttled, token-expiring and function-errors alarms, resolved. */
export interface ResolvedAlarmThresholds {
  readonly failedRunsPer5Minutes: number;
  readonly throttledMinutes: number;
  readonly tokenExpiryDays: number;
  readonly functionErrorsPer15Minutes: number;
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
  readonly alarmThresholds: ResolvedAlarmThresholds;
}

/**
 * Why Object Lock needs objectLockAtBucketCreation, and the way to lock a deployed bucket. S3 turns
 * Object Lock on for an existing versioned bucket with PutObjectLockConfiguration (Amazon S3 User
 * Guide, "Configuring S3 Object Lock", enable Object Lock on an existing bucket); CloudFormation's
 * ObjectLockEnabled is "Update requires: Replacement" (CloudFormation template reference,
 * AWS::S3::Bucket,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html).
 */
export const OBJECT_LOCK_ON_CREATE_ONLY =
  'Object Lock is enabled when S3 creates the events bucket ' +
  '(CloudFormation ObjectLockEnabled is create-only): ' +
  'set on a deployed stack it would replace the bucket, ' +
  'and every table and view would move to an empty one. ' +
  'For a new stack, also set objectLockAtBucketCreation (-c objectLockAtBucketCreation=true). ' +
  'For a deployed stack, leave these unset and turn Object Lock on in place: ' +
  'aws s3api put-object-lock-configuration --bucket <EventsBucketName> --object-lock-configuration ' +
  '\'{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":30}}}\' ' +
  '(docs/deploy.md, "Object Lock on a deployed stack").';

/** Whether the pipeline writes to a bucket of yours rather than one it creates. */
const usesExistingBucket = (storage: StorageOptions) =>
  storage.bucket !== undefined || storage.existingBucketName !== undefined;

function resolveObjectLock(storage: StorageOptions, retentionDays: number): EventsObjectLock | undefined {
  const { objectLockMode, objectLockRetentionDays, bucketProps } = storage;
  if (bucketProps?.objectLockEnabled !== undefined || bucketProps?.objectLockDefaultRetention !== undefined) {
    throw new ConfigurationError(
      'storage.bucketProps',
      'must not set Object Lock; use storage.objectLockMode and storage.objectLockRetentionDays. ' +
        OBJECT_LOCK_ON_CREATE_ONLY,
    );
  }
  if (objectLockMode === undefined && objectLockRetentionDays === undefined) {
    if (storage.objectLockAtBucketCreation !== undefined) {
      throw new ConfigurationError(
        'storage.objectLockAtBucketCreation',
        'needs objectLockMode and objectLockRetentionDays',
      );
    }
    return undefined;
  }
  if (objectLockMode === undefined) {
    throw new ConfigurationError(
      'storage.objectLockRetentionDays',
      'needs objectLockMode (GOVERNANCE or COMPLIANCE)',
    );
  }
  const mode = checkObjectLockMode('storage.objectLockMode', objectLockMode);
  if (objectLockRetentionDays === undefined) {
    throw new ConfigurationError('storage.objectLockMode', 'needs objectLockRetentionDays');
  }
  if (usesExistingBucket(storage)) {
    throw new ConfigurationError(
      'storage.objectLockMode',
      'applies to the bucket the stack creates, not to an existing bucket',
    );
  }
  if (storage.objectLockAtBucketCreation !== true)
    throw new ConfigurationError('storage.objectLockMode', OBJECT_LOCK_ON_CREATE_ONLY);
  // A lock longer than the lifecycle keeps each version past its expiration: say so rather than pay for it.
  if (
    !Number.isSafeInteger(objectLockRetentionDays) ||
    objectLockRetentionDays < 1 ||
    objectLockRetentionDays > retentionDays
  ) {
    throw new ConfigurationError(
      'storage.objectLockRetentionDays',
      `must be a whole number of days from 1 to retentionDays (${retentionDays}) ` +
        `(got ${objectLockRetentionDays})`,
    );
  }
  return { mode, days: objectLockRetentionDays };
}

/** One of two props that say the same thing (an object, or its name or ARN). */
function notBoth(group: string, object: string, text: string, props: object): void {
  const values = props as Record<string, unknown>;
  if (values[object] !== undefined && values[text] !== undefined) {
    throw new ConfigurationError(
      `${group}.${text}`,
      `give either ${group}.${object} or ${group}.${text}, not both`,
    );
  }
}

/** The existing bucket's name, checked when known at synth. */
function checkStorage(storage: StorageOptions): void {
  notBoth('storage', 'bucket', 'existingBucketName', storage);
  if (storage.existingBucketName !== undefined)
    checkBucketName('storage.existingBucketName', storage.existingBucketName);
}

/** An existing secret and its key, or the admins of a key for the new secret. */
function resolveToken(token: TokenOptions): readonly string[] | undefined {
  notBoth('token', 'secret', 'existingSecretArn', token);
  notBoth('token', 'encryptionKey', 'existingSecretKmsKeyArn', token);
  const existing = token.secret !== undefined || token.existingSecretArn !== undefined;
  if (token.existingSecretArn !== undefined)
    checkSecretArn('token.existingSecretArn', token.existingSecretArn);
  for (const key of ['encryptionKey', 'existingSecretKmsKeyArn'] as const) {
    if (token[key] !== undefined && !existing) {
      throw new ConfigurationError(
        `token.${key}`,
        'is the key of an existing secret: give token.secret or token.existingSecretArn too',
      );
    }
  }
  if (token.existingSecretKmsKeyArn !== undefined)
    checkKmsKeyArn('token.existingSecretKmsKeyArn', token.existingSecretKmsKeyArn);
  if (token.keyAdminArns === undefined) return undefined;
  if (existing) {
    throw new ConfigurationError(
      'token.keyAdminArns',
      'applies to the secret the stack creates; for an existing secret give its key as token.encryptionKey',
    );
  }
  return checkPrincipalArns('token.keyAdminArns', token.keyAdminArns);
}

function resolveEventTypes(eventTypes: readonly EventType[]): readonly EventType[] {
  if (eventTypes.length === 0)
    throw new ConfigurationError('eventTypes', 'must name at least one event type');
  eventTypes.forEach((t, i) => {
    if (!isEventType(t)) {
      throw new ConfigurationError(
        'eventTypes',
        `unknown event type "${String(t)}"; use one or more of ${EVENT_TYPES.join(', ')}`,
      );
    }
    if (eventTypes.indexOf(t) !== i) throw new ConfigurationError('eventTypes', `lists "${t}" twice`);
  });
  return eventTypes;
}

/** The prop of each whole-number setting (shared/contracts/settings.ts), as given. */
function wholeNumberProps(props: OnePasswordEventsPipelineProps): Record<WholeNumberKey, unknown> {
  const { collector = {}, storage = {}, alarms = {}, query = {} } = props;
  return {
    startLookbackHours: collector.startLookbackHours,
    maxEventsPerRun: collector.maxEventsPerRun,
    pageSize: collector.pageSize,
    requestTimeoutMs: collector.requestTimeoutMs,
    cursorFallbackOverlapMinutes: collector.cursorFallbackOverlapMinutes,
    tokenCacheSeconds: collector.tokenCacheSeconds,
    requestBudgetPerMinute: collector.requestBudgetPerMinute,
    firehoseQuotaMiBPerSecond: collector.firehoseQuotaMiBPerSecond,
    firehoseBufferInterval: storage.firehoseBufferInterval,
    firehoseBufferSize: storage.firehoseBufferSize,
    retentionDays: storage.retentionDays,
    noncurrentVersionDays: storage.noncurrentVersionDays,
    noEventsWindow: alarms.noEventsWindow,
    freshnessThreshold: alarms.freshnessThreshold,
    failedRunsPer5Minutes: alarms.failedRunsPer5Minutes,
    throttledMinutes: alarms.throttledMinutes,
    tokenExpiryDays: alarms.tokenExpiryDays,
    functionErrorsPer15Minutes: alarms.functionErrorsPer15Minutes,
    athenaBytesScannedCutoffPerQuery: query.bytesScannedCutoffPerQuery,
  };
}

/** Validate props and fill in defaults. Errors name the prop by its path (`storage.retentionDays`). */
export function resolvePipelineProps(props: OnePasswordEventsPipelineProps): ResolvedProps {
  const { collector = {}, storage = {}, alarms = {}, query = {}, token = {} } = props;
  const eventTypes = resolveEventTypes(props.eventTypes ?? EVENT_TYPES);
  const eventsApiUrl =
    collector.eventsApiUrl === undefined
      ? undefined
      : checkEventsApiUrl('collector.eventsApiUrl', collector.eventsApiUrl);
  const startTime =
    collector.startTime === undefined
      ? undefined
      : checkStartTime('collector.startTime', collector.startTime);
  const textGiven = new Set<SettingKey>(startTime === undefined ? [] : ['startTime']);
  const n = resolveWholeNumberProps(wholeNumberProps(props), textGiven);
  if (alarms.email !== undefined) checkEmail('alarms.email', alarms.email);
  checkStorage(storage);
  return {
    eventTypes,
    schedule: checkScheduleExpression(
      'collector.schedule',
      scheduleText(collector.schedule ?? DEFAULT_SCHEDULE),
    ),
    eventsApiUrl,
    startTime,
    collectorSettings: collectorSettingsEnvironment(n, { eventsApiUrl, startTime }),
    bufferInterval: Duration.seconds(n.firehoseBufferInterval),
    bufferSize: Size.mebibytes(n.firehoseBufferSize),
    retentionDays: n.retentionDays,
    noEventsWindow: Duration.hours(n.noEventsWindow),
    freshnessThreshold: Duration.minutes(n.freshnessThreshold),
    noncurrentVersionDays: n.noncurrentVersionDays,
    objectLock: resolveObjectLock(storage, n.retentionDays),
    tokenSecretKeyAdminArns: resolveToken(token),
    glueDatabaseName:
      query.glueDatabaseName === undefined
        ? undefined
        : checkGlueName('query.glueDatabaseName', query.glueDatabaseName),
    alarmThresholds: {
      failedRunsPer5Minutes: n.failedRunsPer5Minutes,
      throttledMinutes: n.throttledMinutes,
      tokenExpiryDays: n.tokenExpiryDays,
      functionErrorsPer15Minutes: n.functionErrorsPer15Minutes,
    },
    bytesScannedCutoff: n.athenaBytesScannedCutoffPerQuery,
  };
}
