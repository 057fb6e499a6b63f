import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseMaxAge } from '../../cli/commands/verify';
import { ALARM_RUNBOOK, SCHEDULED_RULES_ALARM_RUNBOOK } from '../../infra/constructs/alarm-runbook';
import { makeFakeToken } from '../../local/events-api-simulator';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { awsError, stackWithOutputs } from './aws-fakes';
import { output, runCli } from './cli-harness';

const cloudFormation = mockClient(CloudFormationClient);
const dynamo = mockClient(DynamoDBClient);
const secrets = mockClient(SecretsManagerClient);
const s3 = mockClient(S3Client);
const athena = mockClient(AthenaClient);
const cloudWatch = mockClient(CloudWatchClient);

const STACK = 'OnePasswordEvents';
const NOW = Date.parse('2026-11-30T12:00:00Z');
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:op-token-AbCdEf';
const BUCKET = 'op-events-bucket';
const TOKEN = makeFakeToken({
  host: 'events.1password.com',
  features: [...EVENT_TYPES],
  issuedAt: new Date('2026-11-01T00:00:00Z'),
  expiresAt: new Date('2027-11-01T00:00:00Z'),
});
const OUTPUTS: Record<string, string> = {
  CursorTableName: 'cursors',
  TokenSecretArn: SECRET_ARN,
  EventsBucketName: BUCKET,
  AthenaWorkGroupName: 'OnePasswordEvents-events',
  GlueDatabaseName: 'onepassword_events',
  EventTypes: EVENT_TYPES.join(','),
};
const ALARMS = EVENT_TYPES.flatMap((t) => [`${STACK}-${t}-failed-runs`, `${STACK}-${t}-no-events`]);

interface LastRun {
  result: 'ok' | 'failed';
  finishedMinutesAgo: number;
  error?: string;
}

function cursorItem(
  type: EventType,
  run: LastRun | undefined,
  totalEvents = 120,
): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    pk: { S: `cursor#${type}` },
    total_events: { N: String(totalEvents) },
  };
  if (run) {
    item.last_run = {
      M: {
        run_id: { S: 'r1' },
        started_at: { S: new Date(NOW - run.finishedMinutesAgo * 60_000 - 2_000).toISOString() },
        finished_at: { S: new Date(NOW - run.finishedMinutesAgo * 60_000).toISOString() },
        result: { S: run.result },
        events: { N: '7' },
        pages: { N: '1' },
        stop_reason: { S: 'caught_up' },
        ...(run.error ? { error: { S: run.error } } : {}),
      },
    };
  }
  return item;
}

function stackRows(rows: Partial<Record<EventType, Record<string, AttributeValue>>>) {
  dynamo.on(GetItemCommand).callsFake((input: { Key: { pk: { S: string } } }) => {
    const type = input.Key.pk.S.replace('cursor#', '') as EventType;
    return { Item: rows[type] };
  });
}

function athenaAnswers(
  rowsPerView: Partial<Record<string, number>> = {},
  failing: Record<string, string> = {},
) {
  let started = '';
  athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
    started = /FROM (\w+)/.exec(input.QueryString)?.[1] ?? '';
    return { QueryExecutionId: `q-${started}` };
  });
  athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => {
    const view = input.QueryExecutionId.slice(2);
    const reason = failing[view];
    return {
      QueryExecution: {
        QueryExecutionId: input.QueryExecutionId,
        StatementType: 'DML',
        Status: reason ? { State: 'FAILED', StateChangeReason: reason } : { State: 'SUCCEEDED' },
        Statistics: { DataScannedInBytes: 3 * 2 ** 20, TotalExecutionTimeInMillis: 1_400 },
      },
    };
  });
  athena.on(GetQueryResultsCommand).callsFake((input: { QueryExecutionId: string }) => {
    const view = input.QueryExecutionId.slice(2);
    const n = rowsPerView[view] ?? 1;
    const rows = [{ Data: [{ VarCharValue: 'uuid' }] }];
    for (let i = 0; i < n; i++) rows.push({ Data: [{ VarCharValue: `U${i}` }] });
    return {
      ResultSet: { Rows: rows, ResultSetMetadata: { ColumnInfo: [{ Name: 'uuid', Type: 'varchar' }] } },
    };
  });
  return () => started;
}

function bucketListing(keys: Record<string, string[]>) {
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => {
    const found = Object.entries(keys)
      .filter(([prefix]) => prefix.startsWith(input.Prefix))
      .flatMap(([, k]) => k);
    return { Contents: found.map((Key) => ({ Key })), KeyCount: found.length, IsTruncated: false };
  });
}

