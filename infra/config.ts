import { Duration, Size } from 'aws-cdk-lib';
import { EVENT_TYPES, type EventType, isEventType } from '../shared/event-types';
import type { OnePasswordEventsPipelineProps } from './onepassword-events-pipeline';
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
  MAX_FIREHOSE_QUOTA_MIB,
  MAX_LOOKBACK_HOURS,
} from './validation';

/**
 * CDK context keys the app reads (`npx cdk deploy -c key=value`, or "context" in cdk.json).
 * Values arrive as strings from the command line and as JSON values from cdk.json; both work.
 */
export const CONTEXT_KEYS = [
  'stackName',
  'eventTypes',
  'schedule',
  'eventsApiUrl',
  'startTime',
  'startLookbackHours',
  'maxEventsPerRun',
  'pageSize',
  'requestBudgetPerMinute',
  'firehoseQuotaMiBPerSecond',
  'firehoseBufferSeconds',
  'firehoseBufferMiB',
  'retentionDays',
  'alarmEmail',
  'noEventsWindowHours',
  'freshnessThresholdMinutes',
  'throttledMinutes',
  'tokenExpiryDays',
  'existingSecretArn',
  'existingSecretKmsKeyArn',
  'existingBucketName',
  'glueDatabaseName',
  'tokenSecretKeyAdminArns',
  'objectLockMode',
  'objectLockRetentionDays',
  'noncurrentVersionDays',
] as const;

export type ContextKey = (typeof CONTEXT_KEYS)[number];

export const DEFAULT_STACK_NAME = 'OnePasswordEvents';

export interface AppConfig {
  readonly stackName: string;
  readonly pipeline: OnePasswordEventsPipelineProps;
}

type ReadContext = (key: string) => unknown;

function text(key: ContextKey, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ConfigurationError(key, `must be a string (got ${JSON.stringify(value)})`);
  }
  const s = String(value).trim();
  if (s === '') throw new ConfigurationError(key, 'is empty; leave the key out to use the default');
  return s;
}

function integer(key: ContextKey, value: unknown, min: number, max: number): number | undefined {
  const s = text(key, value);
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new ConfigurationError(key, `must be an integer from ${min} to ${max} (got "${s}")`);
  }
  return Number(s);
}

function eventTypes(value: unknown): EventType[] | undefined {
  const key = 'eventTypes';
  let items: unknown[];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) items = value;
  else {
    const s = text(key, value) ?? '';
    items = s.split(',').map((x) => x.trim());
  }
  const types: EventType[] = [];
  for (const item of items) {
    if (typeof item !== 'string' || !isEventType(item)) {
      throw new ConfigurationError(
        key,
        `unknown event type "${String(item)}"; use a comma-separated subset of ${EVENT_TYPES.join(',')}`,
      );
    }
    if (types.includes(item)) throw new ConfigurationError(key, `lists "${item}" twice`);
    types.push(item);
  }
  if (types.length === 0) throw new ConfigurationError(key, 'must name at least one event type');
  return types;
}

/** A list given as a JSON array (cdk.json) or comma-separated text (`-c key=a,b`). */
function list(key: ContextKey, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : (text(key, value) ?? '').split(',');
  return items.map((item) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new ConfigurationError(key, `must be a comma-separated list (got ${JSON.stringify(value)})`);
    }
    return item.trim();
  });
}

/**
 * Reads and validates the app's context. Every error names the context key. Keys that match a
 * known key except for case (a typo such as `pagesize`) are errors too, since CDK would ignore them.
 */
