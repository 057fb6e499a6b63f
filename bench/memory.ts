import { PipelineHarness } from '../test/support/pipeline-harness';
import type { BenchContext } from './bench-context';
import { seedDemoEvents } from './demo-pages';
import { type Invocation, LambdaProcess } from './lambda-process';
import { BENCH_FIREHOSE_QUOTA, collectorProcessEnv } from './loopback-aws';

export interface MemoryPoint {
  /** Events drained by the process so far. */
  readonly events: number;
  readonly runs: number;
  /** Peak resident set size of the function's process so far (VmHWM). */
  readonly peakRssMb: number;
  /** Largest V8 heap and off-heap (buffer) figures seen during the last run (sampled every 10 ms). */
  readonly peakHeapMb: number;
  readonly peakExternalMb: number;
}

export interface MemoryResult {
  readonly memoryMb: number;
  /** RSS right after importing the artifact, before any invocation. */
  readonly importedRssMb: number;
  /** After one run of 20,000 events, then after 200,000 in total (runs of 120,000 and 60,000 more). */
  readonly small: MemoryPoint;
  readonly large: MemoryPoint;
  /** large.peakRssMb / small.peakRssMb. */
  readonly growth: number;
  /** The same sequence with the heap flags of another memory size (the stack's, in the bench). */
  readonly alternative: { readonly memoryMb: number; readonly peakRssMb: number; readonly error?: string };
}

/**
 * Events in the longest run measured: 120 pages. A run's memory is per page, not per run (the stack's
 * MAX_EVENTS_PER_RUN, a cap a run behind rarely reaches, would only make the run longer).
 */
const LARGEST_RUN = 120_000;
const TYPE = 'auditevents';

/**
 * Peak RSS of one execution environment of the collector (the synthesized artifact, started with the
 * Lambda runtime's heap flags for the stack's memory size) after a run of 20,000 events, and again
 * once it has drained 200,000 (runs of 120,000, twelve times the stack's default, and 60,000 follow): a
 * run must hold only the pages in flight, whatever it drains. The stand-ins, which keep every
 * record, run in this process and do not count.
 */
export async function measureMemory(
  context: BenchContext,
  smallEvents = 20_000,
  largeEvents = 200_000,
  alternativeMemoryMb = 128,
): Promise<MemoryResult> {
  const main = await drainInOneEnvironment(context, smallEvents, largeEvents);
  const alternative = await drainInOneEnvironment(
    { ...context, memoryMb: alternativeMemoryMb },
    smallEvents,
    largeEvents,
  ).then(
    ({ large }) => ({ memoryMb: alternativeMemoryMb, peakRssMb: large.peakRssMb }),
    (error: unknown) => ({
      memoryMb: alternativeMemoryMb,
      peakRssMb: Number.NaN,
      error: String(error).slice(0, 200),
    }),
  );
  return {
    memoryMb: context.memoryMb,
    importedRssMb: main.importedRssMb,
    small: main.small,
    large: main.large,
    growth: main.large.peakRssMb / main.small.peakRssMb,
    alternative,
  };
}

async function drainInOneEnvironment(context: BenchContext, smallEvents: number, largeEvents: number) {
  const harness = await PipelineHarness.start({ firehoseQuota: BENCH_FIREHOSE_QUOTA });
  const addEvents = (count: number, seed: number) => seedDemoEvents(harness.api, TYPE, count, seed);
  try {
    addEvents(smallEvents, 4);
    const settings = harness.env(TYPE, {
      PAGE_SIZE: '1000',
      MAX_EVENTS_PER_RUN: String(LARGEST_RUN),
      REQUEST_TIMEOUT_MS: '10000',
      REQUEST_BUDGET_PER_MINUTE: '0',
    });
    const { process, ready } = await LambdaProcess.start({
      runtime: context.lambdaRuntime,
      bundle: context.collectorArtifact,
      env: collectorProcessEnv(harness, settings, { memoryMb: context.memoryMb }),
      memoryMb: context.memoryMb,
      stepTimeoutMs: 120_000,
    });
    try {
      let drained = 0;
      let runs = 0;
      const drainUntil = async (target: number): Promise<MemoryPoint> => {
        let last: Invocation | undefined;
        while (drained < target) {
          last = await process.invoke(context.timeoutMs, { sampleMemory: true });
          if (last.error) throw new Error(`memory run failed: ${last.error}`);
          const { events } = last.result as { events: number };
          if (events === 0) throw new Error(`the simulator ran dry at ${drained} of ${target} events`);
          drained += events;
          runs++;
        }
        if (!last) throw new Error('nothing drained');
        return {
          events: drained,
          runs,
          peakRssMb: last.maxRssBytes / 2 ** 20,
          peakHeapMb: last.peak.heapTotal / 2 ** 20,
          peakExternalMb: last.peak.external / 2 ** 20,
        };
      };
      const small = await drainUntil(smallEvents);
      addEvents(largeEvents - smallEvents, 5);
      const large = await drainUntil(largeEvents);
      return { importedRssMb: ready.rssBytes / 2 ** 20, small, large };
    } finally {
      await process.stop();
    }
  } finally {
    await harness.stop();
  }
}