function alarmStates(
  states: Record<string, { state: string; reason?: string }> = {},
  alarmNames: readonly string[] = ALARMS,
) {
  cloudFormation.on(ListStackResourcesCommand).resolves({
    StackResourceSummaries: [
      ...alarmNames.map((name, i) => ({
        LogicalResourceId: `Alarm${i}`,
        PhysicalResourceId: name,
        ResourceType: 'AWS::CloudWatch::Alarm',
        ResourceStatus: 'CREATE_COMPLETE' as const,
        LastUpdatedTimestamp: new Date(NOW),
      })),
      {
        LogicalResourceId: 'CursorTable',
        PhysicalResourceId: 'cursors',
        ResourceType: 'AWS::DynamoDB::Table',
        ResourceStatus: 'CREATE_COMPLETE' as const,
        LastUpdatedTimestamp: new Date(NOW),
      },
    ],
  });
  cloudWatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
    MetricAlarms: input.AlarmNames.map((AlarmName) => ({
      AlarmName,
      StateValue: states[AlarmName]?.state ?? 'OK',
      StateReason: states[AlarmName]?.reason,
    })),
    CompositeAlarms: [],
  }));
}

const EVENT_KEYS = Object.fromEntries(
  EVENT_TYPES.map((t) => [`events/${t}/`, [`events/${t}/dt=2026-11-30/${t}-1.gz`]]),
);

function healthyStack() {
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves(stackWithOutputs(STACK, OUTPUTS));
  stackRows(
    Object.fromEntries(EVENT_TYPES.map((t) => [t, cursorItem(t, { result: 'ok', finishedMinutesAgo: 1 })])),
  );
  secrets
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
    .resolves({ SecretString: JSON.stringify({ token: TOKEN }) });
  bucketListing(EVENT_KEYS);
  athenaAnswers();
  alarmStates();
}

const verify = (...extra: string[]) => runCli(['verify', '--stack', STACK, ...extra], {}, () => NOW);

/** The table row of one check: `RESULT  check  detail`. */
function rowOf(stdout: string, check: string): string {
  return stdout.split('\n').find((line) => new RegExp(`^(PASS|WARN|FAIL)\\s+${check}\\s`).test(line)) ?? '';
}

beforeEach(() => {
  for (const mock of [cloudFormation, dynamo, secrets, s3, athena, cloudWatch]) mock.reset();
  healthyStack();
});

