import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import {
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
} from '../../infra/constructs/onepassword-events-pipeline';
import { cdkJsonContext, NO_BUNDLING, policyStatements } from './helpers';

function synth(props: OnePasswordEventsPipelineProps): Template {
  const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Options');
  new OnePasswordEventsPipeline(stack, 'Pipeline', { eventTypes: ['auditevents'], ...props });
  return Template.fromStack(stack);
}

describe('storage.cursorTableProps', () => {
  it('keeps the secure defaults when unset', () => {
    synth({}).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    });
  });

  it('changes the removal policy, deletion protection, recovery and key, never the key schema', () => {
    const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Options');
    const key = new kms.Key(stack, 'TableKey', { enableKeyRotation: true });
    new OnePasswordEventsPipeline(stack, 'Pipeline', {
      eventTypes: ['auditevents'],
      storage: {
        cursorTableProps: {
          removalPolicy: RemovalPolicy.DESTROY,
          deletionProtection: false,
          pointInTimeRecovery: false,
          encryptionKey: key,
        },
      },
    });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: false,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        SSESpecification: Match.objectLike({ SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() }),
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    });
  });
});

describe('collector.functionProps', () => {
  it('changes memory, timeout, tracing and architecture of every collector', () => {
    const template = synth({
      collector: {
        functionProps: {
          memorySize: 512,
          timeout: Duration.seconds(40),
          tracing: lambda.Tracing.ACTIVE,
          architecture: lambda.Architecture.X86_64,
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 40,
      TracingConfig: { Mode: 'Active' },
      Architectures: ['x86_64'],
    });
  });

  it('keeps the environment, role and handler the construct sets', () => {
    const template = synth({ collector: { functionProps: { memorySize: 512 } } });
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties;
    expect(fn?.Handler).toBe('index.handler');
    expect(fn?.Environment.Variables.EVENT_TYPE).toBe('auditevents');
  });
});

describe('bucket policies', () => {
  /** Each bucket policy's DeletionPolicy, by the logical ID of the bucket it belongs to. */
  function policyDeletionByBucket(template: Template): Record<string, unknown> {
    const policies = template.findResources('AWS::S3::BucketPolicy');
    return Object.fromEntries(
      Object.values(policies).map((p) => [(p.Properties.Bucket as { Ref: string }).Ref, p.DeletionPolicy]),
    );
  }

  it('are retained with the retained events, access-log and Athena results buckets (cdk destroy keeps the TLS-only rules and the log-delivery grant)', () => {
    const template = synth({});
    const buckets = Object.keys(template.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' }));
    expect(buckets).toHaveLength(3);
    const policies = policyDeletionByBucket(template);
    for (const bucket of buckets) expect(policies[bucket]).toBe('Retain');
    template.hasResource('AWS::S3::BucketPolicy', {
      UpdateReplacePolicy: 'Retain',
      DeletionPolicy: 'Retain',
    });
  });

  it('follow a bucket whose removal policy was changed to destroy', () => {
    const template = synth({ storage: { bucketProps: { removalPolicy: RemovalPolicy.DESTROY } } });
    const destroyed = Object.keys(template.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete' }));
    expect(destroyed).toHaveLength(1);
    const policies = policyDeletionByBucket(template);
    expect(policies[destroyed[0] as string]).not.toBe('Retain');
    expect(Object.values(policies).filter((d) => d === 'Retain')).toHaveLength(2);
  });
});

describe('deploy paths that need permissions of the collector role', () => {
  it('a customer-managed key on the cursor table: usable by the collector, through DynamoDB only', () => {
    const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Options');
    const key = new kms.Key(stack, 'TableKey', { enableKeyRotation: true });
    new OnePasswordEventsPipeline(stack, 'Pipeline', {
      eventTypes: ['auditevents'],
      storage: { cursorTableProps: { encryptionKey: key } },
    });
    const template = Template.fromStack(stack);
    const keyStatement = policyStatements(template).find((s) => s.Sid === 'CursorTableKeyViaDynamoDB');
    expect(keyStatement?.Resource).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'],
    });
    expect(keyStatement?.Action).toContain('kms:Decrypt');
    expect(keyStatement?.Action).not.toContain('kms:CreateGrant');
    expect(keyStatement?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    });
    // Without a key of its own the table uses the AWS managed key: no KMS statement at all.
    expect(policyStatements(synth({})).some((s) => s.Sid === 'CursorTableKeyViaDynamoDB')).toBe(false);
  });

  it('collector.functionProps.vpc: the ENI permissions Lambda documents, scoped, before the function exists', () => {
    const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Options', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new OnePasswordEventsPipeline(stack, 'Pipeline', {
      eventTypes: ['auditevents'],
      collector: { functionProps: { vpc } },
    });
    const template = Template.fromStack(stack);
    const all = policyStatements(template);
    const actions = all.flatMap((s) => [s.Action].flat());
    // AWSLambdaVPCAccessExecutionRole's EC2 actions (its logs actions are granted on the own log group).
    for (const action of [
      'ec2:CreateNetworkInterface',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface',
      'ec2:AssignPrivateIpAddresses',
      'ec2:UnassignPrivateIpAddresses',
    ])
      expect(actions).toContain(action);
    const create = all.find((s) => s.Sid === 'CreateOwnNetworkInterfaces');
    const createResources = JSON.stringify(create?.Resource);
    expect(createResources).toContain(':network-interface/*');
    expect(createResources).toContain(':subnet/');
    expect(createResources).toContain(':security-group/');
    expect(all.find((s) => s.Sid === 'ManageNetworkInterfaces')?.Resource).toEqual(
      'arn:aws:ec2:eu-west-1:123456789012:network-interface/*',
    );
    expect(all.find((s) => s.Sid === 'DescribeNetwork')?.Action).toEqual([
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSubnets',
    ]);
    // CreateFunction checks the role's permissions: the function is created after the policy.
    const policyId = Object.keys(template.findResources('AWS::IAM::Policy')).find((id) =>
      id.includes('VpcAccessPolicy'),
    );
    const [, fn] = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('Pipeline'),
    ) as [string, { DependsOn?: string[] }];
    expect(fn.DependsOn).toContain(policyId);
    // The VPC path synthesizes with no cdk-nag AwsSolutions finding.
    // (The test's own VPC has no flow log: its finding is the test's, not the construct's.)
    const findings = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
      .filter((finding) => !finding.includes(' Options/Vpc/'));
    expect(findings).toEqual([]);
  });
});
