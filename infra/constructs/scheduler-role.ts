import { Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The role EventBridge Scheduler assumes to invoke a function: only for schedules of this account's
 * default schedule group (the confused-deputy guard of the Scheduler user guide's execution role page).
 */
export function schedulerInvokeRole(scope: Construct, description: string): iam.Role {
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