describe('op-events verify --stack: a healthy stack', () => {
  it('passes every check, exits 0 and never prints the token', async () => {
    const result = await verify();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Verifying stack ${STACK} (collects auditevents, itemusages, signinattempts)`,
    );
    for (const type of EVENT_TYPES) {
      expect(rowOf(result.stdout, `collector ${type}`)).toMatch(
        /^PASS .* last run 1m ago: ok, 7 events, 1 page, stop caught_up\.$/,
      );
      expect(rowOf(result.stdout, `s3 events/${type}/`)).toMatch(
        /^PASS .*e\.g\. events\/\w+\/dt=2026-11-30\//,
      );
      expect(rowOf(result.stdout, `view ${type}_unique`)).toMatch(
        /^PASS .* answered in 1\.4 s with a row \(3\.00 MB scanned, \$0\.000048\)\.$/,
      );
    }
    expect(rowOf(result.stdout, 's3 errors/')).toMatch(
      /^PASS .* no objects in s3:\/\/op-events-bucket\/errors\/$/,
    );
    expect(rowOf(result.stdout, 'alarms')).toMatch(/^PASS .* none of 6 in ALARM\.$/);
    expect(rowOf(result.stdout, 'token secret')).toMatch(
      /^PASS .* is set \(a token for events\.1password\.com, expires 2027-11-01 00:00:00Z, in 335d 12h; the value is never shown\)\.$/,
    );
    expect(result.stdout).toContain('12 passed, 0 warnings, 0 failed. The stack works.');
    expect(result.stdout).not.toContain('What to do:');
    expect(output(result)).not.toContain(TOKEN);
  });

  it('asks AWS about the resources the stack outputs name', async () => {
    await verify();
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(GetItemCommand).map((c) => c.args[0].input.TableName)).toEqual([
      'cursors',
      'cursors',
      'cursors',
    ]);
    const prefixes = s3
      .commandCalls(ListObjectsV2Command)
      .map((c) => [c.args[0].input.Bucket, c.args[0].input.Prefix]);
    expect(prefixes).toEqual([
      [BUCKET, 'events/auditevents/'],
      [BUCKET, 'events/itemusages/'],
      [BUCKET, 'events/signinattempts/'],
      [BUCKET, 'errors/'],
    ]);
    const queries = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => q.QueryString)).toEqual([
      "SELECT * FROM auditevents_unique WHERE dt = '2026-11-30' LIMIT 1",
      "SELECT * FROM itemusages_unique WHERE dt = '2026-11-30' LIMIT 1",
      "SELECT * FROM signinattempts_unique WHERE dt = '2026-11-30' LIMIT 1",
    ]);
    expect(queries[0]).toMatchObject({
      WorkGroup: 'OnePasswordEvents-events',
      QueryExecutionContext: { Database: 'onepassword_events' },
    });
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input).toEqual({
      AlarmNames: ALARMS,
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      MaxRecords: 100,
    });
  });

  it('--json prints one object with every check and passed: true', async () => {
    const result = await verify('--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ stack: STACK, passed: true, counts: { pass: 12, warn: 0, fail: 0 } });
    expect(report.checks.map((c: { check: string }) => c.check)).toEqual([
      'collector auditevents',
      'collector itemusages',
      'collector signinattempts',
      'token secret',
      's3 events/auditevents/',
      's3 events/itemusages/',
      's3 events/signinattempts/',
      's3 errors/',
      'view auditevents_unique',
      'view itemusages_unique',
      'view signinattempts_unique',
      'alarms',
    ]);
    expect(result.stdout).not.toContain(TOKEN);
  });
});

describe('op-events verify: each check fails with what to do (exit 1)', () => {
  it('a collector that never ran, one whose last run failed, one that stopped running', async () => {
    stackRows({
      auditevents: cursorItem('auditevents', undefined, 0),
      itemusages: cursorItem('itemusages', {
        result: 'failed',
        finishedMinutesAgo: 2,
        error: 'AuthError: 401 Unauthorized',
      }),
      signinattempts: cursorItem('signinattempts', { result: 'ok', finishedMinutesAgo: 45 }),
    });
    const result = await verify();
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, 'collector auditevents')).toMatch(/^FAIL .* has never run/);
    expect(rowOf(result.stdout, 'collector itemusages')).toMatch(
      /^FAIL .* last run \(2m ago\) failed: AuthError: 401 Unauthorized$/,
    );
    expect(rowOf(result.stdout, 'collector signinattempts')).toMatch(
      /^FAIL .* last run finished 45m ago, longer ago than 15m\.$/,
    );
    expect(result.stdout).toContain(
      '  FAIL collector auditevents: Runs start within a minute of the deploy. If it has been longer, check that its EventBridge Scheduler schedule is enabled and read the logs of the function in stack output CollectorFunctionAuditevents.',
    );
    expect(result.stdout).toContain('3 failed. The stack is not working yet: see above.');
  });

  it('--max-age accepts a slower schedule', async () => {
    stackRows(
      Object.fromEntries(
        EVENT_TYPES.map((t) => [t, cursorItem(t, { result: 'ok', finishedMinutesAgo: 45 })]),
      ),
    );
    expect((await verify()).code).toBe(1);
    const result = await verify('--max-age', '2h');
    expect(result.code).toBe(0);
    expect(rowOf(result.stdout, 'collector itemusages')).toMatch(/^PASS .* last run 45m ago: ok/);
  });

  it('objects under errors/ fail, naming their folders', async () => {
    bucketListing({
      ...EVENT_KEYS,
      'errors/itemusages/': [
        'errors/itemusages/AmazonS3Exception/2026/11/30/a.gz',
        'errors/itemusages/processing-failed/2026/11/30/b.gz',
        'errors/itemusages/processing-failed/2026/11/30/c.gz',
      ],
    });
    const result = await verify();
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, 's3 errors/')).toBe(
      'FAIL    s3 errors/                  3 objects in s3://op-events-bucket/errors/ (itemusages/AmazonS3Exception, itemusages/processing-failed), e.g. errors/itemusages/AmazonS3Exception/2026/11/30/a.gz',
    );
    expect(result.stdout).toContain(
      '  FAIL s3 errors/: Each holds records Firehose could not partition or deliver;',
    );
  });

  it('no objects for a type that delivered events fails; for a type with none yet it warns', async () => {
    stackRows({
      auditevents: cursorItem('auditevents', { result: 'ok', finishedMinutesAgo: 1 }, 0),
      itemusages: cursorItem('itemusages', { result: 'ok', finishedMinutesAgo: 1 }, 50),
      signinattempts: cursorItem('signinattempts', { result: 'ok', finishedMinutesAgo: 1 }),
    });
    bucketListing({ 'events/signinattempts/': ['events/signinattempts/dt=2026-11-02/x.gz'] });
    athenaAnswers({ auditevents_unique: 0, itemusages_unique: 0 });
    const result = await verify();
    expect(result.code).toBe(1);
    // Each view is probed on one day: one S3 holds, else today (UTC).
    expect(athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString)).toEqual([
      "SELECT * FROM auditevents_unique WHERE dt = '2026-11-30' LIMIT 1",
      "SELECT * FROM itemusages_unique WHERE dt = '2026-11-30' LIMIT 1",
      "SELECT * FROM signinattempts_unique WHERE dt = '2026-11-02' LIMIT 1",
    ]);
    expect(rowOf(result.stdout, 's3 events/auditevents/')).toMatch(
      /^WARN .* no objects yet in s3:\/\/op-events-bucket\/events\/auditevents\/, and the collector has delivered no auditevents events\.$/,
    );
    expect(rowOf(result.stdout, 's3 events/itemusages/')).toMatch(
      /^FAIL .* no objects in s3:\/\/op-events-bucket\/events\/itemusages\/, although the collector has delivered 50 events\.$/,
    );
    expect(result.stdout).toContain(
      'Firehose writes after its buffer interval (firehoseBufferSeconds, 60 s by default, up to 1.5 times that with dynamic partitioning): wait that long. If it stays empty, read the log group of the delivery stream in stack output DeliveryStreamItemusages.',
    );
    expect(rowOf(result.stdout, 'view auditevents_unique')).toMatch(
      /^PASS .* answered in 1\.4 s, no rows yet/,
    );
  });

  it('warns only (exit 0) when a type has had no events yet', async () => {
    stackRows({
      ...Object.fromEntries(
        EVENT_TYPES.map((t) => [t, cursorItem(t, { result: 'ok', finishedMinutesAgo: 1 })]),
      ),
      auditevents: cursorItem('auditevents', { result: 'ok', finishedMinutesAgo: 1 }, 0),
    });
    bucketListing({ 'events/itemusages/': ['k1'], 'events/signinattempts/': ['k2'] });
    athenaAnswers({ auditevents_unique: 0 });
    const result = await verify();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('11 passed, 1 warning, 0 failed. The stack works.');
  });

  it('a view that does not exist fails with how to create it', async () => {
    athenaAnswers(
      {},
      {
        itemusages_unique:
          "TABLE_NOT_FOUND: line 1:18: Table 'awsdatacatalog.onepassword_events.itemusages_unique' does not exist",
      },
    );
    const result = await verify();
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, 'view itemusages_unique')).toMatch(
      /^FAIL .* Athena query q-itemusages_unique FAILED: TABLE_NOT_FOUND: line 1:18: Table 'awsdatacatalog\.onepassword_events\.itemusages_unique' does not exist$/,
    );
    expect(result.stdout).toContain(
      `  FAIL view itemusages_unique: The deploy creates the view (a Glue view of the stack): deploy stack ${STACK} again to re-create it.`,
    );
  });

  it('a view with no rows over stored events warns', async () => {
    athenaAnswers({ signinattempts_unique: 0 });
    const result = await verify();
    expect(result.code).toBe(0);
    expect(rowOf(result.stdout, 'view signinattempts_unique')).toMatch(
      /^WARN .* answered in 1\.4 s with no rows, although S3 has objects under events\/signinattempts\//,
    );
  });

  it('an alarm in ALARM fails with its reason; alarms without data pass', async () => {
    alarmStates({
      [`${STACK}-itemusages-failed-runs`]: {
        state: 'ALARM',
        reason: 'Threshold Crossed: 3 datapoints were >= 3',
      },
      [`${STACK}-auditevents-no-events`]: { state: 'INSUFFICIENT_DATA' },
    });
    const failing = await verify();
    expect(failing.code).toBe(1);
    expect(rowOf(failing.stdout, 'alarms')).toMatch(
      /^FAIL .* 1 of 6 in ALARM: OnePasswordEvents-itemusages-failed-runs \(Threshold Crossed: 3 datapoints were >= 3\)$/,
    );

    alarmStates({ [`${STACK}-auditevents-no-events`]: { state: 'INSUFFICIENT_DATA' } });
    const waiting = await verify();
    expect(waiting.code).toBe(0);
    expect(rowOf(waiting.stdout, 'alarms')).toMatch(
      /^PASS .* none of 6 in ALARM \(1 without data yet, normal in the first hours\)\.$/,
    );
  });

  it("with the pipeline's NamePrefix output, checks only that pipeline's alarms", async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: STACK })
      .resolves(stackWithOutputs(STACK, { ...OUTPUTS, NamePrefix: `${STACK}-auditevents` }));
    alarmStates({ [`${STACK}-itemusages-failed-runs`]: { state: 'ALARM', reason: 'another pipeline' } });
    const result = await verify();
    // Only the two alarms named <prefix>-...: the one in ALARM belongs to another prefix.
    expect(rowOf(result.stdout, 'alarms')).toMatch(/^PASS .* none of 2 in ALARM\.$/);
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input.AlarmNames).toEqual([
      `${STACK}-auditevents-failed-runs`,
      `${STACK}-auditevents-no-events`,
    ]);
  });

  it("checks the scheduled detection rules' alarms with the collectors', as the default stack names them", async () => {
    const prefix = `${STACK}-Pipeline-A43C0000`;
    cloudFormation
      .on(DescribeStacksCommand, { StackName: STACK })
      .resolves(stackWithOutputs(STACK, { ...OUTPUTS, NamePrefix: prefix }));
    // The names the default stack gives its alarms (test/infra/alarms.test.ts checks them on the template).
    const names = [
      ...EVENT_TYPES.flatMap((type) => ALARM_RUNBOOK.map((entry) => `${prefix}-${type}-${entry.suffix}`)),
      ...SCHEDULED_RULES_ALARM_RUNBOOK.map((entry) => `${prefix}-scheduled-rules-${entry.suffix}`),
    ];
    alarmStates({}, names);
    expect(rowOf((await verify()).stdout, 'alarms')).toMatch(
      new RegExp(`^PASS .* none of ${names.length} in ALARM\\.$`),
    );
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[0]?.args[0].input.AlarmNames).toEqual(names);

    const failedRule = `${prefix}-scheduled-rules-rule-failures`;
    alarmStates({ [failedRule]: { state: 'ALARM', reason: 'Threshold Crossed: 1 datapoint' } }, names);
    const failing = await verify();
    expect(failing.code).toBe(1);
    expect(rowOf(failing.stdout, 'alarms')).toBe(
      `FAIL    alarms                      1 of ${names.length} in ALARM: ${failedRule} (Threshold Crossed: 1 datapoint)`,
    );
  });

  it('asks CloudWatch for at most 100 alarm names per call', async () => {
    const many = Array.from({ length: 130 }, (_, i) => `alarm-${i}`);
    cloudFormation.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: many.map((name) => ({
        LogicalResourceId: name,
        PhysicalResourceId: name,
        ResourceType: 'AWS::CloudWatch::Alarm',
        ResourceStatus: 'CREATE_COMPLETE' as const,
        LastUpdatedTimestamp: new Date(NOW),
      })),
    });
    const result = await verify();
    expect(rowOf(result.stdout, 'alarms')).toMatch(/^PASS .* none of 130 in ALARM\.$/);
    expect(
      cloudWatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames?.length),
    ).toEqual([100, 30]);
  });

  it('follows NextToken: an alarm on the second page of answers still counts', async () => {
    cloudWatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({
        MetricAlarms: ALARMS.slice(0, 4).map((AlarmName) => ({ AlarmName, StateValue: 'OK' as const })),
        NextToken: 'page-2',
      })
      .resolves({
        MetricAlarms: ALARMS.slice(4).map((AlarmName) => ({ AlarmName, StateValue: 'ALARM' as const })),
      });
    const result = await verify();
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, 'alarms')).toMatch(/^FAIL .* 2 of 6 in ALARM: /);
    expect(cloudWatch.commandCalls(DescribeAlarmsCommand)[1]?.args[0].input.NextToken).toBe('page-2');
  });

  it('the placeholder secret fails; the fix says how to set it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"token":""}' });
    const result = await verify();
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, 'token secret')).toMatch(
      /^FAIL .* still holds the placeholder the deploy put there: every run fails until it is set\.$/,
    );
    expect(result.stdout).toContain(
      `  FAIL token secret: Set it with: aws secretsmanager put-secret-value --secret-id ${SECRET_ARN} --secret-string file://op-token.txt (a file holding only the token; delete it afterwards; docs/deploy.md, step 3).`,
    );
  });

  it('an expired token fails and a token without a collected feature warns, neither printed', async () => {
    const expired = makeFakeToken({
      host: 'events.1password.com',
      features: [...EVENT_TYPES],
      expiresAt: new Date(NOW - 3 * 86_400_000),
    });
    secrets.on(GetSecretValueCommand).resolves({ SecretString: expired });
    const old = await verify();
    expect(old.code).toBe(1);
    expect(rowOf(old.stdout, 'token secret')).toMatch(
      /^FAIL .* is set, but the token expired 3d ago \(2026-11-27 12:00:00Z\)\.$/,
    );
    expect(output(old)).not.toContain(expired);

    const partial = makeFakeToken({ host: 'events.1password.eu', features: ['signinattempts'] });
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: partial }) });
    const narrow = await verify();
    expect(narrow.code).toBe(0);
    expect(rowOf(narrow.stdout, 'token secret')).toMatch(
      /^WARN .* but its claims do not grant auditevents, itemusages, which the stack collects\.$/,
    );
    expect(output(narrow)).not.toContain(partial);
  });

  it('a refused call fails its check, names the permission, and the other checks still run', async () => {
    const denied = awsError('AccessDenied', 'User is not authorized to perform: s3:ListBucket');
    s3.on(ListObjectsV2Command).rejects(denied);
    const result = await verify();
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, 's3 errors/')).toMatch(
      /^FAIL .* AWS refused the request while listing s3:\/\/op-events-bucket\/errors\//,
    );
    expect(result.stdout).toContain(
      '  FAIL s3 errors/: The check needs s3:ListBucket on op-events-bucket; run verify with credentials that have it.',
    );
    expect(rowOf(result.stdout, 'alarms')).toMatch(/^PASS/);
    // Whether the view saw events is unknown, so an empty view is not blamed on the table.
    expect(rowOf(result.stdout, 'view auditevents_unique')).toMatch(/^PASS/);
  });

  it('an unreadable cursor table fails the collectors check', async () => {
    dynamo.on(GetItemCommand).rejects(awsError('AccessDeniedException', 'no access'));
    const result = await verify();
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, 'collectors')).toMatch(
      /^FAIL .* AWS refused the request while using table cursors/,
    );
    expect(result.stdout).toContain('  FAIL collectors: The check needs dynamodb:GetItem on table cursors;');
  });
});

