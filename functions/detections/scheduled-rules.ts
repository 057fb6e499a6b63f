import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Context } from 'aws-lambda';
import { AlertDispatch } from '../../shared/collector/run/alert-dispatch';
import { reportAlertCounts } from '../../shared/collector/run/run-report';
import { createPowertoolsTelemetry } from '../../shared/collector/run/telemetry';
import { isEventType } from '../../shared/contracts/event-types';
import { Metric } from '../../shared/contracts/metric-names';
import { ALERT_ENV, loadAlertConfig } from '../../shared/detections/alert-config';
import { AlertOutbox } from '../../shared/detections/alert-outbox';
import { EventBridgePublisher } from '../../shared/detections/alert-publisher';
import {
  runScheduledRules,
  SCHEDULED_RULES_SOURCE,
  type ScheduledRulesReport,
} from '../../shared/detections/scheduled-rules';
import { ConfigError } from '../../shared/util/errors';
import { redactedError } from '../../shared/util/redaction';

/** A variable the stack sets (infra/constructs/scheduled-rules.ts) is missing. */
const notSet = (name: string) => new ConfigError(`${name} is not set; the stack sets it (redeploy).`);

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw notSet(name);
  return value;
}

/** A whole number of minutes the stack sets, at least 1. */
function requiredMinutes(name: string): number {
  const text = required(name);
  const minutes = Number(text);
  if (!/^\d+$/.test(text) || minutes < 1) {
    throw new ConfigError(
      `${name} is "${text}", not a whole number of minutes (at least 1); the stack sets it (redeploy).`,
    );
  }
  return minutes;
}

const telemetry = createPowertoolsTelemetry(SCHEDULED_RULES_SOURCE);
const dynamo = new DynamoDBClient({});
const athena = new AthenaClient({});
const events = new EventBridgeClient({ maxAttempts: 1 });

/**
 * The window rules on a schedule (EventBridge Scheduler): Athena queries over the de-duplicated
 * views, pruned by `dt`, their detections published as alerts. Throws when a rule's query failed,
 * so the function's errors count it; alerts that could not be published are counted, not thrown.
 */
export async function handler(
  _event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis'> & Partial<Context>,
): Promise<ScheduledRulesReport> {
  const deadlineMs = Date.now() + context.getRemainingTimeInMillis() - 2_000;
  telemetry.startInvocation?.(context);
  try {
    const config = loadAlertConfig(process.env);
    if (!config) throw notSet(ALERT_ENV.eventBus);
    const periodMinutes = requiredMinutes('PERIOD_MINUTES');
    const dispatch = new AlertDispatch({
      outbox: new AlertOutbox(dynamo, required('CURSOR_TABLE'), SCHEDULED_RULES_SOURCE),
      publisher: new EventBridgePublisher({ client: events, eventBusName: config.eventBusName }),
      suppressionMs: config.settings.suppressionMinutes * 60_000,
      telemetry,
    });
    const report = await runScheduledRules({
      athena,
      workGroup: required('WORK_GROUP'),
      database: required('GLUE_DATABASE'),
      settings: config.settings,
      periodMs: periodMinutes * 60_000,
      dispatch,
      telemetry,
      deadlineMs,
      eventTypes: required('COLLECTED_TYPES').split(',').filter(isEventType),
    });
    telemetry.info('Scheduled rules finished', { ...report });
    reportAlertCounts(telemetry, report);
    if (report.failedRules.length > 0) telemetry.metric(Metric.WindowRuleFailures, report.failedRules.length);
    telemetry.metric(Metric.AthenaBytesScanned, report.bytesScanned);
    telemetry.flush();
    if (report.failedRules.length > 0) {
      throw new Error(`Window rules failed: ${report.failedRules.join(', ')} (the log names each cause)`);
    }
    return report;
  } catch (error) {
    telemetry.flush();
    throw redactedError(error);
  }
}
