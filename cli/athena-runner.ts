import { randomUUID } from 'node:crypto';
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  type QueryExecution,
  type Row,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CollectorError } from '../shared/util/errors';
import { explainAwsError } from './aws-errors';
import { athenaSqlRefusals } from './usage-errors';

/**
 * Runs one SQL statement in an Athena workgroup with the SDK: StartQueryExecution, GetQueryExecution
 * polled with backoff until the query ends, then GetQueryResults page by page into typed rows.
 * `op-events query --stack` and `op-events verify` both run their SQL through here.
 */

export interface AthenaQueryRequest {
  readonly sql: string;
  readonly workGroup: string;
  /** Glue database the SQL's unqualified table names resolve in. */
  readonly database: string | undefined;
  /** Stop reading results after this many rows (the query itself still runs to the end). */
  readonly maxRows?: number;
  /** Called after every status poll while the query is queued or running. */
  readonly onProgress?: (progress: AthenaProgress) => void;
  /** Aborting stops the query in Athena (StopQueryExecution) and fails with AthenaQueryError. */
  readonly signal?: AbortSignal;
}

export interface AthenaProgress {
  readonly queryExecutionId: string;
  readonly state: string;
  readonly elapsedMs: number;
  readonly scannedBytes: number | undefined;
}

export type AthenaValue = string | number | boolean | null;

export interface AthenaColumn {
  readonly name: string;
  /** Athena's type name as ColumnInfo gives it: varchar, bigint, double, boolean, array, row, ... */
  readonly type: string;
}

export interface AthenaStatistics {
  readonly scannedBytes: number;
  readonly engineMs: number | undefined;
  readonly totalMs: number | undefined;
}

export interface AthenaResult {
  readonly queryExecutionId: string;
  /** DDL, DML or UTILITY, as Athena classifies the statement. */
  readonly statementType: string | undefined;
  readonly columns: readonly AthenaColumn[];
  /** One array per row, values in column order (names may repeat, so not keyed by name). */
  readonly rows: readonly (readonly AthenaValue[])[];
  /** More rows exist than `maxRows`. */
  readonly truncated: boolean;
  readonly statistics: AthenaStatistics;
  /** Where Athena wrote the full result (CSV), when it says. */
  readonly outputLocation: string | undefined;
}

/** A query Athena ran but that ended FAILED or CANCELLED; the message is Athena's own reason. */
export class AthenaQueryError extends CollectorError {
  constructor(
    message: string,
    readonly queryExecutionId: string,
    readonly state: string,
    /** Athena's ErrorCategory: 1 system, 2 user (the SQL or the data), 3 other. */
    readonly errorCategory: number | undefined,
    readonly statistics: AthenaStatistics,
  ) {
    super('athena_query', message);
  }
}

