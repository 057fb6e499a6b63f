import type { GetQueryExecutionOutput, GetQueryResultsOutput } from '@aws-sdk/client-athena';
import type { DescribeStacksOutput } from '@aws-sdk/client-cloudformation';

/** Answers of AWS APIs, shaped as the SDK returns them, for tests that mock the clients. */

/** DescribeStacks for one stack with these outputs. */
export function stackWithOutputs(stackName: string, outputs: Record<string, string>): DescribeStacksOutput {
  return {
    Stacks: [
      {
        StackName: stackName,
        CreationTime: new Date('2026-11-01T00:00:00Z'),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  };
}

/** The stack the query and report tests read through Athena, and its Athena outputs. */
export const ATHENA_STACK = 'OnePasswordEvents';
export const ATHENA_OUTPUTS: Readonly<Record<string, string>> = {
  AthenaWorkGroupName: 'OnePasswordEvents-events',
  GlueDatabaseName: 'onepassword_events',
};

/**
 * GetQueryResults of one page: the header row of the column names, then `rows` (null as a value
 * Athena leaves out), each column typed as given.
 */
export function athenaResults(
  columns: readonly { readonly name: string; readonly type: string }[],
  rows: readonly (readonly (string | null | undefined)[])[],
): GetQueryResultsOutput {
  const names = columns.map((c) => c.name);
  return {
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: columns.map((c) => ({ Name: c.name, Label: c.name, Type: c.type })) },
      Rows: [names, ...rows].map((values) => ({
        Data: values.map((v) => (v === null || v === undefined ? {} : { VarCharValue: v })),
      })),
    },
  };
}

/** An error as the SDK throws it for an AWS error code. */
export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

type QueryExecution = NonNullable<GetQueryExecutionOutput['QueryExecution']>;

/** GetQueryExecution of a DML query in `state` that scanned `scannedBytes`. */
export function athenaExecution(
  id: string,
  state: string,
  extra: Partial<QueryExecution> = {},
  scannedBytes = 5_000,
): GetQueryExecutionOutput {
  return {
    QueryExecution: {
      QueryExecutionId: id,
      StatementType: 'DML',
      Status: { State: state as 'RUNNING' },
      Statistics: {
        DataScannedInBytes: scannedBytes,
        EngineExecutionTimeInMillis: 800,
        TotalExecutionTimeInMillis: 950,
      },
      ResultConfiguration: { OutputLocation: `s3://results/results/${id}.csv` },
      ...extra,
    },
  };
}

/** GetQueryExecution of a query that ended FAILED or CANCELLED with Athena's `reason`. */
export function athenaEnded(
  id: string,
  state: 'FAILED' | 'CANCELLED',
  reason: string,
  extra: Partial<QueryExecution> = {},
): GetQueryExecutionOutput {
  return athenaExecution(id, state, {
    ...extra,
    Status: { State: state, StateChangeReason: reason, ...extra.Status },
  });
}
