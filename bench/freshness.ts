import { scheduleIntervalSeconds } from '../infra/defaults/catch-up';
import { DEFAULT_SCHEDULE } from '../infra/props/resolve-props';
import {
  type CollectorRuntime,
  createRuntime,
  runCollector,
} from '../shared/collector/run/collector-runtime';
import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';
import { STACK_SETTINGS } from '../shared/contracts/settings';
import { PipelineHarness, streamFor } from '../test/support/pipeline-harness';
import type { BenchContext } from './bench-context';
import { SimulatedClock } from './simulated-clock';

export interface FreshnessOptions {
  /** Simulated seconds per real second. */
  readonly timeScale: number;
  /** Simulated minutes during which events arrive at the API; the schedule runs two more. */
  readonly minutes: number;
  /** Events arriving per type per simulated second. */
  readonly eventsPerSecond: number;
}

export const FRESHNESS_DEFAULTS: FreshnessOptions = { timeScale: 20, minutes: 6, eventsPerSecond: 2 };

export interface FreshnessResult {
  readonly options: FreshnessOptions;
  readonly scheduleSeconds: number;
  readonly bufferSeconds: number;
  readonly bufferMiB: number;
  readonly events: number;
  /** Events that arrived and were in no S3 object at the end (should be none). */
  readonly missing: number;
  /** Seconds from an event's arrival at the API to the S3 object that holds it. */
  readonly p50Seconds: number;
  readonly p95Seconds: number;
  readonly maxSeconds: number;
  /** Every event's seconds from arrival to S3, in ascending order (the distribution the plot shows). */
  readonly latenciesSeconds: readonly number[];
  /** Objects the three streams wrote, and per stream per simulated hour of arrivals. */
  readonly objects: number;
  readonly objectsPerStreamHour: number;
}

/**
 * Freshness on a simulated clock: events arrive at the API simulator every simulated second, the
 * three collectors run at every tick of the default schedule, and the Firehose stand-in buffers each
 * partition with the stack's buffering hints on the same clock (local/firehose/delivery-buffer.ts,
 * taking the documented worst case of 1.5 intervals). For each event: from its arrival at the API to
 * the time its object is in S3.
 */
export async function measureFreshness(
  context: BenchContext,
  options: FreshnessOptions = FRESHNESS_DEFAULTS,
): Promise<FreshnessResult> {
  const bufferSeconds = STACK_SETTINGS.firehoseBufferInterval.default;
  const bufferMiB = STACK_SETTINGS.firehoseBufferSize.default;
  const scheduleSeconds = scheduleIntervalSeconds(DEFAULT_SCHEDULE) ?? 60;
  const clock = new SimulatedClock(options.timeScale);
  const harness = await PipelineHarness.start({
    firehoseClock: clock.now,
    firehoseBuffering: { intervalSeconds: bufferSeconds, sizeMiB: bufferMiB },
  });
  try {
    const runtimes = EVENT_TYPES.map((type) =>
      createRuntime(
        harness.env(type, {
          // The stack's collector settings: page size, cap, budget, the region's Firehose quota.
          PAGE_SIZE: String(context.settings.pageSize),
          MAX_EVENTS_PER_RUN: String(context.settings.maxEventsPerRun),
          REQUEST_TIMEOUT_MS: '10000',
          REQUEST_BUDGET_PER_MINUTE: String(context.settings.requestBudgetPerMinute),
          START_TIME: undefined,
          START_LOOKBACK_HOURS: '1',
        }),
        { telemetry: harness.telemetry, now: clock.now, sleep: clock.sleep },
      ),
    );
    const arrivals = new Map<string, number>();
    clock.start();
    const running: Promise<unknown>[] = [];
    const totalSeconds = (options.minutes + 2) * scheduleSeconds;
    for (let second = 0; second < totalSeconds; second++) {
      await clock.sleepUntil(clock.startedAt + second * 1000);
      if (second % scheduleSeconds === 0) {
        for (const runtime of runtimes) running.push(scheduledRun(runtime, clock, context.timeoutMs));
      }
      if (second < options.minutes * 60) {
        for (const type of EVENT_TYPES) arrive(harness, type, options.eventsPerSecond, clock.now(), arrivals);
      }
    }
    await Promise.all(running);
    const objects = EVENT_TYPES.flatMap((type) =>
      harness.firehose.s3Objects(streamFor(type), Number.POSITIVE_INFINITY),
    );
    const latencies: number[] = [];
    const seen = new Set<string>();
    for (const object of objects) {
      for (const line of object.items) {
        const uuid = (JSON.parse(line) as { uuid: string }).uuid;
        const arrivedAt = arrivals.get(uuid);
        if (arrivedAt === undefined || seen.has(uuid)) continue;
        seen.add(uuid);
        latencies.push((object.writtenAt - arrivedAt) / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
    return {
      options,
      scheduleSeconds,
      bufferSeconds,
      bufferMiB,
      events: arrivals.size,
      missing: arrivals.size - seen.size,
      p50Seconds: at(0.5),
      p95Seconds: at(0.95),
      maxSeconds: latencies.at(-1) ?? NaN,
      latenciesSeconds: latencies,
      objects: objects.length,
      objectsPerStreamHour: objects.length / EVENT_TYPES.length / (options.minutes / 60),
    };
  } finally {
    await harness.stop();
  }
}

let sequence = 0;

/** Events that happen now and reach the API at once (the API's own delay is not modelled). */
function arrive(
  harness: PipelineHarness,
  type: EventType,
  count: number,
  nowMs: number,
  arrivals: Map<string, number>,
): void {
  const timestamp = new Date(nowMs).toISOString();
  const events = Array.from({ length: count }, () => {
    const uuid = `FRESH${String(++sequence).padStart(21, '0')}`;
    arrivals.set(uuid, nowMs);
    return { uuid, timestamp, account_uuid: 'ACCOUNT0000000000000000000', type: 'fresh' };
  });
  harness.api.addEvents(type, events);
}

/** One scheduled invocation with the stack's timeout, on the simulated clock. */
function scheduledRun(runtime: CollectorRuntime, clock: SimulatedClock, timeoutMs: number): Promise<unknown> {
  return runCollector(runtime, { deadlineMs: clock.now() + timeoutMs }).catch((error: unknown) => {
    throw new Error(`a freshness run failed: ${error instanceof Error ? error.message : String(error)}`);
  });
}
