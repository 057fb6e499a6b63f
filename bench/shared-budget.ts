import type { RunSummary } from '../shared/collector/run/collect-run';
import {
  type CollectorRuntime,
  createRuntime,
  runCollector,
} from '../shared/collector/run/collector-runtime';
import { EVENT_TYPES } from '../shared/contracts/event-types';
import { PipelineHarness } from '../test/support/pipeline-harness';
import type { BenchContext } from './bench-context';
import { seedDemoEvents } from './demo-pages';
import { SimulatedClock } from './simulated-clock';

export interface SharedBudgetOptions {
  readonly budgetPerMinute: number;
  /** Simulated seconds per real second: a simulated minute lasts 60 / timeScale real seconds. */
  readonly timeScale: number;
  /** Schedule ticks (simulated minutes) to run. */
  readonly minutes: number;
  readonly pageSize: number;
  readonly apiLatencyMs: number;
  /** Each collector's MAX_EVENTS_PER_RUN (the stack's unless given). */
  readonly maxEventsPerRun: number;
}

export const SHARED_BUDGET_DEFAULTS: Omit<SharedBudgetOptions, 'budgetPerMinute' | 'maxEventsPerRun'> = {
  timeScale: 10,
  minutes: 4,
  pageSize: 10,
  apiLatencyMs: 5,
};

export interface SharedBudgetResult {
  readonly options: SharedBudgetOptions;
  readonly requests: number;
  /** Most requests the API received in one budget window (a calendar minute of the simulated clock). */
  readonly peakPerWindow: number;
  /** Most requests the API received in any 60 simulated seconds (windows straddling two budget minutes). */
  readonly peakPerSlidingMinute: number;
  /** Most in any 60 simulated minutes, from the per-minute bound (the bench runs a few minutes). */
  readonly boundPerHour: number;
  readonly runs: number;
  /** Runs that stopped because the budget was spent until their deadline (the next tick resumes). */
  readonly runsStoppedByBudget: number;
  readonly events: number;
}

/**
 * Three types draining a backlog at once, sharing REQUEST_BUDGET_PER_MINUTE through the cursor table,
 * on a clock that runs `timeScale` times faster than real time: the budget's one-minute windows, the
 * run deadlines, every backoff wait and the Firehose stand-in's quota are measured on that clock, so a
 * few real seconds cover several schedule ticks. Request times come from the simulator's log (real
 * arrival times mapped onto the simulated clock). The collectors run in this process with the stack's
 * settings but the page size: only counts matter here, and how many events a minute they drain.
 */
export async function measureSharedBudget(
  context: BenchContext,
  overrides: Partial<SharedBudgetOptions> = {},
): Promise<SharedBudgetResult> {
  const options: SharedBudgetOptions = {
    ...SHARED_BUDGET_DEFAULTS,
    budgetPerMinute: context.settings.requestBudgetPerMinute,
    maxEventsPerRun: context.settings.maxEventsPerRun,
    ...overrides,
  };
  const clock = new SimulatedClock(options.timeScale);
  // The stream keeps its region's default quota, on the simulated clock like the collectors' pacers.
  const harness = await PipelineHarness.start({
    apiLatencyMs: options.apiLatencyMs,
    firehoseClock: clock.now,
  });
  try {
    // Enough backlog that no type runs dry: every request of the budget could go to one type.
    const backlog = options.budgetPerMinute * options.minutes * options.pageSize;
    for (const type of EVENT_TYPES) seedDemoEvents(harness.api, type, backlog, 2);
    const { now, sleep } = clock;
    const runtimes = EVENT_TYPES.map((type) =>
      createRuntime(
        harness.env(type, {
          PAGE_SIZE: String(options.pageSize),
          MAX_EVENTS_PER_RUN: String(options.maxEventsPerRun),
          REQUEST_TIMEOUT_MS: '10000',
          REQUEST_BUDGET_PER_MINUTE: String(options.budgetPerMinute),
        }),
        { telemetry: harness.telemetry, now, sleep },
      ),
    );
    harness.api.reset();
    clock.start();
    const simStart = clock.startedAt;
    let runs = 0;
    let runsStoppedByBudget = 0;
    for (let minute = 0; minute < options.minutes; minute++) {
      await sleep(simStart + minute * 60_000 - now());
      const summaries = await Promise.all(runtimes.map((runtime) => scheduledRun(runtime, now, context)));
      runs += summaries.length;
      runsStoppedByBudget += summaries.filter((summary) => summary.stopReason === 'request_budget').length;
    }
    const times = harness.api.requests.map((request) => clock.toSimulated(Date.parse(request.at)));
    const peakPerWindow = Math.max(...countBy(times, (t) => Math.floor(t / 60_000)).values());
    const peakPerSlidingMinute = peakInWindow(times, 60_000);
    return {
      options,
      requests: times.length,
      peakPerWindow,
      peakPerSlidingMinute,
      boundPerHour: options.budgetPerMinute * 60 + options.budgetPerMinute,
      runs,
      runsStoppedByBudget,
      events: EVENT_TYPES.reduce((sum, type) => sum + harness.lines(type).length, 0),
    };
  } finally {
    await harness.stop();
  }
}

/** One scheduled invocation: the stack's timeout as deadline, on the simulated clock. */
async function scheduledRun(
  runtime: CollectorRuntime,
  now: () => number,
  context: BenchContext,
): Promise<RunSummary> {
  return runCollector(runtime, { deadlineMs: now() + context.timeoutMs });
}

function countBy<T>(values: readonly number[], key: (value: number) => T): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(key(value), (counts.get(key(value)) ?? 0) + 1);
  return counts;
}

/** Most values inside any half-open window of `width` (values need not be sorted). */
function peakInWindow(values: readonly number[], width: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= width) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
