import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firehoseDirectPutQuota } from '../shared/contracts/aws-limits';
import type { EventType } from '../shared/contracts/event-types';
import { PipelineHarness } from '../test/support/pipeline-harness';
import { ApiProcess } from './api-process';
import type { BenchContext } from './bench-context';
import { bundleLikeTheStack } from './lambda-bundle';
import { type Invocation, LambdaProcess } from './lambda-process';
import { BENCH_FIREHOSE_QUOTA, collectorProcessEnv, FAKE_AWS_ENV } from './loopback-aws';
import { median } from './stats';

export interface DrainOptions {
  readonly type: EventType;
  readonly pageSize: number;
  /** Events each measured run drains (its MAX_EVENTS_PER_RUN). */
  readonly eventsPerRun: number;
  readonly apiLatencyMs: number;
  readonly firehoseLatencyMs: number;
}

export const DRAIN_DEFAULTS: DrainOptions = {
  type: 'auditevents',
  pageSize: 1000,
  eventsPerRun: 20_000,
  apiLatencyMs: 50,
  firehoseLatencyMs: 30,
};

export interface RunRate {
  readonly events: number;
  readonly pages: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly eventsPerSecond: number;
}

export interface DrainResult {
  readonly options: DrainOptions;
  /** Rounds of warm runs; each round runs the floor, the collector and the collector without budget back to back. */
  readonly rounds: number;
  /** collector / floor of each round. */
  readonly ratios: readonly number[];
  /** pageSize / apiLatency: what a client would reach if a page cost nothing but the API's latency. */
  readonly nominalLimit: number;
  /** A handler that only pages through the API (paging-floor.ts), warm, same simulator: the round with the median ratio. */
  readonly floor: RunRate;
  /** The deployed collector artifact, warm, same round. */
  readonly collector: RunRate;
  /** The same collector's cold first run (token read, scope check, JIT warm-up included). */
  readonly collectorCold: RunRate;
  /** collector / floor with REQUEST_BUDGET_PER_MINUTE=0, per round: what the budget's writes cost. */
  readonly ratiosWithoutBudget: readonly number[];
  /** A warm run against a stream with its region's default Direct PUT quota, paced by the collector. */
  readonly paced: PacedDrain;
}

export interface PacedDrain {
  readonly region: string;
  readonly quotaMiBPerSecond: number;
  readonly run: RunRate;
  /** Record data Firehose accepted during the run, per second of the run. */
  readonly mibPerSecond: number;
  /** Calls the stand-in refused as over the quota during the run. */
  readonly throttledCalls: number;
}

/**
 * Drain rate of one event type: the collector (the synthesized Lambda artifact, in its own process
 * with the stack's memory flags and request budget) against the API-bound floor, both draining
 * pages of demo events from the simulator in a third process, Firehose and DynamoDB stand-ins here.
 *
 * The three handlers live in warm processes side by side and run one after the other in each round,
 * so every ratio compares runs seconds apart: on a shared 2-core machine, the load drifts over a
 * minute more than the difference being measured.
 */
