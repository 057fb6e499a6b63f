import { App, CfnParameter, Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CURRENTLY_RECOMMENDED_FLAGS, NEW_PROJECT_DEFAULT_CONTEXT } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ALARM_RUNBOOK, SCHEDULED_RULES_ALARM_RUNBOOK } from '../../infra/constructs/alarm-runbook';
import {
  ConfigurationError,
  OnePasswordEventsPipeline,
} from '../../infra/constructs/onepassword-events-pipeline';
import { ATHENA, CLOUDWATCH } from '../../shared/contracts/aws-limits';
import { buildConsumerApp } from '../consumer-app/app';
import { cdkJsonContext, NO_BUNDLING, policyStatements } from './helpers';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

/** Feature flags: none (an app without cdk.json), a new `cdk init` app's, and this repository's. */
const FLAG_SETS: Record<string, Record<string, unknown>> = {
  'no feature flags': {},
  'the flags of a new cdk init app': { ...CURRENTLY_RECOMMENDED_FLAGS, ...NEW_PROJECT_DEFAULT_CONTEXT },
  "this repository's cdk.json": cdkJsonContext(),
};

describe.each(Object.entries(FLAG_SETS))('a consumer app with two pipelines in one stack, %s', (_, flags) => {
  const consumer = buildConsumerApp({ context: { ...flags, ...NO_BUNDLING } });
  // Synthesis runs cdk-nag's AwsSolutions pack as a validation plugin: a finding fails it.
  consumer.app.synth();
  const template = Template.fromStack(consumer.stack);
  const properties = (type: string, from: Template = template) =>
    Object.values(from.findResources(type) as Resources).map((r) => r.Properties);
  const names = (type: string, read: (p: Record<string, unknown>) => unknown) =>
    properties(type).map((p) => read(p) as string);

  it('synthesizes with no cdk-nag AwsSolutions finding', () => {
    for (const stack of [consumer.stack, consumer.data.stack, consumer.archiveStack]) {
      expect(new AwsSolutionsChecks().validateScope(stack).violations, stack.stackName).toEqual([]);
    }
  });

  it("takes the app's own bucket, key and secret as objects, and their names and ARNs as tokens", () => {
    const archive = Template.fromStack(consumer.archiveStack);
    const text = JSON.stringify(archive.toJSON());
    // No bucket or secret of its own for events and the token: the app's, imported from SecurityData.
    expect(Object.keys(archive.findResources('AWS::SecretsManager::Secret'))).toEqual([]);
    const buckets = Object.values(archive.findResources('AWS::S3::Bucket') as Resources);
    expect(buckets.map((b) => JSON.stringify(b.Properties))).not.toContainEqual(
      expect.stringContaining('events-bucket/'),
    );
    // A reference to another stack: an import, or Fn::GetStackOutput under newer feature flags.
    const crossStack = /Fn::ImportValue|Fn::GetStackOutput/;
    expect(crossStack.test(text), 'a reference to SecurityData').toBe(true);
    const fn = properties('AWS::Lambda::Function', archive)[0] as {
      Environment: { Variables: Record<string, unknown> };
    };
    expect(JSON.stringify(fn.Environment.Variables.TOKEN_SECRET_ID)).toMatch(crossStack);
    // The collector may decrypt the token with the secret's key, through Secrets Manager only.
    const statements = policyStatements(archive);
    const decrypt = statements.find((st) => st.Sid === 'DecryptTokenViaSecretsManager');
    expect(JSON.stringify(decrypt?.Resource)).toMatch(crossStack);
    // Firehose may encrypt with the bucket's key, for this type's objects, through S3 only.
    const bucketKey = statements.find((st) => st.Sid === 'BucketKeyViaS3');
    expect([bucketKey?.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(bucketKey?.Condition)).toContain('events/auditevents/*');
    // The alarm e-mail is the parameter's value.
    expect(properties('AWS::SNS::Subscription', archive)).toContainEqual(
      expect.objectContaining({ Endpoint: { Ref: 'AlarmEmail' }, Protocol: 'email' }),
    );
  });

  it('gives each pipeline its own physical names, within AWS limits', () => {
    const { audit, access } = consumer;
    expect(audit.namePrefix).not.toBe(access.namePrefix);
    const workGroups = names('AWS::Athena::WorkGroup', (p) => p.Name);
    const dashboards = names('AWS::CloudWatch::Dashboard', (p) => p.DashboardName);
    const alarms = names('AWS::CloudWatch::Alarm', (p) => p.AlarmName);
    const logQueries = names('AWS::Logs::QueryDefinition', (p) => p.Name);
    const databases = names('AWS::Glue::Database', (p) => (p.DatabaseInput as { Name: string }).Name);
    expect(workGroups.sort()).toEqual([access.namePrefix, audit.namePrefix].sort());
    expect(dashboards.sort()).toEqual([access.namePrefix, audit.namePrefix].sort());
    expect(databases.sort()).toEqual([access.glueDatabaseName, audit.glueDatabaseName].sort());
    // The collectors' alarms of 3 event types and the scheduled rules' of each of the 2 pipelines
    // (test/infra/alarms.test.ts), 4 saved log queries per pipeline.
    expect(alarms).toHaveLength(ALARM_RUNBOOK.length * 3 + SCHEDULED_RULES_ALARM_RUNBOOK.length * 2);
    expect(logQueries).toHaveLength(4 * 2);
    for (const list of [workGroups, dashboards, alarms, logQueries, databases]) {
      expect(new Set(list).size, list.join(', ')).toBe(list.length);
    }
    for (const name of workGroups) expect(name).toMatch(ATHENA.workGroupNamePattern);
    for (const name of dashboards) expect(name).toMatch(CLOUDWATCH.dashboardNamePattern);
    for (const name of databases) expect(name).toMatch(ATHENA.namePattern);
    for (const name of alarms) expect(name.length).toBeLessThanOrEqual(CLOUDWATCH.maxAlarmNameChars);
    for (const name of logQueries) {
      expect(name.length).toBeLessThanOrEqual(CLOUDWATCH.maxQueryDefinitionNameChars);
    }
    expect(alarms.filter((name) => name.startsWith(`${audit.namePrefix}-auditevents-`))).toHaveLength(
      ALARM_RUNBOOK.length,
    );
  });

  it('keeps the Glue tables and views of each pipeline in its own database', () => {
    const tables = properties('AWS::Glue::Table').map((p) => {
      const input = p.TableInput as { Name: string };
      return `${JSON.stringify(p.DatabaseName)}.${input.Name}`;
    });
    expect(new Set(tables).size).toBe(tables.length);
  });

  it('writes server access logs through the bucket policy, with ACLs disabled on every bucket', () => {
    for (const bucket of properties('AWS::S3::Bucket')) {
      expect(bucket.AccessControl).toBeUndefined();
      expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
    const logDelivery = properties('AWS::S3::BucketPolicy').filter((p) =>
      JSON.stringify(p.PolicyDocument).includes('logging.s3.amazonaws.com'),
    );
    // One access-log bucket per pipeline, each receiving its events and Athena results buckets' logs.
    expect(logDelivery).toHaveLength(2);
  });
});

describe('pipeline ids', () => {
  it('two pipelines of one stack may not share an id: their outputs would clash', () => {
    const stack = new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), 'Shared');
    new OnePasswordEventsPipeline(stack, 'Audit', { eventTypes: ['auditevents'] });
    expect(
      () =>
        new OnePasswordEventsPipeline(stack, 'Other', { eventTypes: ['itemusages'], pipelineId: 'Audit' }),
    ).toThrow(
      'Invalid "pipelineId": is "Audit" for Shared/Other and for Shared/Audit, in the same stack; give each pipeline its own pipelineId',
    );
    expect(() => new OnePasswordEventsPipeline(stack, 'Third', { pipelineId: 'a-b' })).toThrow(
      'Invalid "pipelineId": must hold letters and digits only',
    );
  });
});

