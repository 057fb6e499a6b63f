import { readFileSync } from 'node:fs';
import type { Duration, Size } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { EVENT_TYPES, type EventType, isEventType } from '../../shared/contracts/event-types';
import {
  allSettings,
  expectedWholeNumber,
  parseWholeNumber,
  type SettingKey,
  settingOf,
  settingsConflict,
  type WholeNumberKey,
  type WholeNumberSetting,
  wholeNumberWithin,
} from '../../shared/contracts/settings';
import { type AlertTargetNames, checkedDetectionSettings } from '../props/detection-props';
import type {
  AlarmOptions,
  CollectorOptions,
  OnePasswordEventsPipelineProps,
  QueryOptions,
  StorageOptions,
  TokenOptions,
} from '../props/pipeline-props';
import { toPropValue } from '../props/setting-props';
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
} from '../props/validation';

/** Context keys of the settings in shared/contracts/settings.ts, by setting. */
const SETTING_CONTEXT_KEYS = allSettings().flatMap(([key, setting]) =>
  setting.context === undefined ? [] : [[setting.context, key] as const],
);

/**
 * CDK context keys the app reads (`npx cdk deploy -c key=value`, or "context" in cdk.json).
 * Values arrive as strings from the command line and as JSON values from cdk.json; both work.
 */
export const CONTEXT_KEYS: readonly string[] = [
  'stackName',
  'eventTypes',
  'schedule',
  ...SETTING_CONTEXT_KEYS.map(([contextKey]) => contextKey),
  'alarmEmail',
  'existingSecretArn',
  'existingSecretKmsKeyArn',
  'existingBucketName',
  'glueDatabaseName',
  'tokenSecretKeyAdminArns',
  'objectLockMode',
  'objectLockRetentionDays',
  'objectLockAtBucketCreation',
  'detections',
  'alertEventBusName',
  'alertTopicArn',
  'detectionSettings',
  'detectionSettingsFile',
];

export const DEFAULT_STACK_NAME = 'OnePasswordEvents';

export interface AppConfig {
  readonly stackName: string;
  readonly pipeline: OnePasswordEventsPipelineProps;
  /** Where the stack sends alerts, by name (the stack imports the bus and topic). */
  readonly alerts?: AlertTargetNames;
}

type ReadContext = (key: string) => unknown;

function text(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ConfigurationError(key, `must be a string (got ${JSON.stringify(value)})`);
  }
  const s = String(value).trim();
  if (s === '') throw new ConfigurationError(key, 'is empty; leave the key out to use the default');
  return s;
}

/** A whole number in decimal digits; its bounds are the construct's to check (objectLockRetentionDays). */
function wholeNumber(key: string, value: unknown): number | undefined {
  const raw = text(key, value);
  if (raw === undefined) return undefined;
  const parsed = parseWholeNumber(raw);
  if (parsed === undefined) throw new ConfigurationError(key, `must be a whole number (got "${raw}")`);
  return parsed;
}

/** `true` or `false` (text from the command line, a boolean from cdk.json). */
function yesNo(key: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null || typeof value === 'boolean') return value ?? undefined;
  const raw = text(key, value);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new ConfigurationError(key, `must be true or false (got "${raw}")`);
}

/** How a text setting's context value is checked (whole numbers are checked against their bounds). */
const TEXT_SETTING_CHECKS: Partial<Record<SettingKey, (key: string, value: string) => string>> = {
  eventsApiUrl: checkEventsApiUrl,
  startTime: checkStartTime,
};

/** The settings the context gave, by setting: whole numbers in their unit, text checked. */
type ContextSettings = Partial<Record<SettingKey, number | string>>;

/**
 * The settings of shared/contracts/settings.ts that the context sets; settings that contradict each
 * other are refused naming both context keys.
 */
