import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../local/events-api-simulator';
import { decodeCursor } from '../../local/simulator/cursor-codec';
import type { EventSink } from '../../shared/collector/delivery/firehose-sink';
import { type CollectRunDeps, collectRun } from '../../shared/collector/run/collect-run';
import type { CollectorRuntime } from '../../shared/collector/run/collector-runtime';
import type { CursorStore } from '../../shared/collector/state/cursor-store';
import { DELIVERY_ALLOWANCE_MS } from '../../shared/contracts/run-timing';
import { eventTextOf, makeEvents, PipelineHarness } from '../support/pipeline-harness';

/**
 * Property: whatever the fault schedule and wherever a run is killed, every event reaches Firehose
 * with its text unchanged, repeats come only from the one page a failed or killed run had in
 * flight, and the committed cursor never moves backwards.
 */

class Crash extends Error {}

/** Kills the "process" at one step: that call (and every later one of the run) never returns. */
class CrashSwitch {
  steps = 0;
  crashed = false;
  constructor(private readonly at: { step: number; afterCall: boolean } | undefined) {}

  async call<T>(real: () => Promise<T>): Promise<T> {
    if (this.crashed) throw new Crash('dead');
    const step = this.steps++;
    if (this.at?.step !== step) return real();
    this.crashed = true;
    if (this.at.afterCall) await real().catch(() => undefined); // it happened; the answer is lost
    throw new Crash(`killed at step ${step}`);
  }
}

function withCrashes(
  runtime: CollectorRuntime,
  crash: CrashSwitch,
  onCommit: (cursor: string) => void,
  clock: { now: () => number; pageTook: () => void },
): CollectRunDeps {
  const store = runtime.store;
  const crashingStore = {
    acquireLease: (...a: Parameters<CursorStore['acquireLease']>) =>
      crash.call(() => store.acquireLease(...a)),
    commitPage: (...a: Parameters<CursorStore['commitPage']>) =>
      crash.call(async () => {
        await store.commitPage(...a);
        onCommit(a[2].cursor);
      }),
    releaseLease: (...a: Parameters<CursorStore['releaseLease']>) =>
      crash.call(() => store.releaseLease(...a)),
  } as unknown as CursorStore;
  const sink: EventSink = {
    deliver: (lines, deadline) => crash.call(() => runtime.sink.deliver(lines, deadline)),
  };
  return {
    spec: runtime.spec,
    settings: runtime.config,
    api: {
      stats: runtime.api.stats,
      fetchPage: (spec, request, deadline) =>
        crash.call(() => {
          clock.pageTook();
          return runtime.api.fetchPage(spec, request, deadline);
        }),
    },
    store: crashingStore,
    sink,
    telemetry: runtime.telemetry,
    now: clock.now,
  };
}

const FAULTS: Record<string, Fault | undefined> = {
  none: undefined,
  throttle: { kind: 'status', status: 429, retryAfter: '0' },
  error500: { kind: 'status', status: 500 },
  error503: { kind: 'status', status: 503 },
  torn: { kind: 'torn' },
  truncated: { kind: 'truncated-json' },
  reset: { kind: 'reset' },
  malformed: { kind: 'malformed' },
};

const batch = fc.record({ count: fc.integer({ min: 0, max: 60 }), late: fc.boolean() });
const faultSchedule = {
  apiFaults: fc.array(fc.constantFrom(...Object.keys(FAULTS)), { minLength: 1, maxLength: 30 }),
  recordFailure: fc.constantFrom(0, 0.1, 0.4),
  callFailure: fc.constantFrom(0, 0.1),
};

/** Short runs: MAX_EVENTS_PER_RUN of a few pages ends each run. */
const scenario = fc.record({
  batches: fc.array(batch, { minLength: 1, maxLength: 3 }),
  pageSize: fc.integer({ min: 1, max: 25 }),
  pagesPerRun: fc.integer({ min: 1, max: 4 }),
  ...faultSchedule,
  crashes: fc.array(fc.option(fc.record({ step: fc.nat(12), afterCall: fc.boolean() }), { nil: undefined }), {
    maxLength: 6,
  }),
  runsPerBatch: fc.integer({ min: 1, max: 3 }),
  pageMs: fc.constant(0),
});

/**
 * Catch-up: the stack's MAX_EVENTS_PER_RUN (a cap far away), each run as long as the stack's function
 * timeout and pages that take simulated seconds, so that a run behind pages until its time bound (or
 * the end of the backlog) and a crash can come dozens of steps in.
 */
const catchUpScenario = fc.record({
  batches: fc.array(fc.record({ count: fc.integer({ min: 0, max: 400 }), late: fc.boolean() }), {
    minLength: 1,
    maxLength: 2,
  }),
  pageSize: fc.integer({ min: 1, max: 25 }),
  ...faultSchedule,
  crashes: fc.array(fc.option(fc.record({ step: fc.nat(90), afterCall: fc.boolean() }), { nil: undefined }), {
    maxLength: 4,
  }),
  runsPerBatch: fc.integer({ min: 1, max: 2 }),
  pageMs: fc.constantFrom(0, 1_000, 4_000),
});

type Drawn<T> = T extends fc.Arbitrary<infer V> ? V : never;
type Scenario = Drawn<typeof scenario> | (Drawn<typeof catchUpScenario> & { pagesPerRun?: undefined });

interface Figures {
  scenarios: number;
  events: number;
  delivered: number;
  duplicates: number;
  failedOrKilledRuns: number;
  lost: number;
  runsEndedByTime: number;
}

