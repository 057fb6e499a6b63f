import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnePasswordEventsPipeline } from '../../infra/constructs/onepassword-events-pipeline';
import { cdkJsonContext, NO_BUNDLING, onlyLogicalId, resource, synthApp } from './helpers';

const ADMIN = 'arn:aws:iam::123456789012:role/security-admins';
const DEPLOYER = 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-eu-west-1';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:op-events-token-AbC123';

type Statement = {
  Sid?: string;
  Principal?: { AWS?: unknown };
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};

describe('defaults', () => {
  let template: Template;
  beforeAll(() => {
    template = synthApp({ eventTypes: 'signinattempts', ...NO_BUNDLING }).template;
  });

  it('protects the cursor table from deletion', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
    });
  });

  it('keeps noncurrent versions 30 days and sets no Object Lock', () => {
    const bucket = resource(
      template,
      onlyLogicalId(template, 'AWS::S3::Bucket', 'events-bucket/'),
    ).Properties;
    expect(bucket).not.toHaveProperty('ObjectLockEnabled');
    expect(bucket).not.toHaveProperty('ObjectLockConfiguration');
    expect(JSON.stringify(bucket)).toContain('"NoncurrentVersionExpiration":{"NoncurrentDays":30}');
  });

  it('encrypts the token secret with the AWS managed key (no KmsKeyId, no key)', () => {
    const secret = resource(template, onlyLogicalId(template, 'AWS::SecretsManager::Secret')).Properties;
    expect(secret).not.toHaveProperty('KmsKeyId');
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).not.toContain('token secret');
  });
});

describe('context keys for durable evidence', () => {
  let template: Template;
  beforeAll(() => {
    template = synthApp({
      ...NO_BUNDLING,
      eventTypes: 'signinattempts,itemusages',
      tokenSecretKeyAdminArns: `${ADMIN},${DEPLOYER}`,
      objectLockMode: 'compliance',
      objectLockRetentionDays: '365',
      objectLockAtBucketCreation: 'true',
      noncurrentVersionDays: '90',
    }).template;
  });

  it('objectLockMode and objectLockRetentionDays: Object Lock default retention on the events bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('noncurrentVersionDays: how long replaced or deleted versions are kept', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'events-bucket/' },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })],
      },
    });
  });

  it('tokenSecretKeyAdminArns: the secret uses a new rotating key', () => {
    const keyId = onlyLogicalId(template, 'AWS::KMS::Key', 'token secret');
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'Encrypts the 1Password Events API token secret',
      EnableKeyRotation: true,
    });
  });

  it('whose policy names only the administrators and the collector roles, and the roles only decrypt via Secrets Manager', () => {
    const keyId = onlyLogicalId(template, 'AWS::KMS::Key', 'token secret');
    const statements = (resource(template, keyId).Properties as { KeyPolicy: { Statement: Statement[] } })
      .KeyPolicy.Statement;
    const text = JSON.stringify(statements);
    expect(text).not.toContain(':root');
    expect(text).not.toContain('"AWS":"*"');
    const roleIds = ['signinattempts', 'itemusages'].map((type) =>
      onlyLogicalId(template, 'AWS::IAM::Role', `1Password ${type} collector`),
    );
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual([
      'CollectorsReadTheTokenThroughSecretsManager',
      'NamedAdministratorsManageTheKey',
      'NamedAdministratorsSetTheTokenThroughSecretsManager',
    ]);
    const admins = (bySid.NamedAdministratorsManageTheKey?.Principal?.AWS as string[]) ?? [];
    expect([...admins].sort()).toEqual([ADMIN, DEPLOYER].sort());
    const administration = [bySid.NamedAdministratorsManageTheKey?.Action].flat();
    expect(administration).not.toContain('kms:Decrypt');
    expect(administration).not.toContain('kms:GenerateDataKey');
    const collectors = bySid.CollectorsReadTheTokenThroughSecretsManager as Statement;
    expect(collectors.Action).toBe('kms:Decrypt');
    const readers = (collectors.Principal?.AWS as { 'Fn::GetAtt': string[] }[]) ?? [];
    expect(readers.map((r) => r['Fn::GetAtt'][0]).sort()).toEqual([...roleIds].sort());
    expect(JSON.stringify(collectors.Condition)).toContain('secretsmanager.');
    expect(JSON.stringify(bySid.NamedAdministratorsSetTheTokenThroughSecretsManager?.Condition)).toContain(
      'kms:ViaService',
    );
  });
});

