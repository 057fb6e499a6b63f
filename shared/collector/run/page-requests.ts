import { startTimeProblem } from '../../util/start-time';
import { instantToMillis, parseTimestamp, toWholeSecondRfc3339 } from '../../util/timestamp';
import type { PageRequest } from '../events-api/events-api-client';
import type { CursorState } from '../state/cursor-store';
import type { RunState } from '../state/run-state';
import type { CollectRunDeps, RunSettings } from './run-types';

/** A request that starts from a time rather than a cursor. */
function resetRequest(settings: RunSettings, startMs: number): PageRequest {
  return { limit: settings.pageSize, start_time: toWholeSecondRfc3339(startMs) };
}

/** Where a run starts with nothing better to go on: START_LOOKBACK_HOURS before now. */
function lookbackStartMs(settings: Pick<RunSettings, 'startLookbackHours'>, nowMs: number): number {
  return nowMs - settings.startLookbackHours * 3_600_000;
}

/**
 * Where a run without a cursor starts: the start set by "op-events reset", else START_TIME, else the
 * look-back.
 */
export function resetStartMs(
  settings: Pick<RunSettings, 'startTime' | 'startLookbackHours'>,
  state: Pick<CursorState, 'startFrom'>,
  nowMs: number,
): number {
  const configured = parseTimestamp(state.startFrom ?? settings.startTime);
  return configured ? instantToMillis(configured) : lookbackStartMs(settings, nowMs);
}

/**
 * The request a run starts with: the stored cursor; else the start set by "op-events reset" or
 * START_TIME; else START_LOOKBACK_HOURS before now.
 */
export function firstRequest(deps: CollectRunDeps, state: CursorState, run: RunState): PageRequest {
  if (state.cursor) return { cursor: state.cursor };
  const configured = parseTimestamp(state.startFrom ?? deps.settings.startTime);
  const startMs = resetStartMs(deps.settings, state, deps.now());
  if (configured) {
    const source = state.startFrom ? 'The start set by "op-events reset"' : 'START_TIME';
    const problem = startTimeProblem(source, startMs, deps.now());
    if (problem?.kind === 'before_retention') {
      deps.telemetry.warn(
        `${problem.message} The API begins at the oldest event it still keeps; nothing older can be ` +
          'collected.',
      );
    }
  }
  run.pageLimit = deps.settings.pageSize;
  return resetRequest(deps.settings, startMs);
}

/**
 * The overlap of a cursor fallback: CURSOR_FALLBACK_OVERLAP_MINUTES, or the largest lateness the type
 * has shown if that is more, since events that late may sit behind the rejected cursor.
 */
export function fallbackOverlapMs(
  settings: Pick<RunSettings, 'cursorFallbackOverlapMinutes'>,
  run: Pick<RunState, 'storedMaxLatenessSeconds' | 'maxBehindMs'>,
): number {
  return Math.max(
    settings.cursorFallbackOverlapMinutes * 60_000,
    (run.storedMaxLatenessSeconds ?? 0) * 1000,
    run.maxBehindMs,
  );
}

/**
 * After a rejected cursor: restart from the newest delivered event minus the overlap (repeats are counted).
 */
export function fallbackRequest(deps: CollectRunDeps, run: RunState): PageRequest {
  const newest = parseTimestamp(run.newestEventTime);
  const overlapMs = fallbackOverlapMs(deps.settings, run);
  const startMs = newest ? instantToMillis(newest) - overlapMs : lookbackStartMs(deps.settings, deps.now());
  run.pageLimit = deps.settings.pageSize;
  run.repeatsNotAfter = run.newestEventTime;
  return resetRequest(deps.settings, startMs);
}
