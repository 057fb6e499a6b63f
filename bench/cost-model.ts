import { billedBytes } from '../local/firehose/record-limits';
import { loadConfig } from '../shared/collector/run/environment';
import { EVENT_TYPES } from '../shared/contracts/event-types';
import { STACK_SETTINGS } from '../shared/contracts/settings';
import type { CallCounts } from './call-counts';
import { GB, PRICES } from './prices';

/** Measured figures the model is computed from (all from the same bench run). */
export interface CostInputs {
  readonly counts: CallCounts;
  readonly memoryMb: number;
  /** Import of the artifact and the extra time of a first invocation over a warm one (ms, this machine). */
  readonly initMs: number;
  readonly firstInvocationExtraMs: number;
  /** Resources of the synthesized template by type. */
  readonly stackResources: Readonly<Record<string, number>>;
  readonly unitsPerBudgetWrite: number;
  /** The streams' buffer interval. @default the stack's (shared/contracts/settings.ts) */
  readonly bufferIntervalSeconds?: number;
}

/** What the model assumes about a month of operation. */
export const MONTH = {
  days: 30,
  /** Each type's schedule fires every minute. */
  runsPerTypePerMinute: 1,
  /** Lambda recycles execution environments now and then; one new one per function per hour. */
  coldStartsPerFunctionPerHour: 1,
  /** Lambda's START/END/REPORT lines per invocation (platform logs), bytes. */
  platformLogBytesPerRun: 350,
  /**
   * Lambda gives one full vCPU at 1,769 MB and a proportional share below ("Configure Lambda
   * function memory", https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html).
   */
  mbPerVcpu: 1769,
} as const;

export interface CostLine {
  readonly item: string;
  /** USD per month for each volume of `MonthlyCosts.volumes`. */
  readonly usd: readonly number[];
  readonly basis: string;
}

export interface MonthlyCosts {
  readonly volumes: readonly number[];
  readonly lines: readonly CostLine[];
  readonly total: readonly number[];
  /** The naive design's Firehose ingestion line and total (everything else is the same). */
  readonly naiveIngestion: readonly number[];
  readonly naiveTotal: readonly number[];
  /** JQ processing for the three streams, whose metering AWS does not state: lowest and highest reading. */
  readonly jqRange: readonly [number, number];
  /** Cost of each further million events at volume (marginal), packed and naive. */
  readonly perMillion: { readonly packed: number; readonly naive: number };
  /** Per month, per volume: what the model counted (runs, writes, calls), for the report. */
  readonly usage: readonly Usage[];
}

interface Usage {
  readonly runs: number;
  readonly lambdaGbSeconds: number;
  readonly dynamoWrites: number;
  readonly secretsCalls: number;
  readonly billedGb: number;
  readonly naiveBilledGb: number;
  readonly s3Objects: number;
}

export const VOLUMES = [10_000, 1_000_000, 100_000_000] as const;

/**
 * Monthly bill of an account polled every minute by the three collectors, at several monthly event
 * volumes, from the counts of one bench run: per-run calls and bytes, per-event bytes, run durations
 * (stretched to the CPU share Lambda gives the stack's memory size), and the stack's own resources.
 */
export function monthlyCosts(inputs: CostInputs, volumes: readonly number[] = VOLUMES): MonthlyCosts {
  const priced = priceVolumes(inputs, volumes);
  // At 100 million a month every run carries about a page: the next million costs the difference.
  const marginal = priceVolumes(inputs, [100_000_000, 101_000_000]);
  const streams = EVENT_TYPES.length;
  return {
    volumes,
    ...priced,
    jqRange: [0, streams * MONTH.days * 24 * PRICES.jqProcessingHour.usd],
    perMillion: {
      packed: (marginal.total[1] as number) - (marginal.total[0] as number),
      naive: (marginal.naiveTotal[1] as number) - (marginal.naiveTotal[0] as number),
    },
  };
}