describe('op-events verify output, pinned as it is printed', () => {
  it('a healthy stack: the table and summary, and the one --json object', async () => {
    const text = await verify();
    expect(text.code).toBe(0);
    expect(text.stdout).toMatchInlineSnapshot(`
      "Verifying stack OnePasswordEvents (collects auditevents, itemusages, signinattempts)

      result  check                       detail
      ------  --------------------------  ---------------------------------------------------------------------------------------------------------------------
      PASS    collector auditevents       last run 1m ago: ok, 7 events, 1 page, stop caught_up.
      PASS    collector itemusages        last run 1m ago: ok, 7 events, 1 page, stop caught_up.
      PASS    collector signinattempts    last run 1m ago: ok, 7 events, 1 page, stop caught_up.
      PASS    token secret                is set (a token for events.1password.com, expires 2027-11-01 00:00:00Z, in 335d 12h; the value is never shown).
      PASS    s3 events/auditevents/      objects in s3://op-events-bucket/events/auditevents/, e.g. events/auditevents/dt=2026-11-30/auditevents-1.gz
      PASS    s3 events/itemusages/       objects in s3://op-events-bucket/events/itemusages/, e.g. events/itemusages/dt=2026-11-30/itemusages-1.gz
      PASS    s3 events/signinattempts/   objects in s3://op-events-bucket/events/signinattempts/, e.g. events/signinattempts/dt=2026-11-30/signinattempts-1.gz
      PASS    s3 errors/                  no objects in s3://op-events-bucket/errors/
      PASS    view auditevents_unique     answered in 1.4 s with a row (3.00 MB scanned, $0.000048).
      PASS    view itemusages_unique      answered in 1.4 s with a row (3.00 MB scanned, $0.000048).
      PASS    view signinattempts_unique  answered in 1.4 s with a row (3.00 MB scanned, $0.000048).
      PASS    alarms                      none of 6 in ALARM.

      12 passed, 0 warnings, 0 failed. The stack works.
      "
    `);
    const json = await verify('--json');
    expect(json.code).toBe(0);
    expect(json.stdout).toMatchInlineSnapshot(`
      "{"stack":"OnePasswordEvents","pipeline":"","passed":true,"counts":{"pass":12,"warn":0,"fail":0},"checks":[{"check":"collector auditevents","status":"pass","detail":"last run 1m ago: ok, 7 events, 1 page, stop caught_up."},{"check":"collector itemusages","status":"pass","detail":"last run 1m ago: ok, 7 events, 1 page, stop caught_up."},{"check":"collector signinattempts","status":"pass","detail":"last run 1m ago: ok, 7 events, 1 page, stop caught_up."},{"check":"token secret","status":"pass","detail":"is set (a token for events.1password.com, expires 2027-11-01 00:00:00Z, in 335d 12h; the value is never shown)."},{"check":"s3 events/auditevents/","status":"pass","detail":"objects in s3://op-events-bucket/events/auditevents/, e.g. events/auditevents/dt=2026-11-30/auditevents-1.gz"},{"check":"s3 events/itemusages/","status":"pass","detail":"objects in s3://op-events-bucket/events/itemusages/, e.g. events/itemusages/dt=2026-11-30/itemusages-1.gz"},{"check":"s3 events/signinattempts/","status":"pass","detail":"objects in s3://op-events-bucket/events/signinattempts/, e.g. events/signinattempts/dt=2026-11-30/signinattempts-1.gz"},{"check":"s3 errors/","status":"pass","detail":"no objects in s3://op-events-bucket/errors/"},{"check":"view auditevents_unique","status":"pass","detail":"answered in 1.4 s with a row (3.00 MB scanned, $0.000048)."},{"check":"view itemusages_unique","status":"pass","detail":"answered in 1.4 s with a row (3.00 MB scanned, $0.000048)."},{"check":"view signinattempts_unique","status":"pass","detail":"answered in 1.4 s with a row (3.00 MB scanned, $0.000048)."},{"check":"alarms","status":"pass","detail":"none of 6 in ALARM."}]}
      "
    `);
  });

  it('failing checks: the table, what to do and the summary, and --json (exit 1)', async () => {
    stackRows({
      auditevents: cursorItem('auditevents', undefined, 0),
      itemusages: cursorItem('itemusages', {
        result: 'failed',
        finishedMinutesAgo: 2,
        error: 'AuthError: 401',
      }),
      signinattempts: cursorItem('signinattempts', { result: 'ok', finishedMinutesAgo: 1 }),
    });
    bucketListing({
      ...EVENT_KEYS,
      'errors/itemusages/': ['errors/itemusages/processing-failed/2026/11/30/b.gz'],
    });
    const text = await verify();
    expect(text.code).toBe(1);
    expect(text.stdout).toMatchInlineSnapshot(`
      "Verifying stack OnePasswordEvents (collects auditevents, itemusages, signinattempts)

      result  check                       detail
      ------  --------------------------  ----------------------------------------------------------------------------------------------------------------------------------
      FAIL    collector auditevents       has never run (no run recorded in the cursor table).
      FAIL    collector itemusages        last run (2m ago) failed: AuthError: 401
      PASS    collector signinattempts    last run 1m ago: ok, 7 events, 1 page, stop caught_up.
      PASS    token secret                is set (a token for events.1password.com, expires 2027-11-01 00:00:00Z, in 335d 12h; the value is never shown).
      PASS    s3 events/auditevents/      objects in s3://op-events-bucket/events/auditevents/, e.g. events/auditevents/dt=2026-11-30/auditevents-1.gz
      PASS    s3 events/itemusages/       objects in s3://op-events-bucket/events/itemusages/, e.g. events/itemusages/dt=2026-11-30/itemusages-1.gz
      PASS    s3 events/signinattempts/   objects in s3://op-events-bucket/events/signinattempts/, e.g. events/signinattempts/dt=2026-11-30/signinattempts-1.gz
      FAIL    s3 errors/                  1 object in s3://op-events-bucket/errors/ (itemusages/processing-failed), e.g. errors/itemusages/processing-failed/2026/11/30/b.gz
      PASS    view auditevents_unique     answered in 1.4 s with a row (3.00 MB scanned, $0.000048).
      PASS    view itemusages_unique      answered in 1.4 s with a row (3.00 MB scanned, $0.000048).
      PASS    view signinattempts_unique  answered in 1.4 s with a row (3.00 MB scanned, $0.000048).
      PASS    alarms                      none of 6 in ALARM.

      What to do:
        FAIL collector auditevents: Runs start within a minute of the deploy. If it has been longer, check that its EventBridge Scheduler schedule is enabled and read the logs of the function in stack output CollectorFunctionAuditevents.
        FAIL collector itemusages: Read the error and the logs of the function in stack output CollectorFunctionItemusages. Until the token is set every run fails (docs/deploy.md, step 3); the Alarms table of docs/deploy.md says what each failure needs.
        FAIL s3 errors/: Each holds records Firehose could not partition or deliver; the folder names the error type and the delivery stream's log group says why. They are not in the tables: see docs/deploy.md (Partitioning and storage choices).

      9 passed, 0 warnings, 3 failed. The stack is not working yet: see above.
      "
    `);
    const json = await verify('--json');
    expect(json.code).toBe(1);
    expect(json.stdout).toMatchInlineSnapshot(`
      "{"stack":"OnePasswordEvents","pipeline":"","passed":false,"counts":{"pass":9,"warn":0,"fail":3},"checks":[{"check":"collector auditevents","status":"fail","detail":"has never run (no run recorded in the cursor table).","fix":"Runs start within a minute of the deploy. If it has been longer, check that its EventBridge Scheduler schedule is enabled and read the logs of the function in stack output CollectorFunctionAuditevents."},{"check":"collector itemusages","status":"fail","detail":"last run (2m ago) failed: AuthError: 401","fix":"Read the error and the logs of the function in stack output CollectorFunctionItemusages. Until the token is set every run fails (docs/deploy.md, step 3); the Alarms table of docs/deploy.md says what each failure needs."},{"check":"collector signinattempts","status":"pass","detail":"last run 1m ago: ok, 7 events, 1 page, stop caught_up."},{"check":"token secret","status":"pass","detail":"is set (a token for events.1password.com, expires 2027-11-01 00:00:00Z, in 335d 12h; the value is never shown)."},{"check":"s3 events/auditevents/","status":"pass","detail":"objects in s3://op-events-bucket/events/auditevents/, e.g. events/auditevents/dt=2026-11-30/auditevents-1.gz"},{"check":"s3 events/itemusages/","status":"pass","detail":"objects in s3://op-events-bucket/events/itemusages/, e.g. events/itemusages/dt=2026-11-30/itemusages-1.gz"},{"check":"s3 events/signinattempts/","status":"pass","detail":"objects in s3://op-events-bucket/events/signinattempts/, e.g. events/signinattempts/dt=2026-11-30/signinattempts-1.gz"},{"check":"s3 errors/","status":"fail","detail":"1 object in s3://op-events-bucket/errors/ (itemusages/processing-failed), e.g. errors/itemusages/processing-failed/2026/11/30/b.gz","fix":"Each holds records Firehose could not partition or deliver; the folder names the error type and the delivery stream's log group says why. They are not in the tables: see docs/deploy.md (Partitioning and storage choices)."},{"check":"view auditevents_unique","status":"pass","detail":"answered in 1.4 s with a row (3.00 MB scanned, $0.000048)."},{"check":"view itemusages_unique","status":"pass","detail":"answered in 1.4 s with a row (3.00 MB scanned, $0.000048)."},{"check":"view signinattempts_unique","status":"pass","detail":"answered in 1.4 s with a row (3.00 MB scanned, $0.000048)."},{"check":"alarms","status":"pass","detail":"none of 6 in ALARM."}]}
      "
    `);
  });

  it('a stack without its outputs: a check per missing output, as text and --json (exit 1)', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(stackWithOutputs(STACK, { AthenaWorkGroupName: 'wg' }));
    const text = await verify();
    expect(text.code).toBe(1);
    expect(text.stdout).toMatchInlineSnapshot(`
      "Verifying stack OnePasswordEvents (collects auditevents, itemusages, signinattempts)

      result  check          detail
      ------  -------------  -------------------------------------------------------
      FAIL    collectors     stack OnePasswordEvents has no output CursorTableName.
      FAIL    token secret   stack OnePasswordEvents has no output TokenSecretArn.
      FAIL    events bucket  stack OnePasswordEvents has no output EventsBucketName.
      FAIL    views          stack OnePasswordEvents has no output GlueDatabaseName.
      PASS    alarms         none of 6 in ALARM.

      What to do:
        FAIL collectors: Deploy it again with the current version of the construct (npx cdk deploy): it publishes every output the CLI reads.
        FAIL token secret: Deploy it again with the current version of the construct (npx cdk deploy): it publishes every output the CLI reads.
        FAIL events bucket: Deploy it again with the current version of the construct (npx cdk deploy): it publishes every output the CLI reads.
        FAIL views: Deploy it again with the current version of the construct (npx cdk deploy): it publishes every output the CLI reads.

      1 passed, 0 warnings, 4 failed. The stack is not working yet: see above.
      "
    `);
    const json = await verify('--json');
    expect(json.code).toBe(1);
    expect(json.stdout).toMatchInlineSnapshot(`
      "{"stack":"OnePasswordEvents","pipeline":"","passed":false,"counts":{"pass":1,"warn":0,"fail":4},"checks":[{"check":"collectors","status":"fail","detail":"stack OnePasswordEvents has no output CursorTableName.","fix":"Deploy it again with the current version of the construct (npx cdk deploy): it publishes every output the CLI reads."},{"check":"token secret","status":"fail","detail":"stack OnePasswordEvents has no output TokenSecretArn.","fix":"Deploy it again with the current version of the construct (npx cdk deploy): it publishes every output the CLI reads."},{"check":"events bucket","status":"fail","detail":"stack OnePasswordEvents has no output EventsBucketName.","fix":"Deploy it again with the current version of the construct (npx cdk deploy): it publishes every output the CLI reads."},{"check":"views","status":"fail","detail":"stack OnePasswordEvents has no output GlueDatabaseName.","fix":"Deploy it again with the current version of the construct (npx cdk deploy): it publishes every output the CLI reads."},{"check":"alarms","status":"pass","detail":"none of 6 in ALARM."}]}
      "
    `);
  });
});