describe('names and ARNs as tokens of the same app', () => {
  const newStack = (id: string) =>
    new Stack(new App({ context: { ...cdkJsonContext(), ...NO_BUNDLING } }), id);

  it('existingBucketName, existingSecretArn and existingSecretKmsKeyArn may be references: no format check refuses them', () => {
    const stack = newStack('Tokens');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Bucket');
    const secret = new secretsmanager.Secret(stack, 'Secret', { encryptionKey: key });
    new OnePasswordEventsPipeline(stack, 'Pipeline', {
      eventTypes: ['auditevents'],
      storage: { existingBucketName: bucket.bucketName },
      token: { existingSecretArn: secret.secretArn, existingSecretKmsKeyArn: key.keyArn },
      alarms: { email: new CfnParameter(stack, 'Email').valueAsString },
    });
    const template = Template.fromStack(stack);
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
    const statements = policyStatements(template);
    expect(statements.find((st) => st.Sid === 'ReadToken')?.Resource).toEqual({
      Ref: stack.getLogicalId(secret.node.defaultChild as secretsmanager.CfnSecret),
    });
    expect(statements.find((st) => st.Sid === 'DecryptTokenViaSecretsManager')?.Resource).toEqual({
      'Fn::GetAtt': [keyId, 'Arn'],
    });
    expect(JSON.stringify(statements.find((st) => st.Sid === 'BucketLevel')?.Resource)).toContain(bucketId);
  });

  it.each([
    [
      'collector.schedule',
      { collector: { schedule: Token.asString({ Ref: 'Schedule' }) } },
      'the schedule sets the function timeout',
    ],
    [
      'query.glueDatabaseName',
      { query: { glueDatabaseName: Token.asString({ Ref: 'Db' }) } },
      'each Athena view records its database by name',
    ],
    [
      'storage.retentionDays',
      { storage: { retentionDays: Token.asNumber({ Ref: 'Days' }) } },
      'the stack computes with it',
    ],
    [
      'alarms.noEventsWindow',
      { alarms: { noEventsWindow: Duration.hours(Token.asNumber({ Ref: 'H' })) } },
      'the stack computes with it',
    ],
  ])('%s must be known at synth, and says why', (key, props, why) => {
    const stack = newStack('Known');
    let error: unknown;
    try {
      new OnePasswordEventsPipeline(stack, 'Pipeline', { eventTypes: ['auditevents'], ...props });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).key).toBe(key);
    expect((error as ConfigurationError).constructPath).toBe('Known/Pipeline');
    expect((error as Error).message).toContain(
      `Known/Pipeline: Invalid "${key}": must be known at synth, not a token`,
    );
    expect((error as Error).message).toContain(why);
  });

  it('an object and its name for the same thing are refused together', () => {
    const stack = newStack('Both');
    const bucket = new s3.Bucket(stack, 'Bucket');
    expect(
      () =>
        new OnePasswordEventsPipeline(stack, 'Pipeline', {
          storage: { bucket, existingBucketName: 'corp-logs' },
        }),
    ).toThrow(
      'Both/Pipeline: Invalid "storage.existingBucketName": give either storage.bucket or storage.existingBucketName, not both',
    );
  });
});