describe('the same options as construct props, checked', () => {
  const build = (props: ConstructorParameters<typeof OnePasswordEventsPipeline>[2]) => {
    const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Test', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    new OnePasswordEventsPipeline(stack, 'Pipeline', {
      eventTypes: ['signinattempts'],
      collector: { entry: 'functions/collector.ts' },
      ...props,
    });
    return Template.fromStack(stack);
  };

  it.each([
    [
      { storage: { objectLockMode: s3.ObjectLockMode.GOVERNANCE } },
      'Test/Pipeline: Invalid "storage.objectLockMode": needs objectLockRetentionDays',
    ],
    [
      { storage: { objectLockRetentionDays: 30 } },
      'Invalid "storage.objectLockRetentionDays": needs objectLockMode',
    ],
    [
      {
        storage: {
          objectLockMode: s3.ObjectLockMode.GOVERNANCE,
          objectLockRetentionDays: 500,
          retentionDays: 400,
          objectLockAtBucketCreation: true,
        },
      },
      'Invalid "storage.objectLockRetentionDays": must be a whole number of days from 1 to retentionDays (400) (got 500)',
    ],
    [
      {
        storage: {
          objectLockMode: s3.ObjectLockMode.GOVERNANCE,
          objectLockRetentionDays: 30,
          existingBucketName: 'corp-logs',
        },
      },
      'Invalid "storage.objectLockMode": applies to the bucket the stack creates',
    ],
    [
      // A deployed bucket would be replaced (ObjectLockEnabled is create-only): refused, with the way to do it.
      { storage: { objectLockMode: s3.ObjectLockMode.GOVERNANCE, objectLockRetentionDays: 30 } },
      'Invalid "storage.objectLockMode": Object Lock is enabled when S3 creates the events bucket',
    ],
    [
      { storage: { objectLockMode: s3.ObjectLockMode.GOVERNANCE, objectLockRetentionDays: 30 } },
      'aws s3api put-object-lock-configuration --bucket <EventsBucketName>',
    ],
    [
      { storage: { bucketProps: { objectLockEnabled: true } } },
      'Invalid "storage.bucketProps": must not set Object Lock',
    ],
    [
      { storage: { objectLockAtBucketCreation: true } },
      'Invalid "storage.objectLockAtBucketCreation": needs objectLockMode and objectLockRetentionDays',
    ],
    [
      { storage: { noncurrentVersionDays: 0 } },
      'Invalid "storage.noncurrentVersionDays": must be a whole number of days from 1 to 36500 (got 0)',
    ],
    [{ token: { keyAdminArns: [] } }, 'Invalid "token.keyAdminArns": must name at least one'],
    [{ token: { keyAdminArns: ['arn:aws:iam::123456789012:root'] } }, 'must list IAM role or user ARNs'],
    [{ token: { keyAdminArns: ['*'] } }, 'must list IAM role or user ARNs'],
    [
      { token: { keyAdminArns: [ADMIN], existingSecretArn: SECRET_ARN } },
      'Invalid "token.keyAdminArns": applies to the secret the stack creates',
    ],
  ])('refuses %j', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  it('takes GOVERNANCE mode as a prop', () => {
    build({
      storage: {
        objectLockMode: s3.ObjectLockMode.GOVERNANCE,
        objectLockRetentionDays: 7,
        objectLockAtBucketCreation: true,
      },
    }).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } } },
    });
  });
});

describe('context values, checked', () => {
  it.each([
    [
      { objectLockMode: 'legal-hold', objectLockRetentionDays: '30' },
      'Invalid "objectLockMode": must be GOVERNANCE or COMPLIANCE',
    ],
    [
      { objectLockMode: 'GOVERNANCE', objectLockRetentionDays: '30', objectLockAtBucketCreation: 'yes' },
      'Invalid "objectLockAtBucketCreation": must be true or false (got "yes")',
    ],
    [
      { noncurrentVersionDays: 'ninety' },
      'Invalid "noncurrentVersionDays": must be a whole number of days from 1 to 36500',
    ],
    [
      { tokenSecretKeyAdminArns: `${ADMIN},,` },
      'Invalid "tokenSecretKeyAdminArns": must be a comma-separated list',
    ],
  ])('refuses %j', (context, message) => {
    expect(() => synthApp({ ...NO_BUNDLING, ...context })).toThrow(message);
  });
});