describe('op-events verify: usage', () => {
  it('needs --stack (exit 2)', async () => {
    const result = await runCli(['verify']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('verify checks a deployed stack: give --stack NAME');
  });

  it('a stack that does not exist is exit 2, before any check runs', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(awsError('ValidationException', 'Stack with id Nope does not exist'));
    const result = await runCli(['verify', '--stack', 'Nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Stack Nope does not exist in this account and region.');
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('a missing output fails its checks, naming the output', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(stackWithOutputs(STACK, { CursorTableName: 'cursors' }));
    const result = await verify();
    expect(result.code).toBe(1);
    expect(rowOf(result.stdout, 'events bucket')).toMatch(
      /^FAIL .* stack OnePasswordEvents has no output EventsBucketName\.$/,
    );
    expect(rowOf(result.stdout, 'token secret')).toMatch(/has no output TokenSecretArn/);
    expect(rowOf(result.stdout, 'views')).toMatch(/has no output AthenaWorkGroupName/);
  });

  it.each(['0m', '15', '1d', 'soon'])('--max-age %s is refused', (value) => {
    expect(() => parseMaxAge(value)).toThrow(
      /--max-age .* is not a duration: give minutes or hours such as 15m or 2h\./,
    );
  });

  it('--max-age takes minutes and hours', () => {
    expect(parseMaxAge(undefined)).toBe(15 * 60_000);
    expect(parseMaxAge('90m')).toBe(90 * 60_000);
    expect(parseMaxAge('2H')).toBe(2 * 3_600_000);
  });
});
