import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { NAMED_QUERIES } from '../../shared/sql/named-queries';
import {
  ATHENA_OUTPUTS,
  ATHENA_STACK,
  athenaEnded,
  athenaExecution,
  athenaResults,
  stackWithOutputs,
} from './aws-fakes';
import { cleanEnv, runCli } from './cli-harness';

const cloudFormation = mockClient(CloudFormationClient);
const athena = mockClient(AthenaClient);

const STACK = ATHENA_STACK;
const OUTPUTS: Record<string, string> = { ...ATHENA_OUTPUTS, EventTypes: 'itemusages,signinattempts' };
const ID = 'q-42';
const MB = 2 ** 20;

const execution = (state: string, extra: Parameters<typeof athenaExecution>[2] = {}) =>
  athenaExecution(ID, state, extra, 12 * MB);

const COLUMNS = [
  { name: 'dt', type: 'varchar' },
  { name: 'events', type: 'bigint' },
];

const results = (...rows: [string, string][]) => athenaResults(COLUMNS, rows);

const SQL = 'SELECT dt, count(*) AS events FROM itemusages GROUP BY dt ORDER BY dt';

beforeEach(() => {
  cloudFormation.reset();
  athena.reset();
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves(stackWithOutputs(STACK, OUTPUTS));
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
  athena
    .on(GetQueryExecutionCommand)
    .resolvesOnce(execution('QUEUED'))
    .resolvesOnce(execution('RUNNING'))
    .resolves(execution('SUCCEEDED'));
  athena.on(GetQueryResultsCommand).resolves(results(['2026-11-29', '798'], ['2026-11-30', '156']));
});

