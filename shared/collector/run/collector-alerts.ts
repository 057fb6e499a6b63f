import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { EventType } from '../../contracts/event-types';
import { ALERT_ENV, loadAlertConfig } from '../../detections/alert-config';
import { AlertOutbox } from '../../detections/alert-outbox';
import { EventBridgePublisher } from '../../detections/alert-publisher';
import { evaluateEventRules } from '../../detections/event-rules';
import { AlertDispatch } from './alert-dispatch';
import type { Telemetry } from './telemetry';

/** Builds each run's alert dispatch; made once per warm Lambda, with its clients. */
export type AlertDispatchFactory = (telemetry: Telemetry) => AlertDispatch;

/**
 * The collector's alert path from its environment (shared/detections/alert-config.ts), or undefined
 * when ALERT_EVENT_BUS is unset. The EventBridge client uses the SDK's default configuration, so
 * AWS_ENDPOINT_URL_EVENTBRIDGE points it at the local stand-in; its own retries are off because the
 * publisher retries only the entries that failed.
 */
export function collectorAlerts(
  env: Readonly<Record<string, string | undefined>>,
  parts: {
    readonly type: EventType;
    readonly dynamo: DynamoDBClient;
    readonly table: string;
    readonly now: () => number;
    readonly sleep?: (ms: number) => Promise<void>;
  },
): AlertDispatchFactory | undefined {
  const config = loadAlertConfig(env);
  if (!config) return undefined;
  const outbox = new AlertOutbox(parts.dynamo, parts.table, parts.type, parts.now);
  const publisher = new EventBridgePublisher({
    client: new EventBridgeClient({ maxAttempts: 1 }),
    eventBusName: config.eventBusName,
    now: parts.now,
    ...(parts.sleep ? { sleep: parts.sleep } : {}),
  });
  const { settings } = config;
  return (telemetry) =>
    new AlertDispatch({
      outbox,
      publisher,
      evaluate: (type, events) => evaluateEventRules(type, events, settings),
      suppressionMs: settings.suppressionMinutes * 60_000,
      telemetry,
      now: parts.now,
    });
}

export { ALERT_ENV };
