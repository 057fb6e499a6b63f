import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsOutput,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AthenaProgress,
  AthenaQueryError,
  type PollTiming,
  rowObject,
  runAthenaQuery,
  typedValue,
} from '../../cli/athena-runner';
import { UsageError } from '../../cli/exit-codes';
import { athenaEnded, athenaExecution, awsError } from './aws-fakes';

const athena = mockClient(AthenaClient);
const client = new AthenaClient({ region: 'eu-west-1' });
const ID = 'q-0001';

/** A clock that only moves when the runner sleeps; records each wait. */
function fakeTiming(): PollTiming & { waits: number[] } {
  let now = 1_000;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    firstDelayMs: 200,
    maxDelayMs: 2_000,
  };
}

const execution = (state: string, extra: Parameters<typeof athenaExecution>[2] = {}) =>
  athenaExecution(ID, state, extra);
const endedWith = (
  state: 'FAILED' | 'CANCELLED',
  reason: string,
  extra: Parameters<typeof athenaEnded>[3] = {},
) => athenaEnded(ID, state, reason, extra);

const COLUMNS = [
  { Name: 'user_email', Label: 'user_email', Type: 'varchar' },
  { Name: 'attempts', Label: 'attempts', Type: 'bigint' },
  { Name: 'share', Label: 'share', Type: 'double' },
  { Name: 'mfa', Label: 'mfa', Type: 'boolean' },
];

function row(...values: (string | undefined)[]) {
  return { Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) };
}

function page(rows: ReturnType<typeof row>[], next?: string): GetQueryResultsOutput {
  return { ResultSet: { Rows: rows, ResultSetMetadata: { ColumnInfo: COLUMNS } }, NextToken: next };
}

const request = { sql: 'SELECT 1', workGroup: 'wg', database: 'db' };

beforeEach(() => {
  athena.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: ID });
});

