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
