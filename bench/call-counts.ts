import { gzipSync } from 'node:zlib';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { billedBytes, MAX_RECORDS_PER_BATCH } from '../local/firehose/record-limits';
import { cursorKeyFor } from '../shared/contracts/event-types';
import { PipelineHarness, streamFor } from '../test/support/pipeline-harness';
import type { BenchContext } from './bench-context';
import { CountingProxy } from './call-counter';
import { seedDemoEvents } from './demo-pages';
import { type Invocation, LambdaProcess } from './lambda-process';
import { BENCH_FIREHOSE_QUOTA, collectorProcessEnv } from './loopback-aws';

/** Everything one invocation cost, counted at the stand-ins. */
export interface RunCounts {
  readonly label: string;
  readonly events: number;
  readonly pages: number;
  readonly apiRequests: number;
  /** Conditional writes to the type's cursor row: lease, page commits, release. */
  readonly cursorWrites: number;
  /** Writes to the shared request-budget row. */
  readonly budgetWrites: number;
  readonly reads: number;
  readonly secretsCalls: number;
  readonly firehoseCalls: number;
  readonly firehoseRecords: number;
  /** Bytes of record data (the NDJSON lines, newlines included). */
  readonly rawBytes: number;
  /** What ingestion bills: each record rounded up to 5 KB. */
  readonly billedBytes: number;
  readonly ms: number;
  readonly cpuMs: number;
  /** Bytes written to stdout (structured logs, EMF metrics): CloudWatch Logs ingestion. */
  readonly logBytes: number;
  readonly metricNames: readonly string[];
}

export interface CallCounts {
  readonly pageSize: number;
  readonly eventsPerRun: number;
  readonly coldBusy: RunCounts;
  readonly warmBusy: RunCounts;
  readonly warmIdle: RunCounts;
  /** The same events sent one per record (the naive design): records, billed bytes, calls. */
  readonly naive: { readonly records: number; readonly billedBytes: number; readonly calls: number };
  /** gzip size / raw size of the delivered NDJSON (Firehose compresses with GZIP before S3). */
  readonly gzipRatio: number;
  /** Upper bound of the cursor row's size (DynamoDB bills writes per started KB). */
  readonly cursorRowBytes: number;
  /** Import of the artifact in a fresh process (INIT). */
  readonly initMs: number;
}

const TYPE = 'auditevents';
/**
 * Events of each counted backlog run: ten pages, enough for per-page and per-event figures. The
 * stack's MAX_EVENTS_PER_RUN (a cap that a run behind rarely reaches) would only make the run longer.
 */
export const COUNTED_BACKLOG_EVENTS = 10_000;

/**
 * Counts what runs of the deployed artifact cost, with the stack's settings (page size, request
 * budget; COUNTED_BACKLOG_EVENTS per backlog run): a cold run draining a full run of events, a warm one doing the same, and a
 * warm run that finds nothing new (the common case for a schedule firing every minute).
 */
export async function countCalls(
  context: BenchContext,
  latency = { apiMs: 50, firehoseMs: 30 },
): Promise<CallCounts> {
  const pageSize = context.settings.pageSize;
  const eventsPerRun = Math.min(COUNTED_BACKLOG_EVENTS, context.settings.maxEventsPerRun);
  const harness = await PipelineHarness.start({
    apiLatencyMs: latency.apiMs,
    firehoseLatencyMs: latency.firehoseMs,
    firehoseQuota: BENCH_FIREHOSE_QUOTA,
  });
  const dynamo = await CountingProxy.start(harness.dynalite.endpoint, harness.credentials);
  const addEvents = (seed: number) => seedDemoEvents(harness.api, TYPE, eventsPerRun, seed);
  try {
    const settings = harness.env(TYPE, {
      PAGE_SIZE: String(pageSize),
      MAX_EVENTS_PER_RUN: String(eventsPerRun),
      REQUEST_TIMEOUT_MS: '10000',
      REQUEST_BUDGET_PER_MINUTE: String(context.settings.requestBudgetPerMinute),
    });
    const { process, ready } = await LambdaProcess.start({
      runtime: context.lambdaRuntime,
      bundle: context.collectorArtifact,
      env: collectorProcessEnv(harness, settings, { memoryMb: context.memoryMb, dynamoEndpoint: dynamo.url }),
      memoryMb: context.memoryMb,
      stepTimeoutMs: 120_000,
    });
    try {
      const measure = async (label: string) => {
        const before = {
          api: harness.api.requestCount(),
          secrets: harness.secrets.getSecretValueCalls,
          firehose: harness.firehose.stats,
          records: harness.firehose.records(streamFor(TYPE)).length,
        };
        dynamo.reset();
        const invocation = await process.invoke(context.timeoutMs);
        return {
          counts: countsOf(label, invocation, before, harness, dynamo.snapshot()),
          records: harness.firehose.records(streamFor(TYPE)).slice(before.records),
        };
      };
      addEvents(11);
      const coldBusy = await measure('cold run, backlog');
      addEvents(12);
      const warmBusy = await measure('warm run, backlog');
      const warmIdle = await measure('warm run, nothing new');
      const lines = Buffer.concat(warmBusy.records)
        .toString('utf8')
        .split('\n')
        .filter((line) => line.length > 0);
      const raw = Buffer.concat(warmBusy.records);
      const row = await harness.dynamo.send(
        new GetItemCommand({ TableName: harness.tableName, Key: { pk: { S: cursorKeyFor(TYPE) } } }),
      );
      return {
        pageSize,
        eventsPerRun,
        coldBusy: coldBusy.counts,
        warmBusy: warmBusy.counts,
        warmIdle: warmIdle.counts,
        naive: {
          records: lines.length,
          billedBytes: lines.reduce((sum, line) => sum + billedBytes(Buffer.byteLength(line) + 1), 0),
          calls: warmBusy.counts.pages * Math.ceil(pageSize / MAX_RECORDS_PER_BATCH),
        },
        gzipRatio: gzipSync(raw).length / raw.length,
        cursorRowBytes: JSON.stringify(row.Item ?? {}).length,
        initMs: ready.importMs,
      };
    } finally {
      await process.stop();
    }
  } finally {
    await dynamo.stop();
    await harness.stop();
  }
}

function countsOf(
  label: string,
  invocation: Invocation,
  before: { api: number; secrets: number; firehose: PipelineHarness['firehose']['stats'] },
  harness: PipelineHarness,
  dynamo: Record<string, number>,
): RunCounts {
  if (invocation.error) throw new Error(`${label} failed: ${invocation.error}`);
  const summary = invocation.result as { events: number; pages: number };
  const after = harness.firehose.stats;
  const count = (key: string) => dynamo[key] ?? 0;
  return {
    label,
    events: summary.events,
    pages: summary.pages,
    apiRequests: harness.api.requestCount() - before.api,
    cursorWrites: count('UpdateItem cursor'),
    budgetWrites: count('UpdateItem budget'),
    reads: count('GetItem cursor') + count('GetItem budget'),
    secretsCalls: harness.secrets.getSecretValueCalls - before.secrets,
    firehoseCalls: after.calls - before.firehose.calls,
    firehoseRecords: after.records - before.firehose.records,
    rawBytes: after.bytes - before.firehose.bytes,
    billedBytes: after.billedBytes - before.firehose.billedBytes,
    ms: invocation.ms,
    cpuMs: invocation.cpuMs,
    logBytes: invocation.logBytes,
    metricNames: invocation.metricNames,
  };
}
