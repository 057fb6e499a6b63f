import type { EventType } from './event-types';

/**
 * CloudFormation output keys of the stack: a contract with the CLI, which reads them with
 * `--stack <name>` (DescribeStacks). Output keys may only hold letters and digits.
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
} as const;

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
