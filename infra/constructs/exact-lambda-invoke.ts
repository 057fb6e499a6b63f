import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';

/**
 * EventBridge Scheduler target that invokes a Lambda function, like `LambdaInvoke`, but grants the
 * scheduler role `lambda:InvokeFunction` on the function's own ARN only. (`LambdaInvoke` uses
 * `grantInvoke`, which also allows every version and alias: `<function-arn>:*`.) The schedule
 * always invokes the unqualified function, so the exact ARN is all it needs.
 */
export class ExactLambdaInvoke extends ScheduleTargetBase {
  private readonly fn: lambda.IFunction;

  constructor(fn: lambda.IFunction, props: ScheduleTargetBaseProps = {}) {
    super(props, fn.functionArn);
    this.fn = fn;
  }

  protected addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }),
    );
  }
}
