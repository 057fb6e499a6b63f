import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { ExactLambdaInvoke } from './exact-lambda-invoke';

export interface LambdaScheduleProps {
  /** The schedule's description. */
  readonly description: string;
  /** The description of the role the schedule invokes the function with. */
  readonly roleDescription: string;
  readonly schedule: scheduler.ScheduleExpression;
}

/**
 * An EventBridge Scheduler schedule that invokes `fn` (construct ids `ScheduleRole` and `Schedule`
 * under `scope`). At most one attempt per tick, and a stale invocation is dropped: the next tick is
 * the retry.
 */
export function lambdaSchedule(
  scope: Construct,
  fn: lambda.IFunction,
  props: LambdaScheduleProps,
): scheduler.Schedule {
  const role = schedulerInvokeRole(scope, props.roleDescription);
  const schedule = new scheduler.Schedule(scope, 'Schedule', {
    description: props.description,
    schedule: props.schedule,
    timeWindow: scheduler.TimeWindow.off(),
    target: new ExactLambdaInvoke(fn, { role, retryAttempts: 0, maxEventAge: Duration.seconds(60) }),
  });
  // Create the schedule only once its role may invoke the function.
  schedule.node.addDependency(role);
  return schedule;
}

/**
 * The role EventBridge Scheduler assumes to invoke a function: only for schedules of this account's
 * default schedule group (the confused-deputy guard of the Scheduler user guide's execution role page).
 */
function schedulerInvokeRole(scope: Construct, description: string): iam.Role {
  return new iam.Role(scope, 'ScheduleRole', {
    description,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': Aws.ACCOUNT_ID,
          'aws:SourceArn': Stack.of(scope).formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: 'default',
          }),
        },
      },
    }),
  });
}
