import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventType } from '../shared/event-types';
import { PipelineHarness } from '../test/support/pipeline-harness';
import { ApiProcess } from './api-process';
import type { BenchContext } from './bench-context';
import { bundleLikeTheStack } from './lambda-bundle';
import { type Invocation, LambdaProcess } from './lambda-process';
import { collectorProcessEnv } from './loopback-aws';
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
  readonly repetitions: number;
  /** collector / floor of each repetition (both warm, measured back to back). */
  readonly ratios: readonly number[];
  /** pageSize / apiLatency: what a client would reach if a page cost nothing but the API's latency. */
  readonly nominalLimit: number;
  /** A handler that only pages through the API (paging-floor.ts), warm, same simulator: the repetition with the median ratio. */
  readonly floor: RunRate;
  /** The deployed collector artifact, warm (a first, cold run drained the events before it), same repetition. */
  readonly collector: RunRate;
  /** The same collector's cold first run (token read, scope check, JIT warm-up included). */
  readonly collectorCold: RunRate;
  /** collector / floor with REQUEST_BUDGET_PER_MINUTE=0, per repetition: what the budget's writes cost. */
  readonly ratiosWithoutBudget: readonly number[];
}

/**
 * Drain rate of one event type: the collector (the synthesized Lambda artifact, in its own process
 * with the stack's memory flags and request budget) against the API-bound floor, both draining
 * pages of demo events from the simulator in a third process, Firehose and DynamoDB stand-ins here.
 */
export async function measureDrain(
  context: BenchContext,
  options: DrainOptions = DRAIN_DEFAULTS,
  repetitions = 3,
): Promise<DrainResult> {
  const harness = await PipelineHarness.start({ firehoseLatencyMs: options.firehoseLatencyMs });
  const api = await ApiProcess.start({
    workDir: context.workDir,
    token: harness.token,
    latencyMs: options.apiLatencyMs,
  });
  try {
    await api.seed(options.type, 2 * options.eventsPerRun);
    const floorBundle = await bundleLikeTheStack(
      fileURLToPath(new URL('./paging-floor.ts', import.meta.url)),
      join(context.workDir, 'paging-floor', 'index.mjs'),
    );
    const samples: { ratio: number; floor: RunRate; collector: RunRate; collectorCold: RunRate }[] = [];
    const ratiosWithoutBudget: number[] = [];
    const collectorEnv = async (budgetPerMinute: number) => {
      await harness.table(); // a fresh cursor: each run pair drains the same events from the start
      const settings = harness.env(options.type, {
        EVENTS_API_URL: api.url,
        PAGE_SIZE: String(options.pageSize),
        MAX_EVENTS_PER_RUN: String(options.eventsPerRun),
        REQUEST_TIMEOUT_MS: '10000',
        REQUEST_BUDGET_PER_MINUTE: String(budgetPerMinute),
      });
      return collectorProcessEnv(harness, settings, { memoryMb: context.memoryMb });
    };
    for (let repetition = 0; repetition < repetitions; repetition++) {
      const env = await collectorEnv(context.settings.requestBudgetPerMinute);
      const [cold, warm] = await invokeTwice(context, context.collectorArtifact, env);
      const [, warmWithoutBudget] = await invokeTwice(
        context,
        context.collectorArtifact,
        await collectorEnv(0),
      );
      const floorEnv = {
        ...env,
        BENCH_TOKEN: harness.token,
        FLOOR_PAGES: String(Math.ceil(options.eventsPerRun / options.pageSize)),
      };
      const [, floor] = await invokeTwice(context, floorBundle.path, floorEnv);
      const collector = rateOf(warm);
      const floorRate = rateOf(floor);
      ratiosWithoutBudget.push(rateOf(warmWithoutBudget).eventsPerSecond / floorRate.eventsPerSecond);
      samples.push({
        ratio: collector.eventsPerSecond / floorRate.eventsPerSecond,
        floor: floorRate,
        collector,
        collectorCold: rateOf(cold),
      });
    }
    const ratios = samples.map((sample) => sample.ratio);
    const middle =
      samples.find((sample) => sample.ratio === median(ratios)) ?? (samples[0] as (typeof samples)[0]);
    return {
      options,
      repetitions,
      ratios,
      nominalLimit: (options.pageSize * 1000) / options.apiLatencyMs,
      floor: middle.floor,
      collector: middle.collector,
      collectorCold: middle.collectorCold,
      ratiosWithoutBudget,
    };
  } finally {
    await api.stop();
    await harness.stop();
  }
}

async function invokeTwice(context: BenchContext, bundle: string, env: Record<string, string>) {
  const { process } = await LambdaProcess.start({
    runtime: context.lambdaRuntime,
    bundle,
    env,
    memoryMb: context.memoryMb,
    stepTimeoutMs: 120_000,
  });
  try {
    const first = await process.invoke(context.timeoutMs);
    const second = await process.invoke(context.timeoutMs);
    return [first, second] as const;
  } finally {
    await process.stop();
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
