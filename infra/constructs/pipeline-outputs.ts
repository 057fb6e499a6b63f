import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { EventType } from '../../shared/contracts/event-types';
import {
  collectorFunctionOutputKey,
  deliveryStreamOutputKey,
  glueTableOutputKey,
  PIPELINE_ID_PATTERN,
  pipelineOutputKey,
  StackOutput,
} from '../../shared/contracts/stack-outputs';
import { TABLE_NAMES } from '../../shared/contracts/table-schema';
import { pipelineRefusals } from './construct-errors';

/** What a pipeline publishes for the CLI (`op-events --stack <stack> --pipeline <id>`). */
export interface PublishedPipeline extends IConstruct {
  readonly pipelineId: string;
  readonly eventTypes: readonly EventType[];
  readonly namePrefix: string;
  readonly cursorTable: { readonly tableName: string };
  readonly eventsBucket: { readonly bucketName: string };
  readonly tokenSecret: { readonly secretArn: string };
  readonly workGroupName: string;
  readonly athenaResultsBucket: { readonly bucketName: string };
  readonly glueDatabaseName: string;
  readonly alarmTopic: { readonly topicArn: string };
  readonly dashboard: { readonly dashboardName: string };
  collector(type: EventType): {
    readonly deliveryStreamName: string;
    readonly function: { readonly functionName: string };
  };
}

/** The default pipeline id: the construct's id with everything but letters and digits left out. */
export function defaultPipelineId(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '').slice(0, 64);
}

/** Checks a pipeline id, and that no other pipeline of the same stack has it (their outputs would clash). */
export function checkPipelineId(pipeline: IConstruct, pipelineId: string): string {
  if (!PIPELINE_ID_PATTERN.test(pipelineId)) {
    throw pipelineRefusals.pipelineIdMalformed(pipelineId);
  }
  const stack = Stack.of(pipeline);
  const other = stack.node
    .findAll()
    .find(
      (c) =>
        c !== pipeline &&
        (c as Partial<PublishedPipeline>).pipelineId === pipelineId &&
        Stack.of(c) === stack,
    );
  if (other) throw pipelineRefusals.pipelineIdTaken(pipelineId, pipeline, other);
  return pipelineId;
}

/**
 * The pipeline's CloudFormation outputs, keyed `<pipelineId><name>` (shared/contracts/stack-outputs.ts): the
 * resource names the CLI needs, so that it finds a pipeline in any app, and tells two in one stack apart.
 */
export function publishPipelineOutputs(pipeline: PublishedPipeline): void {
  const described = pipeline.pipelineId === '' ? '' : ` (pipeline ${pipeline.pipelineId})`;
  const out = (key: string, value: string, description: string) => {
    const outputKey = pipelineOutputKey(pipeline.pipelineId, key);
    new CfnOutput(pipeline, `Output${key}`, {
      value,
      description: description + described,
    }).overrideLogicalId(outputKey);
  };
  out(StackOutput.CursorTableName, pipeline.cursorTable.tableName, 'DynamoDB table of cursors and leases');
  out(
    StackOutput.EventsBucketName,
    pipeline.eventsBucket.bucketName,
    'S3 bucket holding events/ and errors/',
  );
  out(StackOutput.TokenSecretArn, pipeline.tokenSecret.secretArn, 'Secret holding the Events API token');
  out(StackOutput.AthenaWorkGroupName, pipeline.workGroupName, 'Athena workgroup for the saved queries');
  out(StackOutput.AthenaResultsBucketName, pipeline.athenaResultsBucket.bucketName, 'Athena query results');
  out(StackOutput.GlueDatabaseName, pipeline.glueDatabaseName, 'Glue database of the event tables');
  out(StackOutput.AlarmTopicArn, pipeline.alarmTopic.topicArn, 'SNS topic the alarms notify');
  out(StackOutput.DashboardName, pipeline.dashboard.dashboardName, 'CloudWatch dashboard');
  out(StackOutput.EventTypes, pipeline.eventTypes.join(','), 'Event types collected');
  out(StackOutput.NamePrefix, pipeline.namePrefix, 'Prefix of the alarm, dashboard and workgroup names');
  for (const type of pipeline.eventTypes) {
    const c = pipeline.collector(type);
    out(deliveryStreamOutputKey(type), c.deliveryStreamName, `Firehose delivery stream of ${type}`);
    out(collectorFunctionOutputKey(type), c.function.functionName, `Collector function of ${type}`);
    out(glueTableOutputKey(type), TABLE_NAMES[type], `Glue table of ${type}`);
  }
}