/** The stack's function timeout on the default schedule (infra/defaults/catch-up.ts). */
const RUN_TIMEOUT_MS = 50_000;

async function checkNoLoss(s: Scenario, figures: Figures): Promise<void> {
  const h = await PipelineHarness.start({ firehoseSeed: s.pageSize });
  try {
    const type = 'itemusages' as const;
    let clockOffset = 0;
    const now = () => Date.now() + clockOffset;
    const clock = { now, pageTook: () => (clockOffset += s.pageMs) };
    const env = {
      PAGE_SIZE: String(s.pageSize),
      // Unset: the stack's default, a cap a run behind does not reach here.
      MAX_EVENTS_PER_RUN: s.pagesPerRun === undefined ? undefined : String(s.pageSize * s.pagesPerRun),
    };
    const runtime = h.runtime(type, env, { now, sleep: async () => undefined });
    runtime.scopeChecked = true;
    const originals = new Map<string, string>();
    const committedPositions: number[] = [];
    const onCommit = (cursor: string) => committedPositions.push(decodeCursor(cursor)?.position ?? -1);
    let failedRuns = 0;
    let runIndex = 0;

    const runOnce = async (faulty: boolean) => {
      const crash = new CrashSwitch(faulty ? s.crashes[runIndex] : undefined);
      runIndex++;
      const deadlineMs = now() + (s.pagesPerRun === undefined ? RUN_TIMEOUT_MS : 30_000);
      try {
        const summary = await collectRun(withCrashes(runtime, crash, onCommit, clock), {
          runId: `run-${runIndex}`,
          deadlineMs,
          reserveMs: s.pagesPerRun === undefined ? DELIVERY_ALLOWANCE_MS : 1000,
        });
        if (summary.stopReason === 'time_budget') figures.runsEndedByTime++;
        return summary;
      } catch {
        failedRuns++;
        // A killed run keeps its lease until the invocation's deadline: let that time pass.
        if (crash.crashed) clockOffset += Math.max(0, deadlineMs - now()) + 3_000;
        return undefined;
      }
    };

    h.api.setFaultPlan((request) => FAULTS[s.apiFaults[request.n % s.apiFaults.length]!]);
    h.firehose.setFailureRates({
      failRecordProbability: s.recordFailure,
      failCallProbability: s.callFailure,
    });
    let next = 0;
    for (const batch of s.batches) {
      const startMs = Date.parse(batch.late ? '2025-12-01T00:00:00Z' : '2026-01-01T00:00:00Z');
      const events = makeEvents(type, batch.count, next, startMs);
      next += batch.count;
      for (const e of events) originals.set(e.uuid, JSON.stringify(e));
      h.api.addEvents(type, events);
      for (let r = 0; r < s.runsPerBatch; r++) await runOnce(true);
    }
    // The storm passes: the next runs must catch up with everything.
    h.api.setFaultPlan(undefined);
    h.firehose.setFailureRates({ failRecordProbability: 0, failCallProbability: 0 });
    for (let r = 0; r < 200; r++) {
      const summary = await runOnce(false);
      if (summary && !summary.hasMore) break;
    }

    const lines = h.lines(type);
    const counts = new Map<string, number>();
    for (const line of lines) {
      const text = eventTextOf(line);
      const uuid = (JSON.parse(text) as { uuid: string }).uuid;
      expect(text).toBe(originals.get(uuid)); // every field unchanged, nothing invented
      counts.set(uuid, (counts.get(uuid) ?? 0) + 1);
    }
    const lost = [...originals.keys()].filter((uuid) => !counts.has(uuid));
    expect(lost).toEqual([]);
    const duplicates = lines.length - counts.size;
    expect(duplicates).toBeLessThanOrEqual(failedRuns * s.pageSize);
    if (failedRuns === 0) expect(duplicates).toBe(0);
    for (let i = 1; i < committedPositions.length; i++) {
      expect(committedPositions[i]).toBeGreaterThanOrEqual(committedPositions[i - 1]!);
    }
    figures.scenarios++;
    figures.events += originals.size;
    figures.delivered += counts.size;
    figures.duplicates += duplicates;
    figures.failedOrKilledRuns += failedRuns;
    figures.lost += lost.length;
  } finally {
    await h.stop();
  }
}

const newFigures = (): Figures => ({
  scenarios: 0,
  events: 0,
  delivered: 0,
  duplicates: 0,
  failedOrKilledRuns: 0,
  lost: 0,
  runsEndedByTime: 0,
});
const seed = Number(process.env.PROPERTY_SEED ?? 20261122);

describe('no event is lost under faults and crashes', () => {
  it('holds for random fault schedules and crash points', async () => {
    const figures = newFigures();
    await fc.assert(
      fc.asyncProperty(scenario, (s) => checkNoLoss(s, figures)),
      { numRuns: 40, seed, endOnFailure: true },
    );
    // The figures the closing note quotes; printed so each CI run shows them.
    console.log(`no-loss property: ${JSON.stringify(figures)}`);
    expect(figures.scenarios).toBe(40);
  });

  it('holds for long catch-up runs, bounded by their time rather than an event cap', async () => {
    const figures = newFigures();
    await fc.assert(
      fc.asyncProperty(catchUpScenario, (s) => checkNoLoss(s, figures)),
      { numRuns: 20, seed, endOnFailure: true },
    );
    console.log(`no-loss property, catch-up: ${JSON.stringify(figures)}`);
    expect(figures.scenarios).toBe(20);
    // The time bound, not only the end of the backlog, ended some of these runs.
    expect(figures.runsEndedByTime).toBeGreaterThan(0);
  });
});
