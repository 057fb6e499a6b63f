import { AthenaClient } from '@aws-sdk/client-athena';
import { ListObjectsV2Command, type ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { EventType } from '../../shared/contracts/event-types';
import { eventsPrefixFor, PARTITION_COLUMN } from '../../shared/contracts/s3-layout';
import { StackOutput } from '../../shared/contracts/stack-outputs';
import {
  inlineReportSql,
  REPORT_QUERIES,
  REPORT_QUERY_KEYS,
  type ReportQueryKey,
  type ReportWindow,
} from '../../shared/sql/report-queries';
import { athenaCostUsd } from '../athena-cost';
import { athenaProgressReporter } from '../athena-progress';
import { rowObject, runAthenaQuery } from '../athena-runner';
import type { AwsClientConfig } from '../aws-config';
import { explainAwsError } from '../aws-errors';
import type { CommandContext } from '../command';
import { requireOutput, type StackResources } from '../stack-resources';
import type { QueryRows } from './report-data';

/** What the report's queries scan in Athena: estimated from S3 before, as Athena counted after. */
export interface AthenaSpend {
  readonly workGroup: string;
  readonly database: string;
  /**
   * The bytes of the window's objects times the queries that read them; undefined if S3 could not
   * be listed.
   */
  readonly estimatedBytes: number | undefined;
  readonly estimatedUsd: number | undefined;
  readonly scannedBytes: number;
  readonly usd: number;
  readonly queries: readonly { readonly key: string; readonly id: string; readonly scannedBytes: number }[];
}

/** ListObjectsV2 returns at most 1,000 keys per call (Amazon S3 API reference, MaxKeys). */
const LIST_PAGE_MAX = 1_000;

/**
 * The bytes of one type's objects in the window: every key under events/<type>/ after
 * `dt=<first day>` sorts at or after it (dt folders are YYYY-MM-DD), which is what a query pruned
 * to the window reads of a gzip JSON table (Athena reads such objects whole).
 */
async function windowBytes(
  s3: S3Client,
  bucket: string,
  type: EventType,
  window: ReportWindow,
): Promise<number> {
  const prefix = eventsPrefixFor(type);
  let bytes = 0;
  let token: string | undefined;
  do {
    const page: ListObjectsV2CommandOutput = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        StartAfter: token ? undefined : `${prefix}${PARTITION_COLUMN}=${window.firstDay}`,
        ContinuationToken: token,
        MaxKeys: LIST_PAGE_MAX,
      }),
    );
    for (const object of page.Contents ?? []) bytes += object.Size ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return bytes;
}

/**
 * Per query, the bytes of its type's objects in the window (each type listed once); undefined when
 * the stack names no bucket or S3 cannot be listed (the queries run all the same).
 */
async function estimateBytes(
  resources: StackResources,
  clientConfig: AwsClientConfig,
  keys: readonly ReportQueryKey[],
  window: ReportWindow,
  context: CommandContext,
): Promise<number[] | undefined> {
  const bucket = resources.eventsBucket;
  if (!bucket) return undefined;
  const s3 = new S3Client(clientConfig);
  try {
    const bytes = new Map<EventType, number>();
    for (const key of keys) {
      const type = REPORT_QUERIES[key].eventType;
      if (!bytes.has(type)) bytes.set(type, await windowBytes(s3, bucket, type, window));
    }
    return keys.map((key) => bytes.get(REPORT_QUERIES[key].eventType) ?? 0);
  } catch (error) {
    context.out.note(
      `Could not estimate the scan from S3 (${explainAwsError(error, `listing s3://${bucket}`).message}); ` +
        'running the queries anyway.',
    );
    return undefined;
  } finally {
    s3.destroy();
  }
}

/** Athena bills at least 10 MB per query: the estimate's cost is per query, like the bill. */
function estimatedUsd(bytesPerQuery: readonly number[]): number {
  return bytesPerQuery.reduce(
    (sum, bytes) => sum + athenaCostUsd({ scannedBytes: bytes, state: 'SUCCEEDED', statementType: 'DML' }),
    0,
  );
}

/**
 * Runs the report's queries in the stack's Athena workgroup, one statement each (its Trino text,
 * pruned by `dt`), after saying on stderr what they are estimated to scan and cost; the queries of
 * types the pipeline does not collect are left out (no rows). Ctrl-C stops the running query.
 */
export async function athenaReportRows(
  resources: StackResources,
  clientConfig: AwsClientConfig,
  window: ReportWindow,
  context: CommandContext,
  describeEstimate: (bytes: number | undefined, usd: number | undefined) => void,
): Promise<{ rows: QueryRows; spend: AthenaSpend }> {
  const workGroup = requireOutput(resources, resources.athenaWorkGroup, StackOutput.AthenaWorkGroupName);
  const database = requireOutput(resources, resources.glueDatabase, StackOutput.GlueDatabaseName);
  const keys = REPORT_QUERY_KEYS.filter((key) =>
    resources.eventTypes.includes(REPORT_QUERIES[key].eventType),
  );
  const perQuery = await estimateBytes(resources, clientConfig, keys, window, context);
  const estimatedBytes = perQuery?.reduce((sum, bytes) => sum + bytes, 0);
  const estimateUsd = perQuery === undefined ? undefined : estimatedUsd(perQuery);
  describeEstimate(estimatedBytes, estimateUsd);

  const rows = Object.fromEntries(REPORT_QUERY_KEYS.map((key) => [key, []])) as unknown as Record<
    keyof QueryRows,
    Record<string, unknown>[]
  >;
  const queries: { key: string; id: string; scannedBytes: number }[] = [];
  const client = new AthenaClient(clientConfig);
  const controller = new AbortController();
  const giveBackCtrlC = context.interrupts.take(() => {
    giveBackCtrlC();
    context.out.note('Stopping the query in Athena (Ctrl-C again to leave without waiting)…');
    controller.abort();
  });
  try {
    for (const key of keys) {
      const result = await runAthenaQuery(client, {
        sql: inlineReportSql(key, window).athena,
        workGroup,
        database,
        onProgress: athenaProgressReporter(context.out, `Athena workgroup ${workGroup} (${key})`),
        signal: controller.signal,
      });
      rows[key] = result.rows.map((row) => rowObject(result.columns, row));
      queries.push({ key, id: result.queryExecutionId, scannedBytes: result.statistics.scannedBytes });
    }
  } finally {
    giveBackCtrlC();
    context.out.clearStatus();
    client.destroy();
  }
  const scannedBytes = queries.reduce((sum, q) => sum + q.scannedBytes, 0);
  return {
    rows,
    spend: {
      workGroup,
      database,
      estimatedBytes,
      estimatedUsd: estimateUsd,
      scannedBytes,
      usd: estimatedUsd(queries.map((q) => q.scannedBytes)),
      queries,
    },
  };
}
