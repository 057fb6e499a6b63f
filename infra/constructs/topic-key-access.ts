import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Lets an AWS service (`cloudwatch.amazonaws.com`, `events.amazonaws.com`) publish to an SNS topic
 * encrypted with `key`: the key policy grants it kms:Decrypt and kms:GenerateDataKey*, on "*" (a
 * key policy's own key), and only for this account's sources (aws:SourceAccount).
 */
export function allowServiceToPublishWith(key: kms.IKey, sid: string, service: string): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      principals: [new iam.ServicePrincipal(service)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
}
