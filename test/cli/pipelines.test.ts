/**
 * The CLI finds any pipeline: the README's two-pipeline app (test/consumer-app/), synthesized, gives
 * the CloudFormation output keys a deployed stack would have; DescribeStacks answers with them.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readStackResources } from '../../cli/stack-resources';
import { buildConsumerApp } from '../consumer-app/app';
import { cdkJsonContext, NO_BUNDLING } from '../infra/helpers';
import { stackWithOutputs } from './aws-fakes';
import { runCli } from './cli-harness';

const cloudFormation = mockClient(CloudFormationClient);
const dynamo = mockClient(DynamoDBClient);

const consumer = buildConsumerApp({ context: { ...cdkJsonContext(), ...NO_BUNDLING } });
const STACK = consumer.stack.stackName;
/** The stack's outputs as CloudFormation would report them: literal values kept, references named. */
const OUTPUTS = Object.fromEntries(
  Object.entries(
    Template.fromStack(consumer.stack).toJSON().Outputs as Record<string, { Value: unknown }>,
  ).map(([key, output]) => [key, typeof output.Value === 'string' ? output.Value : `deployed-${key}`]),
);

beforeEach(() => {
  cloudFormation.reset();
  dynamo.reset();
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves(stackWithOutputs(STACK, OUTPUTS));
  dynamo.on(GetItemCommand).resolves({});
});

describe('pipelines of a stack, from their outputs', () => {
  it('each pipeline of the consumer app publishes its outputs under its pipeline id', () => {
    expect(consumer.audit.pipelineId).toBe('Audit');
    expect(consumer.access.pipelineId).toBe('Access');
    expect(OUTPUTS.AuditCursorTableName).toBe('deployed-AuditCursorTableName');
    expect(OUTPUTS.AccessEventTypes).toBe('signinattempts,itemusages');
    expect(OUTPUTS.AuditNamePrefix).toBe(consumer.audit.namePrefix);
    expect(OUTPUTS.AccessGlueDatabaseName).toBe(consumer.access.glueDatabaseName);
  });

  it('--pipeline tells the two apart', async () => {
    const client = new CloudFormationClient({});
    const audit = await readStackResources(client, STACK, 'Audit');
    const access = await readStackResources(client, STACK, 'Access');
    expect(audit).toMatchObject({
      pipelineId: 'Audit',
      cursorTable: 'deployed-AuditCursorTableName',
      eventTypes: ['auditevents'],
      deliveryStreams: { auditevents: 'deployed-AuditDeliveryStreamAuditevents' },
      glueDatabase: consumer.audit.glueDatabaseName,
      namePrefix: consumer.audit.namePrefix,
    });
    expect(access).toMatchObject({
      pipelineId: 'Access',
      cursorTable: 'deployed-AccessCursorTableName',
      eventTypes: ['signinattempts', 'itemusages'],
      eventsBucket: 'deployed-AccessEventsBucketName',
      athenaWorkGroup: 'deployed-AccessAthenaWorkGroupName',
    });
  });

  it('status --stack --pipeline reads that pipeline’s cursor table', async () => {
    const result = await runCli([
      'status',
      '--stack',
      STACK,
      '--pipeline',
      'Audit',
      '--types',
      'auditevents',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Cursor table: DynamoDB table deployed-AuditCursorTableName');
    expect(dynamo.commandCalls(GetItemCommand)[0]?.args[0].input.TableName).toBe(
      'deployed-AuditCursorTableName',
    );
  });

  it('without --pipeline, a stack of two says which there are and what to add; the advice works', async () => {
    const result = await runCli(['status', '--stack', STACK]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Stack ${STACK} holds 2 pipelines: Access (signinattempts, itemusages), Audit (auditevents). Say which: add --pipeline Access or --pipeline Audit to the command.`,
    );
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(0);
    // Following it works.
    const followed = await runCli(['status', '--stack', STACK, '--pipeline', 'Access']);
    expect(followed.code).toBe(0);
  });

  it('an unknown --pipeline lists the ones the stack holds', async () => {
    const result = await runCli(['verify', '--stack', STACK, '--pipeline', 'Auditing']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Stack ${STACK} has no pipeline "Auditing"; it holds: Access (signinattempts, itemusages), Audit (auditevents). Give one of these to --pipeline.`,
    );
  });

  it('--pipeline and --region go with --stack', async () => {
    const pipeline = await runCli(['status', '--pipeline', 'Audit']);
    expect(pipeline.code).toBe(2);
    expect(pipeline.stderr).toContain('--pipeline picks a pipeline of a stack: give --stack NAME with it.');
    const query = await runCli(['query', '--pipeline', 'Audit', 'SELECT 1']);
    expect(query.code).toBe(2);
    expect(query.stderr).toContain('--pipeline goes with --stack NAME.');
    const region = await runCli(['query', '--stack', STACK, '--region', 'Frankfurt', 'SELECT 1']);
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('--region "Frankfurt" is not an AWS region name such as eu-west-1.');
  });
});