describe('op-events query --stack: Athena in the stack workgroup', () => {
  it('runs the SQL in the workgroup and database of the stack and prints a table, then the cost', async () => {
    const result = await runCli(['query', '--stack', STACK, SQL]);
    expect(result.code).toBe(0);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toMatchObject({
      QueryString: SQL,
      WorkGroup: 'OnePasswordEvents-events',
      QueryExecutionContext: { Database: 'onepassword_events' },
    });
    expect(result.stdout).toBe(
      ['dt          events', '----------  ------', '2026-11-29  798', '2026-11-30  156', '(2 rows)', ''].join(
        '\n',
      ),
    );
    // Off a terminal, progress is one line per state, on stderr.
    expect(result.stderr).toMatch(
      /^Athena workgroup OnePasswordEvents-events: QUEUED 0\.\d s, 12\.0 MB scanned \(query q-42\)\n/,
    );
    expect(result.stderr).toMatch(
      /\nAthena workgroup OnePasswordEvents-events: RUNNING \d\.\d s, 12\.0 MB scanned \(query q-42\)\n/,
    );
    expect(result.stderr).toContain(
      "12.0 MB scanned; $0.000057 at Athena's list price of $5.00 per TB (rounded up to whole MB, 10 MB minimum; https://aws.amazon.com/athena/pricing/). Query q-42, full result in s3://results/results/q-42.csv.",
    );
  });

  it('--json prints one object per row with typed values', async () => {
    const result = await runCli(['query', '--stack', STACK, '--json', SQL]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('{"dt":"2026-11-29","events":798}\n{"dt":"2026-11-30","events":156}\n');
  });

  it('--named runs the saved query in its Athena text', async () => {
    const named = NAMED_QUERIES.find((q) => q.name.startsWith('Failed sign-ins'));
    const result = await runCli(['query', '--stack', STACK, '--named', 'Failed sign-ins']);
    expect(result.code).toBe(0);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.QueryString).toBe(
      named?.sql.athena,
    );
    expect(result.stdout).toMatch(/^-- Failed sign-ins by user and country \(last 7 days\)\n/);
  });

  it('a named query over a type the stack does not collect is refused before Athena runs', async () => {
    const result = await runCli(['query', '--stack', STACK, '--named', 'Admin actions by actor']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '"Admin actions by actor (last 30 days)" reads auditevents, which stack OnePasswordEvents does not collect (it collects itemusages, signinattempts).',
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });

  it('a DDL statement, with --allow-write, prints ok and costs nothing', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolves(execution('SUCCEEDED', { StatementType: 'DDL', Statistics: { DataScannedInBytes: 0 } }));
    athena
      .on(GetQueryResultsCommand)
      .resolves({ ResultSet: { Rows: [], ResultSetMetadata: { ColumnInfo: [] } } });
    const result = await runCli([
      'query',
      '--stack',
      STACK,
      '--allow-write',
      'CREATE OR REPLACE VIEW probe AS SELECT 1 AS one',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ok\n');
    expect(result.stderr).toContain('0 B scanned; no charge (DDL statements are free in Athena).');
  });

  it('--max-rows stops reading and says more exist', async () => {
    athena
      .on(GetQueryResultsCommand)
      .resolves({ ...results(['2026-11-29', '798'], ['2026-11-30', '156']), NextToken: 'more' });
    const result = await runCli(['query', '--stack', STACK, '--max-rows', '1', SQL]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '2026-11-29  798\n(1 row shown; more exist: --max-rows to see more, --json for all)\n',
    );
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(1);
  });

  it("a failed query shows Athena's reason plainly; bad SQL is exit 2", async () => {
    athena.on(GetQueryExecutionCommand).resolves(
      athenaEnded(ID, 'FAILED', "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved", {
        Status: { AthenaError: { ErrorCategory: 2, ErrorType: 1006 } },
      }),
    );
    const result = await runCli(['query', '--stack', STACK, 'SELECT nope FROM itemusages']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `Athena query ${ID} FAILED: COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved\n`,
    );
    expect(result.stderr).toContain('4.88 KB scanned; no charge (failed queries are free in Athena).');
  });

  it('a query over the scan limit is cancelled by Athena: its reason and what it cost (exit 1)', async () => {
    athena.on(GetQueryExecutionCommand).resolves(
      athenaEnded(ID, 'CANCELLED', 'Query cancelled! : Bytes scanned limit was exceeded', {
        Statistics: { DataScannedInBytes: 10 * 2 ** 30 },
      }),
    );
    const result = await runCli(['query', '--stack', STACK, 'SELECT * FROM itemusages']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Athena query ${ID} CANCELLED: Query cancelled! : Bytes scanned limit was exceeded`,
    );
    expect(result.stderr).toContain('10.0 GB scanned; $0.05 at Athena');
  });

  it('Ctrl-C stops the query in Athena (exit 130)', async () => {
    athena.on(StopQueryExecutionCommand).resolves({});
    let polls = 0;
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      polls += 1;
      if (polls === 1) {
        process.emit('SIGINT');
        return execution('RUNNING');
      }
      return athenaEnded(ID, 'CANCELLED', 'Query was cancelled by user');
    });
    const result = await runCli(['query', '--stack', STACK, SQL]);
    expect(result.code).toBe(130);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: ID,
    });
    expect(result.stderr).toContain('Stopping the query in Athena');
    expect(result.stderr).toContain(
      `Athena query ${ID} CANCELLED (stopped at your request): Query was cancelled by user`,
    );
    expect(process.listenerCount('SIGINT')).toBe(0);
  });

  it('on a terminal, progress is one line rewritten in place', async () => {
    let stderr = '';
    let stdout = '';
    const code = await main(['query', '--stack', STACK, SQL], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text), isTTY: true },
      env: cleanEnv(),
    });
    expect(code).toBe(0);
    // Each update first clears the line: carriage return, then "erase line" (ESC [2K).
    const clear = '\r\u001b[2K';
    const updates = stderr.split(clear);
    expect(updates[0]).toBe('');
    expect(updates[1]).toMatch(/^Athena workgroup OnePasswordEvents-events: QUEUED \d\.\d s/);
    expect(updates[2]).toMatch(/^Athena workgroup OnePasswordEvents-events: RUNNING \d\.\d s/);
    expect(updates[3]).toMatch(/^12\.0 MB scanned; /);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stdout).toContain('(2 rows)');
  });

  it('--stack and --state-dir together are refused', async () => {
    const result = await runCli(['query', '--stack', STACK, '--state-dir', '/tmp/x', SQL]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--state-dir is for local files; --stack runs the query in Athena. Give one or the other.',
    );
  });

  it('a stack without the Athena outputs names the missing one', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(stackWithOutputs(STACK, { CursorTableName: 't', EventTypes: 'itemusages' }));
    const result = await runCli(['query', '--stack', STACK, SQL]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Stack ${STACK} has no output AthenaWorkGroupName.`);
    expect(result.stderr).toContain('npx cdk deploy');
  });

  it('a stack with no pipeline says how to find the stacks that hold one', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(stackWithOutputs(STACK, { SomethingElse: 'x' }));
    const result = await runCli(['query', '--stack', STACK, SQL]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Stack ${STACK} holds no pipeline (no output ending in CursorTableName).`,
    );
    expect(result.stderr).toContain(
      `aws cloudformation describe-stacks --query "Stacks[?Outputs[?ends_with(OutputKey, 'CursorTableName')]].StackName" --output text`,
    );
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });
});
