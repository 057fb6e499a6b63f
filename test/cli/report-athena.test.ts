import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportResult } from '../../cli/commands/report-view';
import { writeSqlSampleData } from '../support/sql-sample-data';
import { openTrinoViews } from '../support/trino-on-duckdb/database';
import { translateTrino } from '../support/trino-on-duckdb/translate';
import { ATHENA_OUTPUTS, ATHENA_STACK, athenaExecution, athenaResults, stackWithOutputs } from './aws-fakes';
import { removeTempDirs, runCli, tempDir } from './cli-harness';

/**
 * `op-events report --stack`: the queries go to the stack's Athena workgroup, each in its Trino
 * text; here "Athena" runs that text on DuckDB through the Trino translation
 * (test/support/trino-on-duckdb/) over the same files a local report reads, so the two reports
 * must hold the same numbers. Before running, the estimate comes from listing the window's objects
 * in S3; after, what Athena says it scanned.
 */

const cloudFormation = mockClient(CloudFormationClient);
const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBClient);

const STACK = ATHENA_STACK;
const BUCKET = 'events-bucket';
const NOW = Date.now();
const MB = 2 ** 20;

let root: string;
let trino: { connection: DuckDBConnection; close(): void };
const started: string[] = [];
const results = new Map<string, Record<string, unknown>[]>();

/** Every object under the local store, as S3 would list it (key and size). */
function objectsOf(s3Dir: string): { Key: string; Size: number }[] {
  return readdirSync(s3Dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(join(s3Dir, name)).isFile())
    .map((name) => ({ Key: name.split('\\').join('/'), Size: statSync(join(s3Dir, name)).size }))
    .sort((a, b) => a.Key.localeCompare(b.Key));
}

beforeAll(async () => {
  root = tempDir('op-events-report-athena-');
  writeSqlSampleData(join(root, 's3'), NOW);
  trino = await openTrinoViews(join(root, 's3'));
  const objects = objectsOf(join(root, 's3'));
  cloudFormation
    .on(DescribeStacksCommand, { StackName: STACK })
    .resolves(
      stackWithOutputs(STACK, { ...ATHENA_OUTPUTS, EventsBucketName: BUCKET, CursorTableName: 'cursors' }),
    );
  // The cursor row of sign-in attempts: its newest event an hour ago; the other types never ran.
  dynamo.on(GetItemCommand).resolves({});
  dynamo.on(GetItemCommand, { Key: { pk: { S: 'cursor#signinattempts' } } }).resolves({
    Item: {
      pk: { S: 'cursor#signinattempts' },
      newest_event_time: { S: new Date(NOW - 3_600_000).toISOString() },
      total_events: { N: '42' },
    },
  });
  s3.on(ListObjectsV2Command).callsFake((input) => {
    const listed = objects.filter(
      (o) => o.Key.startsWith(input.Prefix ?? '') && (!input.StartAfter || o.Key > input.StartAfter),
    );
    return { Contents: listed, IsTruncated: false };
  });
  athena.on(StartQueryExecutionCommand).callsFake(async (input) => {
    const id = `q-${started.length}`;
    started.push(input.QueryString);
    const reader = await trino.connection.runAndReadAll(translateTrino(input.QueryString));
    results.set(id, reader.getRowObjectsJson() as Record<string, unknown>[]);
    return { QueryExecutionId: id };
  });
  athena
    .on(GetQueryExecutionCommand)
    .callsFake((input) => athenaExecution(input.QueryExecutionId, 'SUCCEEDED', {}, 3 * MB));
  athena.on(GetQueryResultsCommand).callsFake((input) => {
    const rows = results.get(input.QueryExecutionId) ?? [];
    const names = Object.keys(rows[0] ?? { none: null });
    // Athena types its columns; counts are bigint, the rest varchar here.
    const type = (name: string) =>
      rows.some((r) => typeof r[name] === 'number' || /^\d+$/.test(String(r[name] ?? 'x'))) &&
      !/day|uuid|country|action|category|type|name|email|title/.test(name)
        ? 'bigint'
        : 'varchar';
    return athenaResults(
      names.map((name) => ({ name, type: type(name) })),
      rows.map((row) => names.map((n) => (row[n] === null || row[n] === undefined ? null : String(row[n])))),
    );
  });
});

afterAll(() => {
  trino?.close();
  removeTempDirs();
});

describe('op-events report --stack', () => {
  it("gives the local report's numbers, from the Trino text of each query, and says what it scans before and after", async () => {
    const local = await runCli(
      ['report', '--state-dir', root, '--out', join(root, 'local.html'), '--json'],
      {},
      () => NOW,
    );
    expect(local.code).toBe(0);
    const fromAthena = await runCli(
      ['report', '--stack', STACK, '--out', join(root, 'athena.html'), '--json'],
      {},
      () => NOW,
    );
    expect(fromAthena.stderr).toContain('Estimated before running:');
    expect(fromAthena.code).toBe(0);
    const localResult = JSON.parse(local.stdout) as ReportResult;
    const athenaResult = JSON.parse(fromAthena.stdout) as ReportResult;
    expect(localResult.data.totalEvents).toBeGreaterThan(0);
    expect(athenaResult.data).toEqual(localResult.data);

    // Six queries, each pruned to the window by dt, in the stack's workgroup.
    expect(started).toHaveLength(6);
    for (const sql of started) expect(sql).toContain(`dt >= '${localResult.firstDay}'`);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toMatchObject({
      WorkGroup: 'OnePasswordEvents-events',
      QueryExecutionContext: { Database: 'onepassword_events' },
    });

    // The estimate: the window's objects of each query's type, from S3; after: Athena's 3 MB per query.
    const windowBytes = (type: string) =>
      objectsOf(join(root, 's3'))
        .filter(
          (o) => o.Key.startsWith(`events/${type}/`) && o.Key > `events/${type}/dt=${localResult.firstDay}`,
        )
        .reduce((sum, o) => sum + o.Size, 0);
    const expected =
      2 * windowBytes('signinattempts') + 3 * windowBytes('itemusages') + windowBytes('auditevents');
    expect(athenaResult.athena?.estimatedBytes).toBe(expected);
    expect(athenaResult.athena?.scannedBytes).toBe(6 * 3 * MB);
    // Each query is billed at least 10 MB: 6 x 10 MB at $5 per TB.
    expect(athenaResult.athena?.usd).toBeCloseTo((6 * 10 * MB * 5) / 2 ** 40, 12);
    expect(fromAthena.stderr).toContain('Scanned: 18.0 MB');
    expect(athenaResult.source).toContain('Athena (workgroup OnePasswordEvents-events');
    // The health section reads the stack's cursor table.
    expect(athenaResult.health).toMatchObject({ status: 'read', where: 'DynamoDB table cursors' });
    const health = athenaResult.health.status === 'read' ? athenaResult.health.types : [];
    expect(health.find((t) => t.type === 'signinattempts')).toMatchObject({
      totalEvents: 42,
      lagSeconds: 3600,
      lastRunAt: null,
    });
    expect(athenaResult.detections).toEqual({
      status: 'none',
      why: expect.stringContaining('local state folder'),
    });
  });
});
