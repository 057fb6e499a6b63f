import { Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { AlertTargetNames } from '../props/detection-props';
import { DEFAULT_STACK_NAME } from './context-settings';

export type { AlertTargetNames } from '../props/detection-props';

import {
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
} from '../constructs/onepassword-events-pipeline';
import { appStackGlueDatabaseName } from '../defaults/physical-names';

export interface OnePasswordEventsStackProps extends StackProps {
  /**
   * The pipeline's props.
   * @default - the construct's defaults, with its outputs under their bare names (pipelineId '') and a Glue
   *   database named after the stack (onepassword_events, or onepassword_events_<stack name>)
   */
  readonly pipeline?: OnePasswordEventsPipelineProps;
  /** @default - the default bus and the alarm topic */
  readonly alerts?: AlertTargetNames;
}

/**
 * The deployable stack: one pipeline, whose outputs (shared/contracts/stack-outputs.ts) keep their bare names
 * (pipeline id ''), as the CLI and docs show them.
 */
export class OnePasswordEventsStack extends Stack {
  readonly pipeline: OnePasswordEventsPipeline;

  constructor(scope: Construct, id: string, props: OnePasswordEventsStackProps = {}) {
    super(scope, id, {
      description: '1Password Events API activity to S3, Glue and Athena (onepassword-events-to-s3)',
      ...props,
    });
    // One pipeline per stack; its Glue database is named after the stack, so that two stacks in one
    // account and region (-c stackName=...) do not collide (physical-names.ts).
    const alerts = props.alerts ?? {};
    const detections = {
      ...props.pipeline?.detections,
      ...(alerts.eventBusName
        ? { eventBus: events.EventBus.fromEventBusName(this, 'AlertBus', alerts.eventBusName) }
        : {}),
      ...(alerts.topicArn
        ? { notificationTopic: sns.Topic.fromTopicArn(this, 'AlertTopic', alerts.topicArn) }
        : {}),
    };
    this.pipeline = new OnePasswordEventsPipeline(this, 'Pipeline', {
      pipelineId: '',
      ...props.pipeline,
      query: {
        glueDatabaseName: appStackGlueDatabaseName(this.stackName, DEFAULT_STACK_NAME),
        ...props.pipeline?.query,
      },
      ...(Object.keys(detections).length > 0 ? { detections } : {}),
    });
  }
}