function settingsFromContext(get: ReadContext): ContextSettings {
  const values: ContextSettings = {};
  for (const [contextKey, key] of SETTING_CONTEXT_KEYS) {
    const raw = text(contextKey, get(contextKey));
    if (raw === undefined) continue;
    const setting = settingOf(key);
    if (setting.kind === 'wholeNumber') {
      const parsed = wholeNumberWithin(setting, raw);
      if (parsed === undefined) {
        throw new ConfigurationError(contextKey, `must be ${expectedWholeNumber(setting)} (got "${raw}")`);
      }
      values[key] = parsed;
    } else {
      const check = TEXT_SETTING_CHECKS[key];
      values[key] = check ? check(contextKey, raw) : raw;
    }
  }
  const contextKey = (key: SettingKey) => settingOf(key).context ?? key;
  const given = new Set(Object.keys(values) as SettingKey[]);
  const conflict = settingsConflict(
    values as { pageSize?: number; maxEventsPerRun?: number },
    given,
    contextKey,
  );
  if (conflict) throw new ConfigurationError(contextKey(conflict.key), conflict.message);
  return values;
}

/** The object without its undefined members; undefined when none is left (a group the context leaves unset). */
function defined<T extends object>(members: T): T | undefined {
  const kept = Object.entries(members).filter(([, value]) => value !== undefined);
  return kept.length === 0 ? undefined : (Object.fromEntries(kept) as T);
}

/** The construct's props for the settings the context gave (a Duration or Size where the prop is one), by group. */
function settingProps(
  values: ContextSettings,
): Pick<OnePasswordEventsPipelineProps, 'collector' | 'storage' | 'alarms'> {
  const text = (key: SettingKey) => values[key] as string | undefined;
  const prop = <T>(key: WholeNumberKey) => {
    const value = values[key] as number | undefined;
    return value === undefined ? undefined : (toPropValue(settingOf(key) as WholeNumberSetting, value) as T);
  };
  return {
    collector: defined<CollectorOptions>({
      eventsApiUrl: text('eventsApiUrl'),
      startTime: text('startTime'),
      startLookbackHours: prop('startLookbackHours'),
      maxEventsPerRun: prop('maxEventsPerRun'),
      pageSize: prop('pageSize'),
      requestTimeoutMs: prop('requestTimeoutMs'),
      cursorFallbackOverlapMinutes: prop('cursorFallbackOverlapMinutes'),
      tokenCacheSeconds: prop('tokenCacheSeconds'),
      requestBudgetPerMinute: prop('requestBudgetPerMinute'),
      firehoseQuotaMiBPerSecond: prop('firehoseQuotaMiBPerSecond'),
    }),
    storage: defined<StorageOptions>({
      firehoseBufferInterval: prop<Duration>('firehoseBufferInterval'),
      firehoseBufferSize: prop<Size>('firehoseBufferSize'),
      retentionDays: prop('retentionDays'),
      noncurrentVersionDays: prop('noncurrentVersionDays'),
    }),
    alarms: defined<AlarmOptions>({
      noEventsWindow: prop<Duration>('noEventsWindow'),
      freshnessThreshold: prop<Duration>('freshnessThreshold'),
      throttledMinutes: prop<number>('throttledMinutes'),
      tokenExpiryDays: prop<number>('tokenExpiryDays'),
    }),
  };
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
function list(key: string, value: unknown): string[] | undefined {
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
  const get = (key: string) => read(key);

  const stackName = text('stackName', get('stackName')) ?? DEFAULT_STACK_NAME;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new ConfigurationError('stackName', `must be a CloudFormation stack name (got "${stackName}")`);
  }
  const str = (key: string, check?: (k: string, v: string) => string) => {
    const v = text(key, get(key));
    return v === undefined || !check ? v : check(key, v);
  };

  const adminArns = list('tokenSecretKeyAdminArns', get('tokenSecretKeyAdminArns'));
  const settings = settingProps(settingsFromContext(get));
  // Unset keys stay out, so the construct's documented defaults apply.
  const pipeline = defined<OnePasswordEventsPipelineProps>({
    eventTypes: eventTypes(get('eventTypes')),
    collector: defined<CollectorOptions>({
      ...settings.collector,
      schedule: str('schedule', checkScheduleExpression),
    }),
    storage: defined<StorageOptions>({
      ...settings.storage,
      existingBucketName: str('existingBucketName', checkBucketName),
      // The checked text is one of s3.ObjectLockMode's values (GOVERNANCE, COMPLIANCE).
      objectLockMode: str('objectLockMode', checkObjectLockMode) as s3.ObjectLockMode | undefined,
      objectLockRetentionDays: wholeNumber('objectLockRetentionDays', get('objectLockRetentionDays')),
      objectLockAtBucketCreation: yesNo('objectLockAtBucketCreation', get('objectLockAtBucketCreation')),
    }),
    alarms: defined<AlarmOptions>({ ...settings.alarms, email: str('alarmEmail', checkEmail) }),
    token: defined<TokenOptions>({
      existingSecretArn: str('existingSecretArn', checkSecretArn),
      existingSecretKmsKeyArn: str('existingSecretKmsKeyArn', checkKmsKeyArn),
      keyAdminArns:
        adminArns === undefined ? undefined : checkPrincipalArns('tokenSecretKeyAdminArns', adminArns),
    }),
    query: defined<QueryOptions>({ glueDatabaseName: str('glueDatabaseName', checkGlueName) }),
    detections: detectionsFromContext(get),
  });
  if (get('existingSecretKmsKeyArn') !== undefined && get('existingSecretArn') === undefined) {
    throw new ConfigurationError('existingSecretKmsKeyArn', 'only applies together with existingSecretArn');
  }
  const alerts = alertTargets(get);
  return {
    stackName,
    pipeline: pipeline ?? {},
    ...(Object.keys(alerts).length > 0 ? { alerts } : {}),
  };
}

