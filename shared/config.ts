import * as z from 'zod/mini';
import { parseDecimalInteger } from './decimal-integer';
import { ConfigError } from './errors';
import { EVENT_TYPES, type EventType } from './event-types';
import { quoteValue } from './redaction';
import { RETENTION_HOURS, startTimeProblem } from './start-time';
import { instantToMillis, parseTimestamp } from './timestamp';

/** The API keeps events for 120 days; a first-run look-back beyond that finds nothing more. */
export { RETENTION_HOURS };

/** Everything a collector run needs from its environment, parsed and checked once. */
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

interface Variable<T> {
  readonly name: string;
  /** What a valid value looks like, for the error message. */
  readonly expected: string;
  readonly schema: z.ZodMiniType<T>;
}

const nonEmpty = z.string().check(z.trim(), z.minLength(1));

/** Decimal digits only: `1e3` or `0x10` is a mistake to name, not a number to guess at. */
function wholeNumber(min: number, max: number, fallback: number) {
  const decimal = z.string().check(z.refine((v) => parseDecimalInteger(v) !== undefined));
  const inRange = z.number().check(z.minimum(min), z.maximum(max));
  return z._default(
    z.pipe(
      z.pipe(
        decimal,
        z.transform((v: string) => parseDecimalInteger(v) ?? Number.NaN),
      ),
      inRange,
    ),
    fallback,
  );
}

const VARIABLES = {
  eventType: {
    name: 'EVENT_TYPE',
    expected: `one of ${EVENT_TYPES.join(', ')}`,
    schema: z.enum(EVENT_TYPES),
  },
  tokenSecretId: { name: 'TOKEN_SECRET_ID', expected: 'a secret name or ARN', schema: nonEmpty },
  cursorTable: { name: 'CURSOR_TABLE', expected: 'a DynamoDB table name', schema: nonEmpty },
  deliveryStream: { name: 'DELIVERY_STREAM', expected: 'a Firehose delivery stream name', schema: nonEmpty },
  eventsApiUrl: {
    name: 'EVENTS_API_URL',
    expected: 'an https URL of a 1Password events host, e.g. https://events.1password.com',
    schema: z.optional(z.url()),
  },
  allowLoopback: {
    name: 'EVENTS_API_ALLOW_LOOPBACK',
    expected: '"true" or "false"',
    schema: z.pipe(
      z._default(z.enum(['true', 'false']), 'false'),
      z.transform((v) => v === 'true'),
    ),
  },
  startTime: {
    name: 'START_TIME',
    expected: 'an RFC 3339 time such as 2026-01-01T00:00:00Z',
    schema: z.optional(nonEmpty.check(z.refine((v) => parseTimestamp(v) !== undefined))),
  },
  startLookbackHours: {
    name: 'START_LOOKBACK_HOURS',
    expected: `a whole number of hours from 1 to ${RETENTION_HOURS}`,
    schema: wholeNumber(1, RETENTION_HOURS, 168),
  },
  maxEventsPerRun: {
    name: 'MAX_EVENTS_PER_RUN',
    expected: 'a whole number from 1 to 1000000',
    schema: wholeNumber(1, 1_000_000, 10_000),
  },
  pageSize: {
    name: 'PAGE_SIZE',
    expected: 'a whole number from 1 to 1000',
    schema: wholeNumber(1, 1000, 1000),
  },
  requestTimeoutMs: {
    name: 'REQUEST_TIMEOUT_MS',
    expected: 'a whole number of milliseconds from 100 to 120000',
    schema: wholeNumber(100, 120_000, 10_000),
  },
  cursorFallbackOverlapMinutes: {
    name: 'CURSOR_FALLBACK_OVERLAP_MINUTES',
    expected: 'a whole number of minutes from 0 to 10080',
    schema: wholeNumber(0, 10_080, 60),
  },
  tokenCacheSeconds: {
    name: 'TOKEN_CACHE_SECONDS',
    expected: 'a whole number of seconds from 0 to 3600',
    schema: wholeNumber(0, 3600, 300),
  },
  requestBudgetPerMinute: {
    name: 'REQUEST_BUDGET_PER_MINUTE',
    expected: 'a whole number from 0 (no sharing) to 600 (the API limit)',
    schema: wholeNumber(0, 600, 300),
  },
  firehoseQuotaMiBPerSecond: {
    name: 'FIREHOSE_QUOTA_MIB_PER_SECOND',
    expected: "a whole number of MiB/s from 1 to 1000: the delivery stream's Direct PUT quota",
    schema: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1000))),
  },
} satisfies { [K in keyof CollectorConfig]: Variable<CollectorConfig[K]> };

function readVariable<T>(variable: Variable<T>, env: Env): T {
  const raw = env[variable.name];
  const input = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  const result = variable.schema.safeParse(input);
  if (!result.success) {
    const got = input === undefined ? 'it is not set' : `got ${quoteValue(input)}`;
    throw new ConfigError(`${variable.name} must be ${variable.expected} (${got}).`);
  }
  return result.data;
}

/** The two variables that choose the events host (EVENTS_API_URL, EVENTS_API_ALLOW_LOOPBACK), read as the collector reads them. */
export function loadApiUrlSettings(
  env: Env = process.env,
): Pick<CollectorConfig, 'eventsApiUrl' | 'allowLoopback'> {
  return {
    eventsApiUrl: readVariable(VARIABLES.eventsApiUrl, env),
    allowLoopback: readVariable(VARIABLES.allowLoopback, env),
  };
}

/**
 * Parses the collector's configuration; the first bad variable fails with its name and what is
 * expected. `now` is the clock START_TIME is checked against.
 */
export function loadConfig(env: Env = process.env, now: () => number = Date.now): CollectorConfig {
  const entries = Object.entries(VARIABLES).map(([key, variable]) => [
    key,
    readVariable(variable as Variable<unknown>, env),
  ]);
  const config = Object.fromEntries(entries) as CollectorConfig;
  checkStartTime(config.startTime, now());
  if (config.pageSize > config.maxEventsPerRun) {
    throw new ConfigError(
      `PAGE_SIZE (${config.pageSize}) must not exceed MAX_EVENTS_PER_RUN (${config.maxEventsPerRun}): a run never delivers more than MAX_EVENTS_PER_RUN events and a page cannot be split.`,
    );
  }
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
  if (problem?.kind === 'future') {
    throw new ConfigError(
      `${problem.message} A first run starting there would skip every event from now until then. Leave START_TIME unset to start START_LOOKBACK_HOURS back.`,
    );
  }
}
