/**
 * Every setting, defined once: its bounds, default, description, and the names it goes by (the
 * collector's environment variable, the CDK context key, the construct prop). The collector's
 * config (shared/collector/run/environment.ts), the CDK context reader
 * (infra/app/context-settings.ts), the construct's prop validation (infra/props/validation.ts) and
 * the README's configuration table all read these definitions. Plain data only: the Lambda bundle
 * carries no more than the collector's part.
 */

import { parseDecimalInteger } from '../util/decimal-integer';
import { RETENTION_HOURS } from '../util/start-time';
import { FIREHOSE_HIGH_QUOTA_REGIONS } from './aws-limits';

/** The Events API allows 600 requests per minute per account. */
export const API_REQUESTS_PER_MINUTE_LIMIT = 600;

interface SettingNames {
  /** One line on what the setting does (README table, error context). */
  readonly description: string;
  /** Environment variable the collector reads. */
  readonly env?: string;
  /** CDK context key (`npx cdk deploy -c key=value`, or cdk.json "context"). */
  readonly context?: string;
  /** Prop of OnePasswordEventsPipelineProps, as the docs name it (`group.name` for a prop in a group). */
  readonly prop?: string;
  /** Why a variable the collector reads is not a prop or context key (the stack sets it, or never does). */
  readonly notConfigurable?: string;
}

export interface WholeNumberSetting extends SettingNames {
  readonly kind: 'wholeNumber';
  readonly min: number;
  readonly max: number;
  /**
   * The default; absent for the two computed in code: pageSize (defaultPageSize) and
   * firehoseQuotaMiBPerSecond (unset, the collector takes its region's quota at run time).
   */
  readonly default?: number;
  /** The value must be a multiple of this (alarm windows counted in 5-minute periods). */
  readonly step?: number;
  /** Unit of the number, plural (`hours`); a prop of type Duration or Size takes it in this unit. */
  readonly unit?: 'milliseconds' | 'seconds' | 'minutes' | 'hours' | 'days' | 'MiB' | 'MiB/s' | 'bytes';
  /** The prop's type when it is not a plain number. */
  readonly propType?: 'Duration' | 'Size';
}

export interface TextSetting extends SettingNames {
  readonly kind: 'text';
  /** What a valid value looks like, for error messages. */
  readonly expected: string;
  /** The default in words (docs), or `required`. */
  readonly defaultText: string;
}

export type Setting = WholeNumberSetting | TextSetting;

