import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CURRENTLY_RECOMMENDED_FLAGS, NEW_PROJECT_DEFAULT_CONTEXT } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ALARM_RUNBOOK } from '../../infra/constructs/alarms';
import { OnePasswordEventsPipeline } from '../../infra/constructs/onepassword-events-pipeline';
import { ATHENA, CLOUDWATCH } from '../../shared/contracts/aws-limits';
import { buildConsumerApp } from '../consumer-app/app';
import { cdkJsonContext, NO_BUNDLING } from './helpers';

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
  const properties = (type: string) =>
    Object.values(template.findResources(type) as Resources).map((r) => r.Properties);
  const names = (type: string, read: (p: Record<string, unknown>) => unknown) =>
    properties(type).map((p) => read(p) as string);

  it('synthesizes with no cdk-nag AwsSolutions finding', () => {
    expect(new AwsSolutionsChecks().validateScope(consumer.stack).violations).toEqual([]);
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
    // 14 alarms per event type (test/infra/alarms.test.ts), 4 saved log queries per pipeline.
    expect(alarms).toHaveLength(ALARM_RUNBOOK.length * 3);
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