function priceVolumes(inputs: CostInputs, volumes: readonly number[]) {
  const usage = volumes.map((events) => usageAt(inputs, events));
  const priced = (f: (usage: Usage, events: number) => number) =>
    usage.map((u, i) => f(u, volumes[i] as number));
  const streams = EVENT_TYPES.length;
  const { counts } = inputs;
  const metricNames = new Set([...counts.warmIdle.metricNames, ...counts.warmBusy.metricNames]);
  const alarms = inputs.stackResources['AWS::CloudWatch::Alarm'] ?? 0;
  const dashboards = inputs.stackResources['AWS::CloudWatch::Dashboard'] ?? 0;
  const gbOfEvents = (events: number) => (events * bytesPerEvent(inputs)) / GB;
  // Each line: what is billed, its monthly USD from one volume's usage, and what the figure rests on.
  const items: [string, (usage: Usage, events: number) => number, string][] = [
    ['Lambda requests', (u) => u.runs * PRICES.lambdaRequest.usd, 'one invocation per type per minute'],
    [
      'Lambda duration',
      (u) => u.lambdaGbSeconds * PRICES.lambdaArmGbSecond.usd,
      'measured run times stretched to the CPU share of the stack memory; INIT included',
    ],
    [
      'EventBridge Scheduler',
      (u) => u.runs * PRICES.schedulerInvocation.usd,
      'list price; inside the 14 million free invocations a month',
    ],
    [
      'DynamoDB writes',
      (u) => u.dynamoWrites * PRICES.dynamoWriteUnit.usd,
      'lease, page commits, release, request budget; 1 WRU each',
    ],
    [
      'Secrets Manager',
      (u) => PRICES.secretPerMonth.usd + u.secretsCalls * PRICES.secretsApiCall.usd,
      '1 secret; reads at cold starts and when the token cache expires',
    ],
    ['Firehose ingestion', (u) => u.billedGb * PRICES.firehoseIngestedGb.usd, 'records rounded up to 5 KB'],
    [
      'Firehose dynamic partitioning, GB',
      (_, events) => gbOfEvents(events) * PRICES.dynamicPartitioningGb.usd,
      'bytes processed',
    ],
    [
      'Firehose dynamic partitioning, objects',
      (u) => u.s3Objects * PRICES.dynamicPartitioningObject.usd,
      'one object per stream per buffer flush that has data',
    ],
    ['S3 PUT', (u) => u.s3Objects * PRICES.s3Put.usd, 'the same objects'],
    [
      'S3 storage, per month kept',
      (_, events) => gbOfEvents(events) * counts.gzipRatio * PRICES.s3StorageGbMonth.usd,
      `gzip to the measured ${(counts.gzipRatio * 100).toFixed(0)}%`,
    ],
    [
      'CloudWatch Logs ingestion',
      (u, events) => (logBytes(inputs, u.runs, events) / GB) * PRICES.logsIngestedGb.usd,
      'measured log bytes per run, plus platform lines',
    ],
    [
      'CloudWatch custom metrics',
      () => metricNames.size * streams * PRICES.customMetricMonth.usd,
      `${metricNames.size} metrics x ${streams} types, emitted by every run`,
    ],
    [
      'CloudWatch alarms and dashboard',
      () => alarms * PRICES.alarmMonth.usd + dashboards * PRICES.dashboardMonth.usd,
      `${alarms} alarms, ${dashboards} dashboard (counted in the template)`,
    ],
  ];
  const lines: CostLine[] = items.map(([item, usd, basis]) => ({ item, usd: priced(usd), basis }));
  const total = volumes.map((_, i) => lines.reduce((sum, l) => sum + (l.usd[i] as number), 0));
  const ingestion = lines.find((l) => l.item === 'Firehose ingestion') as CostLine;
  const naiveIngestion = priced((u) => u.naiveBilledGb * PRICES.firehoseIngestedGb.usd);
  const naiveTotal = total.map((t, i) => t - (ingestion.usd[i] as number) + (naiveIngestion[i] as number));
  return { lines, total, naiveIngestion, naiveTotal, usage };
}

