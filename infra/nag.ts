import { Stack } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * A resource ARN as cdk-nag names it in a finding (`AwsSolutions-IAM5[Resource::<this>]`), so an
 * acknowledgement names exactly the one resource it is about, owned or imported.
 */
export function nagResource(scope: IConstruct, arn: string): string {
  return flattenCfnReference(Stack.of(scope).resolve(arn));
}