describe('runAthenaQuery', () => {
  it('starts in the workgroup and database, polls with doubling waits, and reports progress', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('QUEUED'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves(page([row('user_email', 'attempts', 'share', 'mfa')]));
    const timing = fakeTiming();
    const seen: AthenaProgress[] = [];
    const result = await runAthenaQuery(client, { ...request, onProgress: (p) => seen.push(p) }, timing);

    const start = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(start).toMatchObject({
      QueryString: 'SELECT 1',
      WorkGroup: 'wg',
      QueryExecutionContext: { Database: 'db' },
    });
    expect(start?.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(timing.waits).toEqual([200, 400, 800, 1600, 2000, 2000]);
    expect(seen.map((p) => p.state)).toEqual([
      'QUEUED',
      'RUNNING',
      'RUNNING',
      'RUNNING',
      'RUNNING',
      'RUNNING',
    ]);
    expect(seen[1]).toMatchObject({ queryExecutionId: ID, elapsedMs: 200, scannedBytes: 5_000 });
    expect(result).toMatchObject({
      queryExecutionId: ID,
      statementType: 'DML',
      rows: [],
      truncated: false,
      statistics: { scannedBytes: 5_000, engineMs: 800, totalMs: 950 },
      outputLocation: `s3://results/results/${ID}.csv`,
    });
  });

  it('drops the header row, types the values and follows NextToken', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce(
        page([row('user_email', 'attempts', 'share', 'mfa'), row('a@example.com', '3', '0.5', 'true')], 'T2'),
      )
      .resolvesOnce(page([row(undefined, '9007199254740993', 'NaN', 'false')]));
    const result = await runAthenaQuery(client, request, fakeTiming());
    expect(result.columns).toEqual([
      { name: 'user_email', type: 'varchar' },
      { name: 'attempts', type: 'bigint' },
      { name: 'share', type: 'double' },
      { name: 'mfa', type: 'boolean' },
    ]);
    expect(result.rows).toEqual([
      ['a@example.com', 3, 0.5, true],
      [null, '9007199254740993', 'NaN', false],
    ]);
    expect(rowObject(result.columns, result.rows[0] ?? [])).toEqual({
      user_email: 'a@example.com',
      attempts: 3,
      share: 0.5,
      mfa: true,
    });
    const calls = athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { QueryExecutionId: ID, MaxResults: 1000, NextToken: undefined },
      { QueryExecutionId: ID, MaxResults: 1000, NextToken: 'T2' },
    ]);
  });

  it('keeps a first row that is data (DDL and utility statements have no header)', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { StatementType: 'UTILITY' }));
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        Rows: [row('auditevents')],
        ResultSetMetadata: { ColumnInfo: [{ Name: 'tab_name', Type: 'string' }] },
      },
    });
    const result = await runAthenaQuery(client, request, fakeTiming());
    expect(result.rows).toEqual([['auditevents']]);
  });

  it('stops reading at maxRows and says more exist', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    athena
      .on(GetQueryResultsCommand)
      .resolves(
        page(
          [
            row('user_email', 'attempts', 'share', 'mfa'),
            row('a', '1', '1', 'true'),
            row('b', '2', '2', 'false'),
          ],
          'MORE',
        ),
      );
    const result = await runAthenaQuery(client, { ...request, maxRows: 2 }, fakeTiming());
    expect(result.rows).toHaveLength(2);
    expect(result.truncated).toBe(true);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(1);
    expect(athena.commandCalls(GetQueryResultsCommand)[0]?.args[0].input.MaxResults).toBe(3);
  });

  it("fails with Athena's own reason when the query fails", async () => {
    athena.on(GetQueryExecutionCommand).resolves(
      endedWith('FAILED', 'TABLE_NOT_FOUND: line 1:15: Table awsdatacatalog.db.nope does not exist', {
        Status: { AthenaError: { ErrorCategory: 2, ErrorType: 1006 } },
      }),
    );
    const failure = runAthenaQuery(client, request, fakeTiming());
    await expect(failure).rejects.toBeInstanceOf(AthenaQueryError);
    await expect(failure).rejects.toMatchObject({
      message: `Athena query ${ID} FAILED: TABLE_NOT_FOUND: line 1:15: Table awsdatacatalog.db.nope does not exist`,
      state: 'FAILED',
      errorCategory: 2,
    });
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('reports a cancelled query (scan limit) with its reason and what it scanned', async () => {
    athena.on(GetQueryExecutionCommand).resolves(
      endedWith('CANCELLED', 'Query cancelled! : Bytes scanned limit was exceeded', {
        Statistics: { DataScannedInBytes: 10 * 2 ** 30 },
      }),
    );
    await expect(runAthenaQuery(client, request, fakeTiming())).rejects.toMatchObject({
      message: `Athena query ${ID} CANCELLED: Query cancelled! : Bytes scanned limit was exceeded`,
      statistics: { scannedBytes: 10 * 2 ** 30 },
    });
  });

  it('stops the query in Athena when aborted', async () => {
    const controller = new AbortController();
    athena.on(StopQueryExecutionCommand).resolves({});
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('RUNNING'))
      .resolves(endedWith('CANCELLED', 'Query was cancelled by user'));
    const timing = fakeTiming();
    const sleep = timing.sleep;
    const run = runAthenaQuery(
      client,
      { ...request, signal: controller.signal },
      {
        ...timing,
        sleep: async (ms) => {
          controller.abort();
          await sleep(ms);
        },
      },
    );
    await expect(run).rejects.toMatchObject({
      message: expect.stringContaining('CANCELLED (stopped at your request)'),
    });
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryExecutionId: ID,
    });
  });

  it('turns a refused start into a usage error that names the workgroup', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(awsError('InvalidRequestException', 'WorkGroup wg is disabled.'));
    const failure = runAthenaQuery(client, request, fakeTiming());
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(
      'Athena refused the query in workgroup wg: WorkGroup wg is disabled.',
    );
  });
});

describe('typedValue', () => {
  it.each([
    ['12', 'integer', 12],
    ['-7', 'bigint', -7],
    ['12345678901234567890', 'bigint', '12345678901234567890'],
    ['1.5', 'double', 1.5],
    ['Infinity', 'double', 'Infinity'],
    ['true', 'boolean', true],
    ['2026-01-05', 'date', '2026-01-05'],
    ['12.50', 'decimal', '12.50'],
    ['[a, b]', 'array', '[a, b]'],
  ] as const)('%s as %s', (text, type, expected) => {
    expect(typedValue(text, type)).toEqual(expected);
  });

  it('a missing value is NULL', () => {
    expect(typedValue(undefined, 'varchar')).toBeNull();
  });
});
