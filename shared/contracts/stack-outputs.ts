import type { EventType } from './event-types';

/**
 * CloudFormation output keys each pipeline publishes: a contract with the CLI, which reads them with
 * `--stack <name> [--pipeline <id>]` (DescribeStacks). A pipeline's keys are these prefixed with its
 * pipeline id (`pipelineOutputKey`): `AuditCursorTableName` for the pipeline `Audit`; the app stack's
 * one pipeline has the empty id, so its keys are the bare names. Output keys may only hold letters
 * and digits.
 */
export const StackOutput = {
  CursorTableName: 'CursorTableName',
  EventsBucketName: 'EventsBucketName',
  TokenSecretArn: 'TokenSecretArn',
  AthenaWorkGroupName: 'AthenaWorkGroupName',
  AthenaResultsBucketName: 'AthenaResultsBucketName',
  GlueDatabaseName: 'GlueDatabaseName',
  AlarmTopicArn: 'AlarmTopicArn',
  DashboardName: 'DashboardName',
  /** Comma-separated event types this stack collects. */
  EventTypes: 'EventTypes',
  /** Prefix of the pipeline's physical names (alarms are `<prefix>-<type>-<alarm>`). */
  NamePrefix: 'NamePrefix',
} as const;

/**
 * A pipeline id: letters and digits (output keys allow nothing else, CloudFormation template
 * reference, Outputs: "The logical ID must be alphanumeric"), at most 64 so that every key stays short.
 */
export const PIPELINE_ID_PATTERN = /^[A-Za-z0-9]{0,64}$/;

/** The output key of one pipeline's `key` (a StackOutput value or a per-type key). */
export function pipelineOutputKey(pipelineId: string, key: string): string {
  return `${pipelineId}${key}`;
}

function suffix(type: EventType): string {
  return type.charAt(0).toUpperCase() + type.slice(1);
}

/** e.g. `DeliveryStreamAuditevents`. */
export function deliveryStreamOutputKey(type: EventType): string {
  return `DeliveryStream${suffix(type)}`;
}

/** e.g. `CollectorFunctionAuditevents`. */
export function collectorFunctionOutputKey(type: EventType): string {
  return `CollectorFunction${suffix(type)}`;
}

/** e.g. `GlueTableAuditevents`. */
export function glueTableOutputKey(type: EventType): string {
  return `GlueTable${suffix(type)}`;
}