/** Bytes of one event's NDJSON line (metadata and newline included), measured. */
function bytesPerEvent(inputs: CostInputs): number {
  return inputs.counts.warmBusy.rawBytes / inputs.counts.warmBusy.events;
}

function usageAt(inputs: CostInputs, events: number): Usage {
  const { counts } = inputs;
  const streams = EVENT_TYPES.length;
  const minutes = MONTH.days * 24 * 60;
  const runs = streams * minutes * MONTH.runsPerTypePerMinute;
  const perRun = events / runs;
  // Below one event per run, events arrive in separate runs; above, every run has its share.
  const deliveringRuns = perRun >= 1 ? runs : events;
  const eventsPerDelivery = deliveringRuns > 0 ? events / deliveringRuns : 0;
  const pagesPerDelivery = Math.max(1, Math.ceil(eventsPerDelivery / counts.pageSize));
  const eventsPerPage = eventsPerDelivery / pagesPerDelivery;
  const lineBytes = bytesPerEvent(inputs);

  const cpuStretch = MONTH.mbPerVcpu / inputs.memoryMb;
  const onLambdaMs = (run: { ms: number; cpuMs: number }) => run.ms + run.cpuMs * (cpuStretch - 1);
  const idleMs = onLambdaMs(counts.warmIdle);
  const busyMsPerEvent = (onLambdaMs(counts.warmBusy) - idleMs) / counts.warmBusy.events;
  const coldStarts = streams * MONTH.days * 24 * MONTH.coldStartsPerFunctionPerHour;
  const coldMs = (inputs.initMs + inputs.firstInvocationExtraMs) * cpuStretch;
  const runMs = runs * idleMs + events * busyMsPerEvent + coldStarts * coldMs;
  const lambdaGbSeconds = (runMs / 1000) * (inputs.memoryMb / 1024);

  // Cursor row: lease and release every run, one commit per page with events. Budget row: the first
  // request of a minute takes a batch (the type that opens the window pays two writes, the others one),
  // later requests of the run one write per batch.
  const budgetFirstRequest = (2 + (streams - 1)) / streams;
  const laterRequests = deliveringRuns * (pagesPerDelivery - 1);
  const dynamoWrites =
    runs * (counts.warmIdle.cursorWrites + budgetFirstRequest) +
    deliveringRuns * pagesPerDelivery +
    laterRequests / inputs.unitsPerBudgetWrite;

  const tokenCacheSeconds = loadConfig({
    EVENT_TYPE: EVENT_TYPES[0],
    TOKEN_SECRET_ID: 'model',
    CURSOR_TABLE: 'model',
    DELIVERY_STREAM: 'model',
  }).tokenCacheSeconds;
  const secretsCalls = coldStarts + streams * ((minutes * 60) / tokenCacheSeconds);

  const billed = deliveringRuns * pagesPerDelivery * billedBytes(eventsPerPage * lineBytes);
  const flushes =
    (minutes * 60) / (inputs.bufferIntervalSeconds ?? STACK_SETTINGS.firehoseBufferInterval.default);
  const eventsPerFlush = events / streams / flushes;
  const s3Objects = streams * flushes * (1 - Math.exp(-eventsPerFlush));
  return {
    runs,
    lambdaGbSeconds,
    dynamoWrites,
    secretsCalls,
    billedGb: events > 0 ? billed / GB : 0,
    naiveBilledGb: (events * billedBytes(lineBytes)) / GB,
    s3Objects,
  };
}

function logBytes(inputs: CostInputs, runs: number, events: number): number {
  const { warmIdle, warmBusy } = inputs.counts;
  const perEvent = (warmBusy.logBytes - warmIdle.logBytes) / warmBusy.events;
  return runs * (warmIdle.logBytes + MONTH.platformLogBytesPerRun) + Math.max(0, events * perEvent);
}
