import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureCursorTable, type RunningDynalite, startDynalite } from '../../local/dynalite-server';
import { EventsApiSimulator, makeFakeToken } from '../../local/events-api-simulator';
import type { BufferingHints } from '../../local/firehose/delivery-buffer';
import { FirehoseStandIn } from '../../local/firehose-standin';
import { type LocalCredentials, newLocalCredentials } from '../../local/request-auth';
import { SecretsStandIn } from '../../local/secrets-standin';
import {
  type CollectorRuntime,
  createRuntime,
  type RuntimeOverrides,
} from '../../shared/collector/run/collector-runtime';
import { CursorStore } from '../../shared/collector/state/cursor-store';
import type { DirectPutQuota } from '../../shared/contracts/aws-limits';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { METADATA_KEY } from '../../shared/contracts/s3-layout';
import { RecordingTelemetry } from './recording-telemetry';

export const SECRET_ID = 'op-events/token';
export const streamFor = (type: EventType) => `op-events-${type}`;

export interface HarnessOptions {
  /** Features the harness token is granted (default: all three). */
  readonly features?: readonly string[];
  readonly apiLatencyMs?: number;
  readonly firehoseLatencyMs?: number;
  readonly firehoseSeed?: number;
  /** The harness token's `exp` claim (none by default). */
  readonly tokenExpiresAt?: Date;
  /** The simulator answers 429 beyond this many requests in a sliding minute of `apiClock`. */
  readonly apiRateLimitPerMinute?: number;
  readonly apiClock?: () => number;
  /** When set, Firehose also writes what it accepts here in the bucket's layout (events/, errors/). */
  readonly firehoseOutputDir?: string;
  /** Each stream's Direct PUT quota. @default the us-east-1 default (5 MiB/s), as AWS_REGION in tests */
  readonly firehoseQuota?: DirectPutQuota | false;
  /** The Firehose stand-in's clock (its quota and buffers). @default Date.now */
  readonly firehoseClock?: () => number;
  /** The streams' buffering hints: the stand-in then models when S3 holds each line (`s3Objects`). */
  readonly firehoseBuffering?: BufferingHints;
}

/**
 * The whole pipeline on loopback: the Events API simulator, Firehose and Secrets Manager stand-ins,
 * and dynalite; the collector reaches them through the standard AWS_ENDPOINT_URL_* variables and
 * signs with the harness's own random credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), as in a
 * local run. Each `table()` call gives a fresh cursor table so tests do not share state.
 */
export class PipelineHarness {
  readonly telemetry = new RecordingTelemetry();
  private tables = 0;
  tableName = '';