/** Settings the collector reads from its environment, in the order it reads them. */
export const COLLECTOR_SETTINGS = {
  eventType: {
    kind: 'text',
    env: 'EVENT_TYPE',
    expected: 'one of auditevents, itemusages, signinattempts',
    defaultText: 'required',
    description: 'the event type this function collects',
    notConfigurable: 'the stack creates one function per entry of `eventTypes` and sets it',
  },
  tokenSecretId: {
    kind: 'text',
    env: 'TOKEN_SECRET_ID',
    expected: 'a secret name or ARN',
    defaultText: 'required',
    description: 'Secrets Manager name or ARN; the value is the bare token or `{"token": "..."}`',
    notConfigurable:
      'the stack sets it to its own secret, or to the existing one (`existingSecretArn`, prop `token`)',
  },
  cursorTable: {
    kind: 'text',
    env: 'CURSOR_TABLE',
    expected: 'a DynamoDB table name',
    defaultText: 'required',
    description: 'DynamoDB table of cursors and leases, string key `pk`',
    notConfigurable: 'the stack sets it to its own table, which `storage.cursorTableProps` adjusts',
  },
  deliveryStream: {
    kind: 'text',
    env: 'DELIVERY_STREAM',
    expected: 'a Firehose delivery stream name',
    defaultText: 'required',
    description: 'Firehose delivery stream of the event type',
    notConfigurable: "the stack sets it to the type's own stream",
  },
  eventsApiUrl: {
    kind: 'text',
    env: 'EVENTS_API_URL',
    context: 'eventsApiUrl',
    prop: 'collector.eventsApiUrl',
    expected: 'an https URL of a 1Password events host, e.g. https://events.1password.com',
    defaultText: "from the token's audience",
    description:
      'events host, `https://events.1password.com`, `.ent.1password.com`, `.1password.ca` or ' +
      '`.1password.eu` only (the token goes there)',
  },
  allowLoopback: {
    kind: 'text',
    env: 'EVENTS_API_ALLOW_LOOPBACK',
    expected: '"true" or "false"',
    defaultText: 'false',
    description: 'allow an `http://127.0.0.1` or `localhost` events host',
    notConfigurable:
      'tests and local runs only: a deployed collector never sends the token to a loopback host',
  },
  startTime: {
    kind: 'text',
    env: 'START_TIME',
    context: 'startTime',
    prop: 'collector.startTime',
    expected: 'an RFC 3339 time such as 2026-01-01T00:00:00Z',
    defaultText: 'unset',
    description: 'RFC 3339 time where a first run starts (excludes the look-back)',
  },
  startLookbackHours: {
    kind: 'wholeNumber',
    env: 'START_LOOKBACK_HOURS',
    context: 'startLookbackHours',
    prop: 'collector.startLookbackHours',
    unit: 'hours',
    min: 1,
    max: RETENTION_HOURS,
    default: 168,
    description: 'otherwise, how far back a first run starts (the API keeps 120 days)',
  },
  maxEventsPerRun: {
    kind: 'wholeNumber',
    env: 'MAX_EVENTS_PER_RUN',
    context: 'maxEventsPerRun',
    prop: 'collector.maxEventsPerRun',
    min: 1,
    max: 1_000_000,
    // What the API can answer in a minute (600 requests of 1,000 events): a cap on a run, not the
    // bound while behind; the run's time, the request budget and the Firehose quota bind first.
    default: 600_000,
    description:
      'a run never delivers more events than this; a run behind stops earlier at its time bound (the ' +
      'function timeout) or the request budget',
  },
  pageSize: {
    kind: 'wholeNumber',
    env: 'PAGE_SIZE',
    context: 'pageSize',
    prop: 'collector.pageSize',
    min: 1,
    max: 1000,
    // No default here: defaultPageSize.
    description: 'events per request (the API allows 1000); at most the events per run',
  },
  requestTimeoutMs: {
    kind: 'wholeNumber',
    env: 'REQUEST_TIMEOUT_MS',
    context: 'requestTimeoutMs',
    prop: 'collector.requestTimeoutMs',
    unit: 'milliseconds',
    min: 100,
    max: 120_000,
    default: 10_000,
    description: 'limit for one Events API request',
  },
  cursorFallbackOverlapMinutes: {
    kind: 'wholeNumber',
    env: 'CURSOR_FALLBACK_OVERLAP_MINUTES',
    context: 'cursorFallbackOverlapMinutes',
    prop: 'collector.cursorFallbackOverlapMinutes',
    unit: 'minutes',
    min: 0,
    max: 10_080,
    default: 60,
    description: 'overlap when a rejected cursor restarts from the newest event seen',
  },
  tokenCacheSeconds: {
    kind: 'wholeNumber',
    env: 'TOKEN_CACHE_SECONDS',
    context: 'tokenCacheSeconds',
    prop: 'collector.tokenCacheSeconds',
    unit: 'seconds',
    min: 0,
    max: 3600,
    default: 300,
    description: 'how long a warm function keeps the token before reading the secret again',
  },
  requestBudgetPerMinute: {
    kind: 'wholeNumber',
    env: 'REQUEST_BUDGET_PER_MINUTE',
    context: 'requestBudgetPerMinute',
    prop: 'collector.requestBudgetPerMinute',
    min: 0,
    max: API_REQUESTS_PER_MINUTE_LIMIT,
    default: 300,
    description:
      'Events API requests per minute the event types share (0: no sharing); half the API limit leaves ' +
      'room for other integrations',
  },
  firehoseQuotaMiBPerSecond: {
    kind: 'wholeNumber',
    env: 'FIREHOSE_QUOTA_MIB_PER_SECOND',
    context: 'firehoseQuotaMiBPerSecond',
    prop: 'collector.firehoseQuotaMiBPerSecond',
    unit: 'MiB/s',
    min: 1,
    max: 1000,
    // No default: unset, the collector paces under its region's quota (firehoseDirectPutQuota).
    description:
      "the delivery stream's Direct PUT quota: the collector paces its calls under it; set it after " +
      'raising the quota',
  },
} as const satisfies Record<string, Setting>;

