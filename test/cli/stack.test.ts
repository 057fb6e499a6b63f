import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readStackResources } from '../../cli/stack-resources';
import { output, runCli, startTestApi, type TestApi } from './cli-harness';

const cloudFormation = mockClient(CloudFormationClient);
const dynamo = mockClient(DynamoDBClient);
const firehose = mockClient(FirehoseClient);
const secrets = mockClient(SecretsManagerClient);

const STACK = 'op-events-prod';
const OUTPUTS = {
  CursorTableName: 'prod-cursors',
  TokenSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:op-events-token-AbCdEf',
  DeliveryStreamSigninattempts: 'prod-signinattempts',
  DeliveryStreamItemusages: 'prod-itemusages',
  AthenaWorkGroupName: 'prod-wg',
  GlueDatabaseName: 'prod_db',
  EventTypes: 'itemusages,signinattempts',
};

function describeStacks(outputs: Record<string, string>) {
  return {
    Stacks: [
      {
        StackName: STACK,
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE' as const,
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  };
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
  api.sim.addEvents('signinattempts', [
    { uuid: 'S1', timestamp: new Date().toISOString(), category: 'success' },
  ]);
});
afterAll(() => api.stop());
beforeEach(() => {
  for (const mock of [cloudFormation, dynamo, firehose, secrets]) mock.reset();
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves(describeStacks(OUTPUTS));
});

describe('--stack: resource names from CloudFormation outputs', () => {
  it('maps the outputs the stack publishes', async () => {
    const resources = await readStackResources(new CloudFormationClient({}), STACK);
    expect(resources).toEqual({
      stackName: STACK,
      cursorTable: 'prod-cursors',
      tokenSecretArn: OUTPUTS.TokenSecretArn,
      deliveryStreams: { itemusages: 'prod-itemusages', signinattempts: 'prod-signinattempts' },
      eventTypes: ['itemusages', 'signinattempts'],
      athenaWorkGroup: 'prod-wg',
      glueDatabase: 'prod_db',
      eventsBucket: undefined,
      pipelineId: '',
      namePrefix: undefined,
    });
  });

  it('status reads the cursor table named by the stack', async () => {
    dynamo.on(GetItemCommand).resolves({
      Item: {
        pk: { S: 'cursor#signinattempts' },
        cursor: { S: 'C' },
        newest_event_time: { S: new Date(Date.now() - 120_000).toISOString() },
        total_events: { N: '42' },
        last_run: {
          M: {
            finished_at: { S: new Date().toISOString() },
            result: { S: 'ok' },
            events: { N: '7' },
            pages: { N: '1' },
            stop_reason: { S: 'caught_up' },
          },
        },
      },
    });
    const result = await runCli(['status', '--stack', STACK, '--types', 'signinattempts']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Cursor table: DynamoDB table prod-cursors');
    expect(result.stdout).toMatch(
      /signinattempts .* ok\s+7\s+1\s+caught_up .* 2m(?: \d+s)?\s+42\s+free\s+no/,
    );
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'prod-cursors',
      Key: { pk: { S: 'cursor#signinattempts' } },
    });
  });

  it('reset writes to the stack table; --table works without a stack', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'cursor#itemusages' }, cursor: { S: 'OLD' } } });
    dynamo.on(UpdateItemCommand).resolves({});
    const result = await runCli(['reset', '--type', 'itemusages', '--from', '2d', '--stack', STACK]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Reset itemusages in DynamoDB table prod-cursors');
    expect(result.stdout).toContain(`op-events undo --type itemusages --stack ${STACK}`);
    const update = dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(update?.TableName).toBe('prod-cursors');
    expect(update?.ExpressionAttributeValues?.[':history']).toMatchObject({
      L: [{ M: { cursor: { S: 'OLD' } } }],
    });

    dynamo.resetHistory();
    const direct = await runCli(['undo', '--type', 'itemusages', '--table', 'other-table']);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain('There is no reset of itemusages to undo in DynamoDB table other-table');
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('check reads the token from the stack secret and never prints it', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: OUTPUTS.TokenSecretArn })
      .resolves({ SecretString: JSON.stringify({ token: api.token }) });
    const result = await runCli(['check', '--stack', STACK], {
      EVENTS_API_URL: api.sim.url,
      EVENTS_API_ALLOW_LOOPBACK: 'true',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`token     from secret ${OUTPUTS.TokenSecretArn}`);
    expect(output(result)).not.toContain(api.token);
  });

  it('get --push sends to the stack stream with the collector sink', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: api.token });
    firehose
      .on(PutRecordBatchCommand)
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r1' }] });
    const result = await runCli(['get', '--type', 'signinattempts', '--push', '--stack', STACK], {
      EVENTS_API_URL: api.sim.url,
      EVENTS_API_ALLOW_LOOPBACK: 'true',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Pushed 1 events (1 record) to Firehose stream prod-signinattempts');
    const put = firehose.commandCalls(PutRecordBatchCommand)[0]?.args[0].input;
    expect(put?.DeliveryStreamName).toBe('prod-signinattempts');
    const line = Buffer.from(put?.Records?.[0]?.Data ?? new Uint8Array()).toString('utf8');
    expect(line).toMatch(/^\{"_collector":\{"type":"signinattempts",.*\},"uuid":"S1",.*\}\n$/);
  });

  it('names a missing output (exit 2)', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: api.token });
    const result = await runCli(['get', '--type', 'auditevents', '--push', '--stack', STACK], {
      EVENTS_API_URL: api.sim.url,
      EVENTS_API_ALLOW_LOOPBACK: 'true',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Stack ${STACK} has no output DeliveryStreamAuditevents: it collects itemusages, signinattempts, not auditevents. ` +
        'Give --type one of those, or --stream NAME.',
    );
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });

  it('a stack that does not exist is bad input (exit 2); refused credentials are exit 3', async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'nope' })
      .rejects(awsError('ValidationException', 'Stack with id nope does not exist'));
    const missing = await runCli(['status', '--stack', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Stack nope does not exist in this account and region.');
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'expired' })
      .rejects(awsError('ExpiredToken', 'The security token included in the request is expired'));
    const expired = await runCli(['status', '--stack', 'expired']);
    expect(expired.code).toBe(3);
    expect(expired.stderr).toContain('Check your AWS credentials');
  });

  it('--demo cannot be combined with AWS options', async () => {
    const result = await runCli(['check', '--demo', '--stack', STACK]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--demo uses the local simulator; it cannot be combined with --stack, --secret-id or --stream.',
    );
  });

  it('DescribeStacks answering with no stack is bad input (exit 2)', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'ghost' }).resolves({ Stacks: [] });
    const result = await runCli(['status', '--stack', 'ghost']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Stack ghost was not found. Check --stack and the AWS region.');
  });

  it('a cursor table that does not exist is bad input (exit 2), naming what was being done', async () => {
    dynamo.on(GetItemCommand).rejects(awsError('ResourceNotFoundException', 'Requested resource not found'));
    const result = await runCli(['status', '--table', 'gone', '--region', 'eu-west-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /AWS says the resource does not exist while .+ \(.*Requested resource not found.*\)\. Check the name and AWS_REGION\./,
    );
  });

  it('get --push without --stream or --stack asks for the delivery stream, sending nothing', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: api.token });
    const result = await runCli(
      [
        'get',
        '--type',
        'signinattempts',
        '--push',
        '--secret-id',
        'op-events-token',
        '--region',
        'eu-west-1',
      ],
      { EVENTS_API_URL: api.sim.url, EVENTS_API_ALLOW_LOOPBACK: 'true' },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Give the delivery stream: --stream NAME or --stack NAME.');
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });
});