  private constructor(
    readonly api: EventsApiSimulator,
    readonly firehose: FirehoseStandIn,
    readonly secrets: SecretsStandIn,
    readonly dynalite: RunningDynalite,
    readonly dynamo: DynamoDBClient,
    readonly token: string,
    /** What every stand-in of this harness accepts. */
    readonly credentials: LocalCredentials,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<PipelineHarness> {
    const features = options.features ?? [...EVENT_TYPES];
    const credentials = newLocalCredentials();
    const token = makeFakeToken({
      host: 'events.1password.com',
      features: [...features],
      ...(options.tokenExpiresAt ? { expiresAt: options.tokenExpiresAt } : {}),
    });
    const api = await EventsApiSimulator.start({
      tokens: { [token]: { features } },
      ...(options.apiLatencyMs ? { latencyMs: options.apiLatencyMs } : {}),
      ...(options.apiRateLimitPerMinute ? { rateLimit: { perMinute: options.apiRateLimitPerMinute } } : {}),
      ...(options.apiClock ? { clock: options.apiClock } : {}),
    });
    const firehose = await FirehoseStandIn.start({
      streams: EVENT_TYPES.map(streamFor),
      seed: options.firehoseSeed ?? 7,
      credentials,
      ...(options.firehoseOutputDir ? { outputDir: options.firehoseOutputDir } : {}),
      ...(options.firehoseQuota === undefined ? {} : { throughputQuota: options.firehoseQuota }),
      ...(options.firehoseLatencyMs ? { latencyMs: options.firehoseLatencyMs } : {}),
      ...(options.firehoseClock ? { clock: options.firehoseClock } : {}),
      ...(options.firehoseBuffering ? { buffering: options.firehoseBuffering } : {}),
    });
    const secrets = await SecretsStandIn.start({ secrets: { [SECRET_ID]: token }, credentials });
    const dynalite = await startDynalite({ credentials });
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynalite.endpoint;
    process.env.AWS_ENDPOINT_URL_FIREHOSE = firehose.url;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.url;
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    const dynamo = new DynamoDBClient({});
    const harness = new PipelineHarness(api, firehose, secrets, dynalite, dynamo, token, credentials);
    await harness.table();
    return harness;
  }

  /** Switches to a new, empty cursor table. */
  async table(): Promise<string> {
    this.tableName = `cursors-${++this.tables}`;
    await ensureCursorTable(this.dynamo, this.tableName);
    return this.tableName;
  }

  /** The collector's environment for a type; an `extra` value of undefined leaves that variable unset. */
  env(type: EventType, extra: Record<string, string | undefined> = {}): Record<string, string> {
    const env: Record<string, string | undefined> = {
      EVENT_TYPE: type,
      TOKEN_SECRET_ID: SECRET_ID,
      CURSOR_TABLE: this.tableName,
      DELIVERY_STREAM: streamFor(type),
      EVENTS_API_URL: this.api.url,
      EVENTS_API_ALLOW_LOOPBACK: 'true',
      START_TIME: '2020-01-01T00:00:00Z',
      PAGE_SIZE: '50',
      MAX_EVENTS_PER_RUN: '100000',
      REQUEST_TIMEOUT_MS: '2000',
      REQUEST_BUDGET_PER_MINUTE: '0',
      ...extra,
    };
    return Object.fromEntries(
      Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
  }

  runtime(
    type: EventType,
    extra: Record<string, string | undefined> = {},
    overrides: RuntimeOverrides = {},
  ): CollectorRuntime {
    return createRuntime(this.env(type, extra), { telemetry: this.telemetry, ...overrides });
  }

  store(): CursorStore {
    return new CursorStore(this.dynamo, this.tableName);
  }

  /** Lines Firehose accepted for a type that reach the events layout (not the error prefix). */
  lines(type: EventType): string[] {
    return this.firehose.lines(streamFor(type)).filter((line) => line.length > 0);
  }

  /** Which of these events never reached Firehose, and which did more than once. */
  missingOrRepeated(type: EventType, uuids: readonly string[]): { missing: string[]; repeated: string[] } {
    const counts = this.deliveredCounts(type);
    return {
      missing: uuids.filter((u) => !counts.has(u)),
      repeated: uuids.filter((u) => (counts.get(u) ?? 0) > 1),
    };
  }

  /** How many times each event uuid reached Firehose. */
  deliveredCounts(type: EventType): Map<string, number> {
    const counts = new Map<string, number>();
    for (const line of this.lines(type)) {
      const uuid = (JSON.parse(line) as { uuid?: string }).uuid ?? '';
      counts.set(uuid, (counts.get(uuid) ?? 0) + 1);
    }
    return counts;
  }

  async stop(): Promise<void> {
    this.dynamo.destroy();
    await Promise.all([this.api.stop(), this.firehose.stop(), this.secrets.stop()]);
    await this.dynalite.stop();
  }
}

/** A line's event text: the line without the collector's metadata key, exactly as the API sent it. */
export function eventTextOf(line: string): string {
  const prefix = `{"${METADATA_KEY}":`;
  if (!line.startsWith(prefix)) throw new Error(`line does not start with ${prefix}`);
  // The metadata object contains no nested objects except an optional chunk; find its end.
  let depth = 0;
  for (let i = prefix.length; i < line.length; i++) {
    const c = line[i];
    if (c === '"') i = line.indexOf('"', i + 1);
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      const rest = line.slice(i + 1);
      return rest === '}' ? '{}' : `{${rest.slice(1)}`;
    }
  }
  throw new Error('unterminated metadata');
}

/** Demo-like events with unique uuids and increasing timestamps (text kept for exact comparison). */
export function makeEvents(
  type: EventType,
  count: number,
  from = 0,
  startMs = Date.parse('2026-01-01T00:00:00Z'),
) {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      uuid: `${type.slice(0, 4).toUpperCase()}${String(n).padStart(22, '0')}`,
      timestamp: new Date(startMs + n * 1000)
        .toISOString()
        .replace('Z', `${String(n % 1000).padStart(3, '0')}Z`),
      account_uuid: 'ACCOUNT0000000000000000000',
      seq: n,
      unknown_future_field: { nested: [n, `v${n}`] },
    };
  });
}

export function fakeContext(remainingMs = 60_000) {
  const deadline = Date.now() + remainingMs;
  return {
    getRemainingTimeInMillis: () => deadline - Date.now(),
    awsRequestId: `req-${Math.random().toString(36).slice(2)}`,
  };
}
