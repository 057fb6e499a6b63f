import * as z from 'zod/mini';
import { EVENT_TYPES, type EventType } from '../../contracts/event-types';
import {
  COLLECTOR_SETTINGS,
  type CollectorSettingKey,
  defaultPageSize,
  expectedWholeNumber,
  type SettingKey,
  settingsConflict,
  type TextSetting,
  type WholeNumberSetting,
  wholeNumberWithin,
} from '../../contracts/settings';
import { ConfigError } from '../../util/errors';
import { startTimeProblem } from '../../util/start-time';
import { instantToMillis, parseTimestamp } from '../../util/timestamp';
import { runErrors } from './run-errors';

/**
 * Everything a collector run needs from its environment, parsed and checked once
 * (shared/contracts/settings.ts).
 */
export interface CollectorConfig {
  readonly eventType: EventType;
  /** Secrets Manager name or ARN holding the bearer token (bare, or JSON with a `token` key). */
  readonly tokenSecretId: string;
  readonly cursorTable: string;
  readonly deliveryStream: string;
  /** Explicit events host; when absent the host comes from the token's `aud`. */
  readonly eventsApiUrl: string | undefined;
  /** Allows http://127.0.0.1 / localhost hosts: tests and local runs only. */
  readonly allowLoopback: boolean;
  /** Where a first run starts (RFC 3339); when absent, `startLookbackHours` before now. */
  readonly startTime: string | undefined;
  readonly startLookbackHours: number;
  /** A run never delivers more events than this. */
  readonly maxEventsPerRun: number;
  /** `limit` of a reset request: events per page. */
  readonly pageSize: number;
  /** Upper bound on one HTTP request to the Events API. */
  readonly requestTimeoutMs: number;
  /** How far before the newest seen event a rejected cursor restarts. */
  readonly cursorFallbackOverlapMinutes: number;
  /** Longest a warm function keeps the token before reading the secret again. */
  readonly tokenCacheSeconds: number;
  /** Events API requests per minute the three types share (0 turns sharing off). */
  readonly requestBudgetPerMinute: number;
  /** The delivery stream's Direct PUT quota in MiB/s; when absent, the default quota of AWS_REGION. */
  readonly firehoseQuotaMiBPerSecond: number | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

type TextKey = {
  [K in CollectorSettingKey]: (typeof COLLECTOR_SETTINGS)[K] extends TextSetting ? K : never;
}[CollectorSettingKey];

const nonEmpty = z.string().check(z.trim(), z.minLength(1));

/** How the collector parses each text variable (whole numbers need no schema: their bounds say it all). */
const TEXT_SCHEMAS: { [K in TextKey]: z.ZodMiniType<CollectorConfig[K]> } = {
  eventType: z.enum(EVENT_TYPES),
  tokenSecretId: nonEmpty,
  cursorTable: nonEmpty,
  deliveryStream: nonEmpty,
  eventsApiUrl: z.optional(z.url()),
  allowLoopback: z.pipe(
    z._default(z.enum(['true', 'false']), 'false'),
    z.transform((v) => v === 'true'),
  ),
  startTime: z.optional(nonEmpty.check(z.refine((v) => parseTimestamp(v) !== undefined))),
};

const envName = (key: SettingKey): string => {
  const setting = COLLECTOR_SETTINGS[key as CollectorSettingKey];
  return setting?.env ?? key;
};

function rawValue(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function readText<K extends TextKey>(key: K, env: Env): CollectorConfig[K] {
  const setting: TextSetting = COLLECTOR_SETTINGS[key];
  const input = rawValue(env, setting.env ?? key);
  const result = TEXT_SCHEMAS[key].safeParse(input);
  if (!result.success) throw runErrors.invalidSetting(setting.env ?? key, setting.expected, input);
  return result.data as CollectorConfig[K];
}

/**
 * The two variables that choose the events host (EVENTS_API_URL, EVENTS_API_ALLOW_LOOPBACK), read as the
 * collector reads them.
 */
export function loadApiUrlSettings(
  env: Env = process.env,
): Pick<CollectorConfig, 'eventsApiUrl' | 'allowLoopback'> {
  return { eventsApiUrl: readText('eventsApiUrl', env), allowLoopback: readText('allowLoopback', env) };
}

/**
 * Parses the collector's configuration: the first bad variable fails with its name and what is
 * expected; an unset whole number takes its default (PAGE_SIZE's follows MAX_EVENTS_PER_RUN;
 * FIREHOSE_QUOTA_MIB_PER_SECOND stays unset); two variables that contradict each other fail naming both.
 * `now` is the clock START_TIME is checked against.
 */
export function loadConfig(env: Env = process.env, now: () => number = Date.now): CollectorConfig {
  const values: Partial<Record<CollectorSettingKey, unknown>> = {};
  const given = new Set<SettingKey>();
  for (const [key, setting] of Object.entries(COLLECTOR_SETTINGS) as [
    CollectorSettingKey,
    (typeof COLLECTOR_SETTINGS)[CollectorSettingKey],
  ][]) {
    const name = setting.env;
    if (setting.kind === 'text') {
      values[key] = readText(key as TextKey, env);
      if (rawValue(env, name) !== undefined) given.add(key);
      continue;
    }
    const input = rawValue(env, name);
    if (input === undefined) {
      values[key] = (setting as WholeNumberSetting).default;
      continue;
    }
    const value = wholeNumberWithin(setting, input);
    if (value === undefined) throw runErrors.invalidSetting(name, expectedWholeNumber(setting), input);
    values[key] = value;
    given.add(key);
  }
  const read = values as unknown as Omit<CollectorConfig, 'pageSize'> & { pageSize?: number };
  const config: CollectorConfig = {
    ...read,
    pageSize: read.pageSize ?? defaultPageSize(read.maxEventsPerRun),
  };
  const conflict = settingsConflict(config, given, envName);
  if (conflict) throw new ConfigError(conflict.message);
  checkStartTime(config.startTime, now());
  return config;
}

/**
 * A START_TIME in the future is refused: a first run would begin there and never collect the events
 * from now until then, silently. One older than the 120-day retention is accepted: START_TIME is set
 * once at deploy and ages, while only a first run reads it (the stored cursor decides after that),
 * so refusing would break every cold start of a stack deployed months ago; the first run warns.
 */
function checkStartTime(startTime: string | undefined, nowMs: number): void {
  const instant = parseTimestamp(startTime);
  if (!instant) return;
  const problem = startTimeProblem('START_TIME', instantToMillis(instant), nowMs);
  if (problem?.kind === 'future') throw runErrors.startTimeInFuture(problem.message);
}
