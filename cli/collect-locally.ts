import { randomUUID } from 'node:crypto';
import type { EventSink } from '../shared/collector/delivery/firehose-sink';
import type { RunSummary, StopReason } from '../shared/collector/run/collect-run';
import { createRuntime, runCollector } from '../shared/collector/run/collector-runtime';
import type { Telemetry } from '../shared/collector/run/telemetry';
import type { EventType } from '../shared/contracts/event-types';
import { describeError } from '../shared/util/errors';

/** Lambda's timeout in the stack (infra/defaults/lambda-defaults.ts): each local run gets the same time. */
export const RUN_DEADLINE_MS = 50_000;

/** How one event type fared in one local collection: several collector runs until caught up. */
export interface TypeOutcome {
  readonly type: EventType;
  readonly runs: number;
  readonly events: number;
  readonly pages: number;
  readonly hasMore: boolean;
  readonly stopReason: StopReason | 'max_runs';
  readonly lagSeconds: number | undefined;
  readonly error?: { readonly message: string; readonly cause: unknown };
}

export interface DrainOptions {
  readonly type: EventType;
  /** Environment for createRuntime (the same variables the Lambda gets). */
  readonly env: NodeJS.ProcessEnv;
  readonly telemetry: Telemetry;
  /** Runs before the type stops with has_more still true. */
  readonly maxRuns: number;
  /** Called after each page is delivered (for progress). */
  readonly onPage?: (type: EventType, events: number) => void;
  /** Called after each run. */
  readonly onRun?: (summary: RunSummary) => void;
  /** Asked between runs: stop early (Ctrl-C). */
  readonly stopRequested?: () => boolean;
}

/** The collector's own sink, unchanged, telling the local run about each page it delivered. */
function observedSink(sink: EventSink, onDelivered: (lines: number) => void): EventSink {
  return {
    async deliver(lines, deadlineMs) {
      const report = await sink.deliver(lines, deadlineMs);
      onDelivered(lines.length);
      return report;
    },
  };
}

/**
 * Runs the real collector (createRuntime + runCollector, as the Lambda handler does) for one type
 * again and again until the API says it is caught up (has_more false), a run stops without
 * progress, or `maxRuns` is reached.
 */
export async function drainType(options: DrainOptions): Promise<TypeOutcome> {
  const { type } = options;
  let events = 0;
  let pages = 0;
  let runs = 0;
  let last: RunSummary | undefined;
  // Delivered by the current run so far: a failed run returns no summary.
  let inRun = { events: 0, pages: 0 };
  try {
    const base = createRuntime(options.env, { telemetry: options.telemetry });
    const sink = observedSink(base.sink, (lines) => {
      inRun = { events: inRun.events + lines, pages: inRun.pages + 1 };
      options.onPage?.(type, lines);
    });
    const runtime = { ...base, sink };
    const runPrefix = `local-${randomUUID().slice(0, 8)}`;
    for (;;) {
      runs++;
      inRun = { events: 0, pages: 0 };
      last = await runCollector(runtime, {
        runId: `${runPrefix}-${type}-${runs}`,
        deadlineMs: Date.now() + RUN_DEADLINE_MS,
      });
      events += last.events;
      pages += last.pages;
      options.onRun?.(last);
      // Throttled: running again at once would only be throttled again.
      const progressless =
        last.stopReason === 'cursor_stalled' ||
        last.stopReason === 'empty_pages' ||
        last.stopReason === 'throttled';
      if (!last.hasMore || last.status === 'lease_busy' || progressless || options.stopRequested?.()) {
        return {
          type,
          runs,
          events,
          pages,
          hasMore: last.hasMore,
          stopReason: last.stopReason,
          lagSeconds: last.lagSeconds,
        };
      }
      if (runs >= options.maxRuns) {
        return {
          type,
          runs,
          events,
          pages,
          hasMore: true,
          stopReason: 'max_runs',
          lagSeconds: last.lagSeconds,
        };
      }
    }
  } catch (error) {
    return {
      type,
      runs,
      events: events + inRun.events,
      pages: pages + inRun.pages,
      hasMore: last?.hasMore ?? false,
      stopReason: 'failed',
      lagSeconds: last?.lagSeconds,
      error: { message: describeError(error), cause: error },
    };
  }
}
