import { DELIVERY_ALLOWANCE_MS } from '../shared/contracts/run-timing';
import { PipelineHarness } from '../test/support/pipeline-harness';
import { ApiProcess } from './api-process';
import type { BenchContext } from './bench-context';
import { MONTH } from './cost-model';
import { type Invocation, LambdaProcess } from './lambda-process';
import { BENCH_FIREHOSE_QUOTA, collectorProcessEnv } from './loopback-aws';
import { PRICES } from './prices';
import { median } from './stats';

/** The memory sizes issue 14 asks about: 1,769 MB is one full vCPU. */
export const MEMORY_SIZES_MB = [256, 512, 1024, 1769] as const;

export interface MemorySizeRow {
  readonly memoryMb: number;
  /** Median of the measured warm runs on this machine (a full core). */
  readonly events: number;
  readonly ms: number;
  readonly cpuMs: number;
  /** The same run with its CPU time stretched to the share Lambda gives this memory size. */
  readonly lambdaMs: number;
  /** Events per second of a run on Lambda at this size. */
  readonly eventsPerSecond: number;
  /** Events one run behind drains in a minute of schedule (its time bound less the delivery reserve). */
  readonly eventsPerRunMinute: number;
  /** Lambda duration per million events drained: seconds and USD (arm64 GB-second price). */
  readonly secondsPerMillion: number;
  readonly usdPerMillion: number;
}

export interface MemorySizesResult {
  readonly rows: readonly MemorySizeRow[];
  readonly pageSize: number;
  readonly eventsPerRun: number;
  /** Paging seconds of a run on the default schedule (function timeout less the delivery reserve). */
  readonly runSeconds: number;
  /** The most events a run may page in a minute under the whole request budget (one type behind alone). */
  readonly budgetEventsPerMinute: number;
  /** The smallest size whose CPU keeps up with the whole request budget, if any. */
  readonly smallestKeepingUp: number | undefined;
}

const TYPE = 'auditevents';
const EVENTS_PER_RUN = 10_000;
const MEASURED_RUNS = 3;

/** Lambda's CPU share at a memory size, against the full core this machine gives a process. */
export function cpuStretch(memoryMb: number): number {
  return Math.max(1, MONTH.mbPerVcpu / memoryMb);
}

/**
 * A warm drain run of the deployed artifact at each memory size (the Lambda runtime's heap flags for
 * that size), its CPU time stretched to the CPU share Lambda gives the size (as the cost model does):
 * run time and Lambda cost per million events, and how many events one run behind drains per minute
 * of schedule, against what the whole request budget lets it fetch.
 */
export async function measureMemorySizes(context: BenchContext): Promise<MemorySizesResult> {
  const harness = await PipelineHarness.start({ firehoseLatencyMs: 30, firehoseQuota: BENCH_FIREHOSE_QUOTA });
  const api = await ApiProcess.start({ workDir: context.workDir, token: harness.token, latencyMs: 50 });
  const pageSize = context.settings.pageSize;
  const runSeconds = (context.timeoutMs - DELIVERY_ALLOWANCE_MS) / 1000;
  try {
    // Each size drains the same events from the start, through a cursor table of its own.
    await api.seed(TYPE, (MEASURED_RUNS + 1) * EVENTS_PER_RUN, 14);
    const rows: MemorySizeRow[] = [];
    for (const memoryMb of MEMORY_SIZES_MB) {
      await harness.table();
      const settings = harness.env(TYPE, {
        EVENTS_API_URL: api.url,
        PAGE_SIZE: String(pageSize),
        MAX_EVENTS_PER_RUN: String(EVENTS_PER_RUN),
        REQUEST_TIMEOUT_MS: '10000',
        REQUEST_BUDGET_PER_MINUTE: '0',
      });
      const { process } = await LambdaProcess.start({
        runtime: context.lambdaRuntime,
        bundle: context.collectorArtifact,
        env: collectorProcessEnv(harness, settings, { memoryMb }),
        memoryMb,
        stepTimeoutMs: 120_000,
      });
      try {
        await checked(await process.invoke(context.timeoutMs)); // cold: token, scope check, JIT
        const runs: Invocation[] = [];
        for (let i = 0; i < MEASURED_RUNS; i++) runs.push(checked(await process.invoke(context.timeoutMs)));
        const middle =
          runs.find((run) => run.ms === median(runs.map((r) => r.ms))) ?? (runs[0] as Invocation);
        const events = (middle.result as { events: number }).events;
        const lambdaMs = middle.ms + middle.cpuMs * (cpuStretch(memoryMb) - 1);
        const eventsPerSecond = (events * 1000) / lambdaMs;
        const secondsPerMillion = (lambdaMs / 1000) * (1e6 / events);
        rows.push({
          memoryMb,
          events,
          ms: middle.ms,
          cpuMs: middle.cpuMs,
          lambdaMs,
          eventsPerSecond,
          eventsPerRunMinute: eventsPerSecond * runSeconds,
          secondsPerMillion,
          usdPerMillion: secondsPerMillion * (memoryMb / 1024) * PRICES.lambdaArmGbSecond.usd,
        });
      } finally {
        await process.stop();
      }
    }
    const budgetEventsPerMinute = context.settings.requestBudgetPerMinute * pageSize;
    return {
      rows,
      pageSize,
      eventsPerRun: EVENTS_PER_RUN,
      runSeconds,
      budgetEventsPerMinute,
      smallestKeepingUp: rows.find((row) => row.eventsPerRunMinute >= budgetEventsPerMinute)?.memoryMb,
    };
  } finally {
    await api.stop();
    await harness.stop();
  }
}

function checked(invocation: Invocation): Invocation {
  if (invocation.error) throw new Error(`a memory-size run failed: ${invocation.error}`);
  return invocation;
}