export function configFromContext(read: ReadContext, allKeys: readonly string[] = []): AppConfig {
  for (const k of allKeys) {
    const known = CONTEXT_KEYS.find((c) => c.toLowerCase() === k.toLowerCase());
    if (known && known !== k)
      throw new ConfigurationError(k, `unknown context key; did you mean "${known}"?`);
  }
  const get = (key: ContextKey) => read(key);

  const stackName = text('stackName', get('stackName')) ?? DEFAULT_STACK_NAME;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new ConfigurationError('stackName', `must be a CloudFormation stack name (got "${stackName}")`);
  }
  const str = (key: ContextKey, check?: (k: string, v: string) => string) => {
    const v = text(key, get(key));
    return v === undefined || !check ? v : check(key, v);
  };

  const bufferSeconds = integer('firehoseBufferSeconds', get('firehoseBufferSeconds'), 60, 900);
  const bufferMiB = integer('firehoseBufferMiB', get('firehoseBufferMiB'), 64, 128);
  const noEventsHours = integer('noEventsWindowHours', get('noEventsWindowHours'), 1, 168);
  const freshnessMinutes = integer('freshnessThresholdMinutes', get('freshnessThresholdMinutes'), 1, 20_160);
  const throttledMinutes = integer('throttledMinutes', get('throttledMinutes'), 5, 1440);
  const tokenExpiryDays = integer('tokenExpiryDays', get('tokenExpiryDays'), 1, 365);
  const startTime = str('startTime', checkStartTime);
  const startLookbackHours = integer('startLookbackHours', get('startLookbackHours'), 1, MAX_LOOKBACK_HOURS);
  if (startTime !== undefined && startLookbackHours !== undefined) {
    throw new ConfigurationError('startTime', 'set either startTime or startLookbackHours, not both');
  }
  const maxEventsPerRun = integer('maxEventsPerRun', get('maxEventsPerRun'), 1, 1_000_000);
  const pageSize = integer('pageSize', get('pageSize'), 1, 1000);
  if (pageSize !== undefined && pageSize > (maxEventsPerRun ?? 10_000)) {
    throw new ConfigurationError(
      'pageSize',
      `must not exceed maxEventsPerRun (${pageSize} > ${maxEventsPerRun ?? 10_000})`,
    );
  }

  const adminArns = list('tokenSecretKeyAdminArns', get('tokenSecretKeyAdminArns'));
  const pipeline: OnePasswordEventsPipelineProps = {
    eventTypes: eventTypes(get('eventTypes')),
    schedule: str('schedule', checkScheduleExpression),
    eventsApiUrl: str('eventsApiUrl', checkEventsApiUrl),
    startTime,
    startLookbackHours,
    maxEventsPerRun,
    pageSize,
    requestBudgetPerMinute: integer('requestBudgetPerMinute', get('requestBudgetPerMinute'), 0, 600),
    firehoseQuotaMiBPerSecond: integer(
      'firehoseQuotaMiBPerSecond',
      get('firehoseQuotaMiBPerSecond'),
      1,
      MAX_FIREHOSE_QUOTA_MIB,
    ),
    firehoseBufferInterval: bufferSeconds === undefined ? undefined : Duration.seconds(bufferSeconds),
    firehoseBufferSize: bufferMiB === undefined ? undefined : Size.mebibytes(bufferMiB),
    retentionDays: integer('retentionDays', get('retentionDays'), 1, 36_500),
    alarmEmail: str('alarmEmail', checkEmail),
    noEventsWindow: noEventsHours === undefined ? undefined : Duration.hours(noEventsHours),
    freshnessThreshold: freshnessMinutes === undefined ? undefined : Duration.minutes(freshnessMinutes),
    alarmThresholds:
      throttledMinutes === undefined && tokenExpiryDays === undefined
        ? undefined
        : {
            ...(throttledMinutes === undefined ? {} : { throttledMinutes }),
            ...(tokenExpiryDays === undefined ? {} : { tokenExpiryDays }),
          },
    existingSecretArn: str('existingSecretArn', checkSecretArn),
    existingSecretKmsKeyArn: str('existingSecretKmsKeyArn', checkKmsKeyArn),
    existingBucketName: str('existingBucketName', checkBucketName),
    glueDatabaseName: str('glueDatabaseName', checkGlueName),
    tokenSecretKeyAdminArns:
      adminArns === undefined ? undefined : checkPrincipalArns('tokenSecretKeyAdminArns', adminArns),
    objectLockMode: str(
      'objectLockMode',
      checkObjectLockMode,
    ) as OnePasswordEventsPipelineProps['objectLockMode'],
    objectLockRetentionDays: integer('objectLockRetentionDays', get('objectLockRetentionDays'), 1, 36_500),
    noncurrentVersionDays: integer('noncurrentVersionDays', get('noncurrentVersionDays'), 1, 36_500),
  };
  if (pipeline.existingSecretKmsKeyArn !== undefined && pipeline.existingSecretArn === undefined) {
    throw new ConfigurationError('existingSecretKmsKeyArn', 'only applies together with existingSecretArn');
  }
  // Drop unset keys so the construct's documented defaults apply.
  const defined = Object.fromEntries(Object.entries(pipeline).filter(([, v]) => v !== undefined));
  return { stackName, pipeline: defined as OnePasswordEventsPipelineProps };
}
