import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/** Key administration, without the right to use the key (AWS KMS Developer Guide, "Default key policy"). */
const KEY_ADMINISTRATION_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** What Secrets Manager asks KMS for on a caller's behalf to store and read a secret value. */
const SECRET_WRITE_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:DescribeKey'];

const viaSecretsManager = () => ({
  StringEquals: {
    'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com`,
    'kms:CallerAccount': Aws.ACCOUNT_ID,
  },
});

/**
 * A customer-managed key for the token secret whose key policy names its principals one by one:
 * the administrators (who manage the key and set the token through Secrets Manager) and, once
 * added with `allowCollectors`, the collector roles (who may only decrypt, only through Secrets
 * Manager). The account root gets no statement, so IAM policies alone grant no use of the key.
 * (AWS KMS Developer Guide, "Key policies in AWS KMS" and "How AWS Secrets Manager uses AWS KMS".)
 */
export class TokenSecretKey {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, adminArns: readonly string[]) {
    const admins = adminArns.map((arn) => new iam.ArnPrincipal(arn));
    this.key = new kms.Key(scope, id, {
      description: 'Encrypts the 1Password Events API token secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'NamedAdministratorsManageTheKey',
            principals: admins,
            actions: KEY_ADMINISTRATION_ACTIONS,
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'NamedAdministratorsSetTheTokenThroughSecretsManager',
            principals: admins,
            actions: SECRET_WRITE_ACTIONS,
            resources: ['*'],
            conditions: viaSecretsManager(),
          }),
        ],
      }),
    });
  }

  /** Lets the collector roles decrypt the token, through Secrets Manager only. */
  allowCollectors(roles: readonly iam.IRole[]): void {
    if (roles.length === 0) return;
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CollectorsReadTheTokenThroughSecretsManager',
        principals: roles.map((role) => new iam.ArnPrincipal(role.roleArn)),
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: viaSecretsManager(),
      }),
    );
  }
}
