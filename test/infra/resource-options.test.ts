import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  OnePasswordEventsPipeline,
  type OnePasswordEventsPipelineProps,
} from '../../infra/onepassword-events-pipeline';
import { cdkJsonContext, NO_BUNDLING } from './helpers';

function synth(props: OnePasswordEventsPipelineProps): Template {
  const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Options');
  new OnePasswordEventsPipeline(stack, 'Pipeline', { eventTypes: ['auditevents'], ...props });
  return Template.fromStack(stack);
}

describe('cursorTableProps', () => {
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
      cursorTableProps: {
        removalPolicy: RemovalPolicy.DESTROY,
        deletionProtection: false,
        pointInTimeRecovery: false,
        encryptionKey: key,
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

describe('collectorFunctionProps', () => {
  it('changes memory, timeout, tracing and architecture of every collector', () => {
    const template = synth({
      collectorFunctionProps: {
        memorySize: 512,
        timeout: Duration.seconds(40),
        tracing: lambda.Tracing.ACTIVE,
        architecture: lambda.Architecture.X86_64,
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
    const template = synth({ collectorFunctionProps: { memorySize: 512 } });
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
    const template = synth({ eventsBucketProps: { removalPolicy: RemovalPolicy.DESTROY } });
    const destroyed = Object.keys(template.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete' }));
    expect(destroyed).toHaveLength(1);
    const policies = policyDeletionByBucket(template);
    expect(policies[destroyed[0] as string]).not.toBe('Retain');
    expect(Object.values(policies).filter((d) => d === 'Retain')).toHaveLength(2);
  });
});
