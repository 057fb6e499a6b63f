import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { HOSTILE, RAW_CONTROL } from '../support/hostile-text';
import {
  ATHENA_OUTPUTS,
  ATHENA_STACK,
  athenaEnded,
  athenaExecution,
  athenaResults,
  stackWithOutputs,
} from './aws-fakes';
import { runCli } from './cli-harness';

const cloudFormation = mockClient(CloudFormationClient);
const athena = mockClient(AthenaClient);

const STACK = ATHENA_STACK;
const ID = 'q-7';

beforeEach(() => {
  cloudFormation.reset();
  athena.reset();
  cloudFormation
    .on(DescribeStacksCommand, { StackName: STACK })
    .resolves(stackWithOutputs(STACK, { ...ATHENA_OUTPUTS, EventTypes: 'itemusages,signinattempts' }));
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
  athena.on(GetQueryExecutionCommand).resolves(athenaExecution(ID, 'SUCCEEDED'));
  athena.on(GetQueryResultsCommand).resolves(athenaResults([{ name: 'n', type: 'bigint' }], [['1']]));
});

const onAthena = (...args: string[]) => runCli(['query', '--stack', STACK, ...args]);

describe('op-events query --stack is read-only unless --allow-write is given', () => {
  it.each([
    ['CREATE TABLE (DDL)', "CREATE EXTERNAL TABLE x (a string) LOCATION 's3://b/x/'", 'CREATE EXTERNAL'],
    ['DROP TABLE', 'DROP TABLE signinattempts', 'DROP TABLE'],
    ['ALTER TABLE ADD PARTITION', "ALTER TABLE itemusages ADD PARTITION (dt = '2026-01-01')", 'ALTER TABLE'],
    ['CREATE VIEW', 'CREATE OR REPLACE VIEW v AS SELECT 1', 'CREATE OR'],
    ['UNLOAD', "UNLOAD (SELECT * FROM itemusages) TO 's3://elsewhere/' WITH (format = 'JSON')", 'UNLOAD'],
    ['INSERT', 'INSERT INTO itemusages SELECT * FROM itemusages', 'INSERT INTO'],
    ['CTAS', 'CREATE TABLE copy AS SELECT * FROM itemusages', 'CREATE TABLE'],
    ['MSCK', 'MSCK REPAIR TABLE itemusages', 'MSCK REPAIR'],
    ['DELETE', 'DELETE FROM itemusages', 'DELETE FROM'],
    ['MERGE', 'MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE', 'MERGE INTO'],
    ['a prepared statement run', 'EXECUTE stmt', 'EXECUTE'],
    ['a write behind a block comment', '/* SELECT 1 */ DROP TABLE itemusages', 'DROP TABLE'],
    ['a write behind a line comment', '-- SELECT 1\nDROP TABLE itemusages', 'DROP TABLE'],
    ['a write after a read', 'SELECT 1; DROP TABLE itemusages', '2 statements'],
    ['a write after a semicolon in a comment', 'SELECT 1 /* ; */; DROP TABLE itemusages', '2 statements'],
    [
      'EXPLAIN ANALYZE of an INSERT (it runs the INSERT)',
      'EXPLAIN ANALYZE INSERT INTO t SELECT 1',
      'EXPLAIN of INSERT',
    ],
    [
      'EXPLAIN ANALYZE of a CTAS',
      'EXPLAIN ANALYZE (FORMAT JSON) CREATE TABLE t AS SELECT 1',
      'EXPLAIN of CREATE',
    ],
    ['EXPLAIN of a DROP', 'EXPLAIN (TYPE VALIDATE) DROP TABLE itemusages', 'EXPLAIN of DROP'],
    ['a comment never closed', 'SELECT 1 /* DROP TABLE itemusages', 'never closed'],
    ['a quote never closed', "SELECT 'x; DROP TABLE itemusages", 'never closed'],
    ['a quoted first word', '"DROP" TABLE itemusages', 'starting'],
  ])('refuses %s before anything reaches AWS (exit 2)', async (_, sql, why) => {
    // `--` ends the options: SQL may start with a `--` comment.
    const result = await onAthena('--', sql);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'op-events query --stack is read-only unless --allow-write is given, and this SQL was not sent to Athena',
    );
    expect(result.stderr).toContain(why);
    expect(result.stdout).toBe('');
    expect(cloudFormation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it.each([
    'SELECT count(*) AS n FROM itemusages',
    'select 1 as n;',
    'WITH x AS (SELECT 1 AS n) SELECT n FROM x',
    '(SELECT 1 AS n) UNION ALL (SELECT 2)',
    'VALUES 1',
    'TABLE itemusages',
    'SHOW TABLES',
    'SHOW CREATE TABLE itemusages',
    'DESCRIBE itemusages',
    'SELECT \'DROP TABLE x; --\' AS n, "select" FROM t -- DROP TABLE',
    '/* a note */ -- another\nSELECT 1 AS n',
    'EXPLAIN SELECT 1',
    'EXPLAIN ANALYZE SELECT count(*) FROM itemusages',
    'EXPLAIN (TYPE DISTRIBUTED, FORMAT JSON) WITH x AS (SELECT 1) SELECT * FROM x',
  ])('sends reading SQL to Athena as given: %s', async (sql) => {
    const result = await onAthena(sql);
    expect(result.code).toBe(0);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.QueryString).toBe(sql);
  });

  it('with --allow-write, sends a write as given', async () => {
    const sql = 'MSCK REPAIR TABLE itemusages';
    const result = await onAthena('--allow-write', sql);
    expect(result.code).toBe(0);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.QueryString).toBe(sql);
  });

  it("shows Athena's error text with what a terminal would act on escaped", async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolves(athenaEnded(ID, 'FAILED', `INVALID_CAST_ARGUMENT: Cannot cast '${HOSTILE}' to INT`));
    const result = await onAthena('SELECT CAST(client.app_name AS int) FROM signinattempts');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("INVALID_CAST_ARGUMENT: Cannot cast '\\u001b]0;owned\\u0007");
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  it('--json rows hold values from outside as exact JSON, with no raw control character', async () => {
    athena
      .on(GetQueryResultsCommand)
      .resolves(athenaResults([{ name: 'app', type: 'varchar' }], [[`Chrome${HOSTILE}`]]));
    const result = await onAthena('--json', 'SELECT client.app_name AS app FROM signinattempts');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(result.stdout)).toEqual({ app: `Chrome${HOSTILE}` });
  });
});