/** Settings of the stack alone (the collector never reads them). */
export const STACK_SETTINGS = {
  firehoseBufferInterval: {
    kind: 'wholeNumber',
    context: 'firehoseBufferSeconds',
    prop: 'storage.firehoseBufferInterval',
    propType: 'Duration',
    unit: 'seconds',
    // Dynamic partitioning needs at least 60 s; 900 s is Firehose's maximum.
    min: 60,
    max: 900,
    // With the one-minute schedule an event lands in S3 about 2 minutes after it happened (bench/RESULTS.md).
    default: 60,
    description:
      'Firehose buffering interval: an event reaches S3 within about this plus the schedule interval; ' +
      'longer means fewer, larger objects (fewer S3 PUTs, less Athena small-file overhead), later in ' +
      'Athena',
  },
  firehoseBufferSize: {
    kind: 'wholeNumber',
    context: 'firehoseBufferMiB',
    prop: 'storage.firehoseBufferSize',
    propType: 'Size',
    unit: 'MiB',
    // Dynamic partitioning needs at least 64 MiB; 128 MiB is Firehose's maximum.
    min: 64,
    max: 128,
    default: 128,
    description: 'Firehose buffering size',
  },
  retentionDays: {
    kind: 'wholeNumber',
    context: 'retentionDays',
    prop: 'storage.retentionDays',
    unit: 'days',
    min: 1,
    max: 36_500,
    default: 400,
    description: 'days objects stay in the events bucket (not applied to an existing bucket)',
  },
  noncurrentVersionDays: {
    kind: 'wholeNumber',
    context: 'noncurrentVersionDays',
    prop: 'storage.noncurrentVersionDays',
    unit: 'days',
    min: 1,
    max: 36_500,
    default: 30,
    description: 'days a replaced or deleted object version stays in the events bucket',
  },
  noEventsWindow: {
    kind: 'wholeNumber',
    context: 'noEventsWindowHours',
    prop: 'alarms.noEventsWindow',
    propType: 'Duration',
    unit: 'hours',
    min: 1,
    max: 168,
    default: 24,
    description: 'alarm when no events arrive for this long',
  },
  freshnessThreshold: {
    kind: 'wholeNumber',
    context: 'freshnessThresholdMinutes',
    prop: 'alarms.freshnessThreshold',
    propType: 'Duration',
    unit: 'minutes',
    min: 1,
    max: 20_160,
    default: 120,
    description: 'alarm when the newest event seen stays older than this (LagSeconds)',
  },
  failedRunsPer5Minutes: {
    kind: 'wholeNumber',
    prop: 'alarms.failedRunsPer5Minutes',
    min: 1,
    max: 10_000,
    default: 3,
    description: 'failed runs per 5 minutes that, 3 periods in a row, raise the failed-runs alarm',
  },
  throttledMinutes: {
    kind: 'wholeNumber',
    context: 'throttledMinutes',
    prop: 'alarms.throttledMinutes',
    unit: 'minutes',
    min: 5,
    max: 1440,
    step: 5,
    default: 30,
    description:
      'the throttled alarm fires when every 5 minutes for this long saw a run stopped by throttling',
  },
  tokenExpiryDays: {
    kind: 'wholeNumber',
    context: 'tokenExpiryDays',
    prop: 'alarms.tokenExpiryDays',
    unit: 'days',
    min: 1,
    max: 365,
    default: 14,
    description: "the token-expiring alarm fires this many days before the token's expiry",
  },
  functionErrorsPer15Minutes: {
    kind: 'wholeNumber',
    prop: 'alarms.functionErrorsPer15Minutes',
    min: 1,
    max: 10_000,
    default: 3,
    description: 'Lambda errors (crashes, timeouts) per 15 minutes that raise the function-errors alarm',
  },
  athenaBytesScannedCutoffPerQuery: {
    kind: 'wholeNumber',
    prop: 'query.bytesScannedCutoffPerQuery',
    unit: 'bytes',
    // Athena's minimum: "Valid Range: Minimum value of 10000000" (Athena API reference,
    // WorkGroupConfiguration). Literals, not `1024 ** 3`: esbuild keeps a table whose values it cannot
    // prove pure, and the Lambda bundle would carry this one.
    min: 10_000_000,
    max: 9_007_199_254_740_991,
    default: 10_737_418_240,
    description: 'Athena cancels a query that would scan more (10 GiB cost about $0.05)',
  },
} as const satisfies Record<string, WholeNumberSetting>;

export type CollectorSettingKey = keyof typeof COLLECTOR_SETTINGS;
export type StackSettingKey = keyof typeof STACK_SETTINGS;
type AllSettings = typeof COLLECTOR_SETTINGS & typeof STACK_SETTINGS;
export type SettingKey = keyof AllSettings;
export type WholeNumberKey = {
  [K in SettingKey]: AllSettings[K] extends { kind: 'wholeNumber' } ? K : never;
}[SettingKey];

