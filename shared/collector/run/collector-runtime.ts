import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type DirectPutQuota,
  defaultFirehoseQuotaMiB,
  firehoseDirectPutQuota,
} from '../../contracts/aws-limits';
import { type EventTypeSpec, specFor } from '../../contracts/event-types';
import { DELIVERY_ALLOWANCE_MS } from '../../contracts/run-timing';
import { AuthError } from '../../util/errors';
import { type EventSink, FirehoseSink, SINK_CLIENT_CONFIG } from '../delivery/firehose-sink';
import { ThroughputPacer } from '../delivery/throughput-pacer';
import { EventsApiClient } from '../events-api/events-api-client';
import { decodeTokenClaims } from '../events-api/events-host';
import { RequestBudget } from '../events-api/request-budget';
import { checkTokenScope } from '../events-api/scope-check';
import { SecretsManagerTokenSource } from '../events-api/token-source';
import { CursorStore } from '../state/cursor-store';
import { type CollectRunDeps, collectRun, type RunSummary } from './collect-run';
import { type AlertDispatchFactory, collectorAlerts } from './collector-alerts';
import { type CollectorConfig, loadConfig } from './environment';
import { createPowertoolsTelemetry, type Telemetry } from './telemetry';

/**
 * Everything a warm Lambda keeps between invocations: configuration parsed once, AWS clients with
 * their connections, the cached token, and whether the token's scope was checked.
 */
export interface CollectorRuntime {
  readonly config: CollectorConfig;
  readonly spec: EventTypeSpec;
  readonly api: EventsApiClient;
  readonly tokens: SecretsManagerTokenSource;
  readonly store: CursorStore;
  readonly sink: EventSink;
  /** The delivery stream's Direct PUT quota the sink paces under. */
  readonly firehoseQuota: DirectPutQuota;
  readonly telemetry: Telemetry;
  /** The clock every part of the runtime uses (Date.now outside tests and benchmarks). */
  readonly now: () => number;
  scopeChecked: boolean;
  /** The token the scope check last passed; a different token (a replaced secret) is checked again. */
  checkedToken?: string;
  /** The token's account, from the last introspection. */
  accountUuid?: string;
  /** The current token's `exp` claim, epoch ms. */
  tokenExpiresAtMs?: number;
  /** Each run's one-event rules and alert outbox; absent when ALERT_EVENT_BUS is unset. */
  readonly alerts?: AlertDispatchFactory;
}

/** Seams for tests, benchmarks and the local run; production uses none of them. */
export interface RuntimeOverrides {
  readonly telemetry?: Telemetry;
  readonly now?: () => number;
  /** Replaces every backoff wait (tests advance a fake clock instead of sleeping). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Builds the runtime from the environment. AWS clients use the SDK's default configuration, so the
 * standard AWS_ENDPOINT_URL_* variables point them at local stand-ins in tests and local runs; the
 * one exception is Firehose's, which makes one attempt per call because the sink retries. DynamoDB
 * and Secrets Manager calls keep the SDK's own retries (nothing of ours retries them), bounded like
 * every call by the run's deadline.
 */
export function createRuntime(
  env: NodeJS.ProcessEnv = process.env,
  overrides: RuntimeOverrides = {},
): CollectorRuntime {
  const now = overrides.now ?? Date.now;
  const config = loadConfig(env, now);
  const wait = overrides.sleep ? { sleep: overrides.sleep } : {};
  const dynamo = new DynamoDBClient({});
  const tokens = new SecretsManagerTokenSource(
    new SecretsManagerClient({}),
    config.tokenSecretId,
    config.tokenCacheSeconds * 1000,
    now,
  );
  // The stream's quota: the one configured, else the default of the region the SDK clients use.
  const region = env.AWS_REGION ?? process.env.AWS_REGION;
  const quota = firehoseDirectPutQuota(
    region,
    config.firehoseQuotaMiBPerSecond ?? defaultFirehoseQuotaMiB(region),
  );
  const budget =
    config.requestBudgetPerMinute > 0
      ? new RequestBudget(dynamo, config.cursorTable, config.requestBudgetPerMinute, now, overrides.sleep)
      : undefined;
  const api = new EventsApiClient({
    tokens,
    configuredUrl: config.eventsApiUrl,
    allowLoopback: config.allowLoopback,
    timeoutMs: config.requestTimeoutMs,
    now,
    ...wait,
    ...(budget ? { beforeRequest: (deadlineMs: number) => budget.acquire(deadlineMs) } : {}),
  });
  const alerts = collectorAlerts(env, {
    type: config.eventType,
    dynamo,
    table: config.cursorTable,
    now,
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
  });
  return {
    config,
    spec: specFor(config.eventType),
    api,
    tokens,
    store: new CursorStore(dynamo, config.cursorTable, now),
    sink: new FirehoseSink({
      client: new FirehoseClient({ ...SINK_CLIENT_CONFIG }),
      streamName: config.deliveryStream,
      now,
      pacer: new ThroughputPacer(quota, now),
      ...wait,
    }),
    firehoseQuota: quota,
    telemetry: overrides.telemetry ?? createPowertoolsTelemetry(config.eventType),
    now,
    scopeChecked: false,
    ...(alerts ? { alerts } : {}),
  };
}

/** One run of the collector with a runtime: the Lambda handler and the local run both call this. */
export async function runCollector(
  runtime: CollectorRuntime,
  options: { runId?: string; deadlineMs: number },
): Promise<RunSummary> {
  const { api, spec, tokens, now } = runtime;
  const requestDeadlineMs = options.deadlineMs - DELIVERY_ALLOWANCE_MS;
  const scopeCheck = async () => {
    const token = await tokens.get(requestDeadlineMs);
    const introspection = await checkTokenScope(api, token, spec, requestDeadlineMs, now());
    runtime.checkedToken = token;
    runtime.accountUuid = introspection.accountUuid;
  };
  const deps: CollectRunDeps = {
    spec,
    settings: runtime.config,
    api,
    store: runtime.store,
    sink: runtime.sink,
    telemetry: runtime.telemetry,
    now,
    ...(runtime.alerts ? { alerts: runtime.alerts(runtime.telemetry) } : {}),
    beforeLease: async () => {
      const token = await tokens.get(requestDeadlineMs);
      runtime.tokenExpiresAtMs = decodeTokenClaims(token)?.expiresAt?.getTime();
      // A cold start checks the token; so does a warm one whose secret now holds another token.
      const replaced = runtime.checkedToken !== undefined && runtime.checkedToken !== token;
      if (runtime.scopeChecked && !replaced) return;
      await scopeCheck();
      runtime.scopeChecked = true;
    },
    tokenFacts: () => ({
      ...(runtime.accountUuid ? { accountUuid: runtime.accountUuid } : {}),
      ...(runtime.tokenExpiresAtMs === undefined ? {} : { expiresAtMs: runtime.tokenExpiresAtMs }),
    }),
    explainAuthFailure: async (error: AuthError) => {
      runtime.scopeChecked = false;
      try {
        // The client re-read the secret before it gave up, so this checks the newest token.
        await scopeCheck();
        return error;
      } catch (explained) {
        return explained instanceof AuthError ? explained : error;
      }
    },
  };
  return collectRun(deps, {
    runId: options.runId ?? randomUUID(),
    deadlineMs: options.deadlineMs,
    reserveMs: DELIVERY_ALLOWANCE_MS,
  });
}