export async function measureDrain(
  context: BenchContext,
  options: DrainOptions = DRAIN_DEFAULTS,
  rounds = 9,
): Promise<DrainResult> {
  const harness = await PipelineHarness.start({
    firehoseLatencyMs: options.firehoseLatencyMs,
    firehoseQuota: BENCH_FIREHOSE_QUOTA,
  });
  const api = await ApiProcess.start({
    workDir: context.workDir,
    token: harness.token,
    latencyMs: options.apiLatencyMs,
  });
  const processes: LambdaProcess[] = [];
  const start = async (bundle: string, env: Record<string, string>) => {
    const { process } = await LambdaProcess.start({
      runtime: context.lambdaRuntime,
      bundle,
      env,
      memoryMb: context.memoryMb,
      stepTimeoutMs: 120_000,
    });
    processes.push(process);
    return process;
  };
  try {
    // Each collector drains its own cursor (its own table) through a cold run and then one run per round.
    await api.seed(options.type, (rounds + 1) * options.eventsPerRun);
    const collectorEnv = async (budgetPerMinute: number) => {
      await harness.table();
      const settings = harness.env(options.type, {
        EVENTS_API_URL: api.url,
        PAGE_SIZE: String(options.pageSize),
        MAX_EVENTS_PER_RUN: String(options.eventsPerRun),
        REQUEST_TIMEOUT_MS: '10000',
        REQUEST_BUDGET_PER_MINUTE: String(budgetPerMinute),
      });
      return collectorProcessEnv(harness, settings, { memoryMb: context.memoryMb });
    };
    const collectorWithBudget = await collectorEnv(context.settings.requestBudgetPerMinute);
    const floorBundle = await bundleLikeTheStack(
      fileURLToPath(new URL('./paging-floor.ts', import.meta.url)),
      join(context.workDir, 'paging-floor', 'index.mjs'),
    );
    const collector = await start(context.collectorArtifact, collectorWithBudget);
    const collectorWithoutBudget = await start(context.collectorArtifact, await collectorEnv(0));
    const floor = await start(floorBundle.path, {
      ...collectorWithBudget,
      BENCH_TOKEN: harness.token,
      FLOOR_PAGES: String(Math.ceil(options.eventsPerRun / options.pageSize)),
    });
    const run = async (process: LambdaProcess) => rateOf(await process.invoke(context.timeoutMs));
    const collectorCold = await run(collector);
    await run(collectorWithoutBudget);
    await run(floor);

    const samples: { ratio: number; floor: RunRate; collector: RunRate }[] = [];
    const ratiosWithoutBudget: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const floorRate = await run(floor);
      const collectorRate = await run(collector);
      const withoutBudget = await run(collectorWithoutBudget);
      samples.push({
        ratio: collectorRate.eventsPerSecond / floorRate.eventsPerSecond,
        floor: floorRate,
        collector: collectorRate,
      });
      ratiosWithoutBudget.push(withoutBudget.eventsPerSecond / floorRate.eventsPerSecond);
    }
    const paced = await pacedDrain(
      harness,
      await collectorEnv(context.settings.requestBudgetPerMinute),
      (env) => start(context.collectorArtifact, env),
      run,
    );
    const ratios = samples.map((sample) => sample.ratio);
    const middle =
      samples.find((sample) => sample.ratio === median(ratios)) ?? (samples[0] as (typeof samples)[0]);
    return {
      options,
      rounds,
      ratios,
      nominalLimit: (options.pageSize * 1000) / options.apiLatencyMs,
      floor: middle.floor,
      collector: middle.collector,
      collectorCold,
      ratiosWithoutBudget,
      paced,
    };
  } finally {
    await Promise.all(processes.map((process) => process.stop()));
    await api.stop();
    await harness.stop();
  }
}

/**
 * One warm run of the collector against a stream that has its region's default quota (the stand-in
 * enforces it) and a collector left to its default (no FIREHOSE_QUOTA_MIB_PER_SECOND): how fast a
 * backlog drains there, and whether any call is throttled on the way.
 */
async function pacedDrain(
  harness: PipelineHarness,
  env: Record<string, string>,
  startCollector: (env: Record<string, string>) => Promise<LambdaProcess>,
  run: (process: LambdaProcess) => Promise<RunRate>,
): Promise<PacedDrain> {
  const region = FAKE_AWS_ENV.AWS_REGION;
  const quota = firehoseDirectPutQuota(region);
  const { FIREHOSE_QUOTA_MIB_PER_SECOND: _raised, ...defaults } = env;
  harness.firehose.setThroughputQuota(quota);
  try {
    const process = await startCollector(defaults);
    await run(process);
    const before = harness.firehose.stats;
    const rate = await run(process);
    const after = harness.firehose.stats;
    return {
      region,
      quotaMiBPerSecond: quota.bytesPerSecond / 2 ** 20,
      run: rate,
      mibPerSecond: (after.bytes - before.bytes) / 2 ** 20 / (rate.ms / 1000),
      throttledCalls: after.throttledCalls - before.throttledCalls,
    };
  } finally {
    harness.firehose.setThroughputQuota(BENCH_FIREHOSE_QUOTA);
  }
}

function rateOf(invocation: Invocation): RunRate {
  if (invocation.error) throw new Error(`a drain run failed: ${invocation.error}`);
  const result = invocation.result as { events: number; pages: number };
  return {
    events: result.events,
    pages: result.pages,
    ms: invocation.ms,
    cpuMs: invocation.cpuMs,
    eventsPerSecond: (result.events * 1000) / invocation.ms,
  };
}
