import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DEFAULT_STACK_NAME } from './config';
import {
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
} from './onepassword-events-pipeline';
import { appStackGlueDatabaseName } from './physical-names';

export interface OnePasswordEventsStackProps extends StackProps {
  readonly pipeline?: OnePasswordEventsPipelineProps;
}

/**
 * The deployable stack: one pipeline, whose outputs (shared/stack-outputs.ts) keep their bare names
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
    this.pipeline = new OnePasswordEventsPipeline(this, 'Pipeline', {
      glueDatabaseName: appStackGlueDatabaseName(this.stackName, DEFAULT_STACK_NAME),
      pipelineId: '',
      ...props.pipeline,
    });
  }
}