/**
 * Whole-number settings as resolved: a value for each, but for the Firehose quota, whose default is
 * its region's.
 */
export type ResolvedWholeNumbers = Record<Exclude<WholeNumberKey, 'firehoseQuotaMiBPerSecond'>, number> & {
  readonly firehoseQuotaMiBPerSecond: number | undefined;
};

/** PAGE_SIZE when unset: the API's largest page, but never more events than a run may deliver. */
export function defaultPageSize(maxEventsPerRun: number): number {
  return Math.min(1000, maxEventsPerRun);
}

/** A table's settings as [key, setting] pairs in their order, typed by their common shape. */
export function entriesOf<K extends SettingKey>(table: { readonly [key in K]: Setting }): [K, Setting][] {
  return Object.entries(table) as [K, Setting][];
}

/** Every setting, the collector's first. */
export function allSettings(): [SettingKey, Setting][] {
  return [...entriesOf(COLLECTOR_SETTINGS), ...entriesOf(STACK_SETTINGS)];
}

/** A setting by key, from either table. */
export function settingOf(key: SettingKey): Setting {
  return key in COLLECTOR_SETTINGS
    ? COLLECTOR_SETTINGS[key as CollectorSettingKey]
    : STACK_SETTINGS[key as StackSettingKey];
}

/** `a whole number of hours from 1 to 2880`: what a whole-number setting accepts, in words. */
export function expectedWholeNumber(setting: WholeNumberSetting): string {
  const unit = setting.unit ? ` of ${setting.unit}` : '';
  const step = setting.step ? `, a multiple of ${setting.step}` : '';
  return `a whole number${unit} from ${setting.min} to ${setting.max}${step}`;
}

/**
 * A whole number written in decimal digits, as a string (environment, `-c`) or a number (cdk.json,
 * props); anything else (`1e4`, `0x10`, `10.5`, `ten`) is undefined.
 */
export function parseWholeNumber(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  return parseDecimalInteger(raw.trim());
}

/** The value if it is a whole number within the setting's bounds, else undefined. */
export function wholeNumberWithin(setting: WholeNumberSetting, raw: string | number): number | undefined {
  const value = parseWholeNumber(raw);
  if (value === undefined || value < setting.min || value > setting.max) return undefined;
  return setting.step && value % setting.step !== 0 ? undefined : value;
}

/** The default in words for the docs, with another setting named as `name` names it. */
export function defaultText(key: SettingKey, name: (key: SettingKey) => string): string {
  if (key === 'pageSize') return `min(1000, ${name('maxEventsPerRun')})`;
  if (key === 'firehoseQuotaMiBPerSecond') {
    return `the region's default (5 in ${FIREHOSE_HIGH_QUOTA_REGIONS.join(', ')}, else 1)`;
  }
  const setting = settingOf(key);
  return setting.kind === 'text' ? setting.defaultText : String(setting.default);
}

/** What settingsConflict says, naming each setting as its caller's `name` does. */
const conflictMessages = {
  pageOverCap: (name: (key: SettingKey) => string, pageSize: number, maxEventsPerRun: number) =>
    `${name('pageSize')} (${pageSize}) must not exceed ${name('maxEventsPerRun')} (${maxEventsPerRun}): ` +
    `a run never delivers more than ${name('maxEventsPerRun')} events and a page cannot be split.`,
  twoStartPoints: (name: (key: SettingKey) => string) =>
    `set either ${name('startTime')} or ${name('startLookbackHours')}, not both (both say where a first ` +
    'run starts).',
};

/**
 * What two settings given together break, with a message naming both as `name` names them;
 * undefined when nothing. PAGE_SIZE at most MAX_EVENTS_PER_RUN holds for defaults too (the default
 * page size follows the cap); START_TIME and START_LOOKBACK_HOURS both say where a first run
 * starts, so only one may be given.
 */
export function settingsConflict(
  values: { readonly pageSize?: number; readonly maxEventsPerRun?: number },
  given: ReadonlySet<SettingKey>,
  name: (key: SettingKey) => string,
): { readonly key: SettingKey; readonly message: string } | undefined {
  const { pageSize, maxEventsPerRun } = values;
  if (pageSize !== undefined && maxEventsPerRun !== undefined && pageSize > maxEventsPerRun) {
    return { key: 'pageSize', message: conflictMessages.pageOverCap(name, pageSize, maxEventsPerRun) };
  }
  if (given.has('startTime') && given.has('startLookbackHours')) {
    return { key: 'startTime', message: conflictMessages.twoStartPoints(name) };
  }
  return undefined;
}