export interface PollTiming {
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** First wait between status polls; doubles up to `maxDelayMs`. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_POLL_TIMING: PollTiming = {
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  now: Date.now,
  firstDelayMs: 200,
  maxDelayMs: 2_000,
};

/** GetQueryResults returns at most 1,000 rows per call (MaxResults: 1..1000, Athena API reference). */
const RESULTS_PAGE_MAX = 1_000;

const ENDED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export async function runAthenaQuery(
  client: AthenaClient,
  request: AthenaQueryRequest,
  timing: PollTiming = DEFAULT_POLL_TIMING,
): Promise<AthenaResult> {
  const startedAt = timing.now();
  const id = await startQuery(client, request);
  let stopped = false;
  const stop = () => {
    stopped = true;
    client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
  };
  request.signal?.addEventListener('abort', stop, { once: true });
  try {
    const execution = await waitForEnd(client, id, request, timing, startedAt, () => stopped);
    const statistics = statisticsOf(execution);
    const state = execution.Status?.State ?? 'UNKNOWN';
    if (state !== 'SUCCEEDED') throw queryError(id, state, execution, statistics, stopped);
    const { columns, rows, truncated } = await readResults(client, id, request.maxRows);
    return {
      queryExecutionId: id,
      statementType: execution.StatementType,
      columns,
      rows,
      truncated,
      statistics,
      outputLocation: execution.ResultConfiguration?.OutputLocation,
    };
  } finally {
    request.signal?.removeEventListener('abort', stop);
  }
}

async function startQuery(client: AthenaClient, request: AthenaQueryRequest): Promise<string> {
  try {
    const answer = await client.send(
      new StartQueryExecutionCommand({
        QueryString: request.sql,
        WorkGroup: request.workGroup,
        ...(request.database ? { QueryExecutionContext: { Database: request.database } } : {}),
        // Makes the SDK's own retries of this call idempotent: Athena starts the query once.
        ClientRequestToken: randomUUID(),
      }),
    );
    if (!answer.QueryExecutionId) throw new Error('Athena started no query (no QueryExecutionId).');
    return answer.QueryExecutionId;
  } catch (error) {
    // Athena refuses some statements before running them (unknown workgroup, a disabled one).
    if (error instanceof Error && error.name === 'InvalidRequestException') {
      throw athenaSqlRefusals.refusedByAthena(request.workGroup, error.message);
    }
    throw explainAwsError(error, `starting a query in Athena workgroup ${request.workGroup}`);
  }
}

async function waitForEnd(
  client: AthenaClient,
  id: string,
  request: AthenaQueryRequest,
  timing: PollTiming,
  startedAt: number,
  stopped: () => boolean,
): Promise<QueryExecution> {
  let delay = timing.firstDelayMs;
  for (;;) {
    let execution: QueryExecution | undefined;
    try {
      execution = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
    } catch (error) {
      throw explainAwsError(error, `reading the state of Athena query ${id}`);
    }
    const state = execution?.Status?.State ?? 'UNKNOWN';
    if (execution && ENDED.has(state)) return execution;
    request.onProgress?.({
      queryExecutionId: id,
      state: stopped() ? 'STOPPING' : state,
      elapsedMs: timing.now() - startedAt,
      scannedBytes: execution?.Statistics?.DataScannedInBytes,
    });
    await timing.sleep(delay);
    delay = Math.min(delay * 2, timing.maxDelayMs);
  }
}

function statisticsOf(execution: QueryExecution): AthenaStatistics {
  const stats = execution.Statistics;
  return {
    scannedBytes: stats?.DataScannedInBytes ?? 0,
    engineMs: stats?.EngineExecutionTimeInMillis,
    totalMs: stats?.TotalExecutionTimeInMillis,
  };
}

function queryError(
  id: string,
  state: string,
  execution: QueryExecution,
  statistics: AthenaStatistics,
  stoppedByUs: boolean,
): AthenaQueryError {
  const status = execution.Status;
  const reason = status?.AthenaError?.ErrorMessage ?? status?.StateChangeReason ?? 'Athena gave no reason.';
  const byUs = stoppedByUs && state === 'CANCELLED' ? ' (stopped at your request)' : '';
  return new AthenaQueryError(
    `Athena query ${id} ${state}${byUs}: ${reason}`,
    id,
    state,
    status?.AthenaError?.ErrorCategory,
    statistics,
  );
}

async function readResults(
  client: AthenaClient,
  id: string,
  maxRows: number | undefined,
): Promise<{ columns: AthenaColumn[]; rows: AthenaValue[][]; truncated: boolean }> {
  const limit = maxRows ?? Number.POSITIVE_INFINITY;
  let columns: AthenaColumn[] = [];
  const rows: AthenaValue[][] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    // One row more than wanted on the first page: it may be the header row.
    const wanted = Math.min(RESULTS_PAGE_MAX, limit - rows.length + (first ? 1 : 0));
    let page: GetQueryResultsCommandOutput;
    try {
      page = await client.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: wanted, NextToken: nextToken }),
      );
    } catch (error) {
      throw explainAwsError(error, `reading the results of Athena query ${id}`);
    }
    let pageRows = page.ResultSet?.Rows ?? [];
    if (first) {
      columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c, i) => ({
        name: c.Label ?? c.Name ?? `_col${i}`,
        type: (c.Type ?? 'varchar').toLowerCase(),
      }));
      if (isHeaderRow(pageRows[0], columns)) pageRows = pageRows.slice(1);
      first = false;
    }
    for (const row of pageRows) {
      if (rows.length >= limit) break;
      rows.push(typedRow(row, columns));
    }
    nextToken = page.NextToken;
  } while (nextToken && rows.length < limit);
  return { columns, rows, truncated: nextToken !== undefined };
}

/**
 * The first row of a SELECT's results repeats the column labels (Athena writes a CSV header);
 * DDL and utility statements have none. PyAthena detects it the same way: every cell equals its label.
 */
function isHeaderRow(row: Row | undefined, columns: readonly AthenaColumn[]): boolean {
  if (!row || columns.length === 0) return false;
  const data = row.Data ?? [];
  return data.length === columns.length && columns.every((c, i) => data[i]?.VarCharValue === c.name);
}

const WHOLE_NUMBER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const FLOAT_TYPES = new Set(['real', 'float', 'double']);

/** Athena returns every value as text; this gives numbers and booleans their JSON type. */
export function typedValue(text: string | undefined, type: string): AthenaValue {
  if (text === undefined) return null;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (WHOLE_NUMBER_TYPES.has(type)) {
    const n = Number(text);
    // A bigint beyond 2^53 would lose digits as a JS number: keep the text.
    return /^-?\d+$/.test(text) && Number.isSafeInteger(n) ? n : text;
  }
  if (FLOAT_TYPES.has(type)) {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

function typedRow(row: Row, columns: readonly AthenaColumn[]): AthenaValue[] {
  const data = row.Data ?? [];
  return columns.map((column, i) => typedValue(data[i]?.VarCharValue, column.type));
}

/** A row as an object keyed by column name (for JSON output; a repeated name keeps its last value). */
export function rowObject(
  columns: readonly AthenaColumn[],
  row: readonly AthenaValue[],
): Record<string, AthenaValue> {
  return Object.fromEntries(columns.map((column, i) => [column.name, row[i] ?? null]));
}
