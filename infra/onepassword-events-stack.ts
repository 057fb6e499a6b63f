import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TABLE_NAMES } from '../shared/sql/table-schema';
import {
  collectorFunctionOutputKey,
  deliveryStreamOutputKey,
  glueTableOutputKey,
  StackOutput,
} from '../shared/stack-outputs';
import { DEFAULT_STACK_NAME } from './config';
import {
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
} from './onepassword-events-pipeline';
import { appStackGlueDatabaseName } from './physical-names';

export interface OnePasswordEventsStackProps extends StackProps {
  readonly pipeline?: OnePasswordEventsPipelineProps;
}

/** The deployable stack: the pipeline plus the outputs the CLI reads (shared/stack-outputs.ts). */
export class OnePasswordEventsStack extends Stack {
  readonly pipeline: OnePasswordEventsPipeline;

  constructor(scope: Construct, id: string, props: OnePasswordEventsStackProps = {}) {
    super(scope, id, {
      description: '1Password Events API activity to S3, Glue and Athena (onepassword-events-to-s3)',
      ...props,
    });
    // One pipeline per stack; its Glue database is named after the stack, so that two stacks in one
    // account and region (-c stackName=...) do not collide (physical-names.ts).
    const pipeline = new OnePasswordEventsPipeline(this, 'Pipeline', {
      glueDatabaseName: appStackGlueDatabaseName(this.stackName, DEFAULT_STACK_NAME),
      ...props.pipeline,
    });
    this.pipeline = pipeline;

    const out = (key: string, value: string, description: string) =>
      new CfnOutput(this, key, { value, description });
    out(StackOutput.CursorTableName, pipeline.cursorTable.tableName, 'DynamoDB table of cursors and leases');
    out(
      StackOutput.EventsBucketName,
      pipeline.eventsBucket.bucketName,
      'S3 bucket holding events/ and errors/',
    );
    out(StackOutput.TokenSecretArn, pipeline.tokenSecret.secretArn, 'Secret holding the Events API token');
    out(StackOutput.AthenaWorkGroupName, pipeline.workGroup.ref, 'Athena workgroup for the saved queries');
    out(StackOutput.AthenaResultsBucketName, pipeline.athenaResultsBucket.bucketName, 'Athena query results');
    out(StackOutput.GlueDatabaseName, pipeline.glueDatabaseName, 'Glue database of the event tables');
    out(StackOutput.AlarmTopicArn, pipeline.alarmTopic.topicArn, 'SNS topic the alarms notify');
    out(StackOutput.DashboardName, pipeline.dashboard.dashboardName, 'CloudWatch dashboard');
    out(StackOutput.EventTypes, pipeline.eventTypes.join(','), 'Event types collected');
    for (const type of pipeline.eventTypes) {
      const c = pipeline.collector(type);
      out(deliveryStreamOutputKey(type), c.deliveryStream.ref, `Firehose delivery stream of ${type}`);
      out(collectorFunctionOutputKey(type), c.function.functionName, `Collector function of ${type}`);
      out(glueTableOutputKey(type), TABLE_NAMES[type], `Glue table of ${type}`);
    }
  }
}