const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/**
 * `detections` (true/false), and the detection settings: `detectionSettings` (an object in cdk.json,
 * JSON text with -c) or `detectionSettingsFile` (a JSON file of the same shape, for long watchlists),
 * checked here so that an error names the context key and the field.
 */
function detectionsFromContext(get: ReadContext): OnePasswordEventsPipelineProps['detections'] {
  const enabled = yesNo('detections', get('detections'));
  const raw = get('detectionSettings');
  const file = text('detectionSettingsFile', get('detectionSettingsFile'));
  if (file !== undefined && raw !== undefined && raw !== null) {
    throw new ConfigurationError(
      'detectionSettingsFile',
      'and detectionSettings both give the settings; keep one',
    );
  }
  let settings: object | undefined;
  if (file !== undefined) settings = settingsObject('detectionSettingsFile', readSettingsFile(file));
  else if (raw !== undefined && raw !== null) settings = settingsObject('detectionSettings', raw);
  if (enabled === undefined && settings === undefined) return undefined;
  return {
    ...(enabled === undefined ? {} : { enabled }),
    ...(settings === undefined ? {} : { settings }),
  };
}

function readSettingsFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      'detectionSettingsFile',
      `cannot be read (${error instanceof Error ? error.message : String(error)}); give the path of a JSON file of detection settings (docs/detections.md)`,
    );
  }
}

/** The settings as given (JSON text or an object), once they pass the construct's own check. */
function settingsObject(key: string, raw: unknown): object {
  let settings: unknown;
  try {
    settings = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw new ConfigurationError(key, 'must be a JSON object of detection settings (docs/detections.md)');
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new ConfigurationError(key, 'must be a JSON object of detection settings (docs/detections.md)');
  }
  checkedDetectionSettings(settings, key);
  return settings;
}

function alertTargets(get: ReadContext): AlertTargetNames {
  const bus = text('alertEventBusName', get('alertEventBusName'));
  if (bus !== undefined && !BUS_NAME.test(bus)) {
    throw new ConfigurationError(
      'alertEventBusName',
      `must be an EventBridge bus name in this account and region (got "${bus}")`,
    );
  }
  const topic = text('alertTopicArn', get('alertTopicArn'));
  if (topic !== undefined && !TOPIC_ARN.test(topic)) {
    throw new ConfigurationError('alertTopicArn', `must be an SNS topic ARN (got "${topic}")`);
  }
  return { ...(bus ? { eventBusName: bus } : {}), ...(topic ? { topicArn: topic } : {}) };
}
