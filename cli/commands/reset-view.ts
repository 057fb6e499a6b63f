import type { CursorState } from '../../shared/collector/state/cursor-store';
import type { EventType } from '../../shared/contracts/event-types';
import { cursorStateJson } from '../cursor-state-json';
import type { CommandResult, ResultView } from '../render';

/** Where collection of a type stands, in words. */
export function positionText(state: CursorState): string {
  if (state.cursor) {
    const newest = state.newestEventTime ? ` (newest event delivered: ${state.newestEventTime})` : '';
    return `continuing from its stored cursor${newest}`;
  }
  if (state.startFrom) return `set to start at ${state.startFrom}`;
  return 'not started yet (a first run starts at START_TIME or START_LOOKBACK_HOURS back)';
}

/** What `op-events reset` changed: a type's row before and after its start moved to `startFrom`. */
export interface ResetDone extends CommandResult {
  readonly type: EventType;
  /** The cursor table, in words. */
  readonly where: string;
  readonly startFrom: string;
  readonly before: CursorState;
  readonly after: CursorState;
  /** The options that chose the table, for the undo command it suggests (` --state-dir DIR`). */
  readonly targetFlags: string;
}

function text({ type, where, startFrom, before, targetFlags }: ResetDone) {
  return {
    lines: [
      `Reset ${type} in ${where}: the next run starts at ${startFrom} with a fresh cursor.`,
      `Before, ${type} was ${positionText(before)}.`,
      `Events from ${startFrom} on are collected again; those already in S3 become duplicates, ` +
        'which the *_unique views remove.',
      `Undo (before or after the next run): op-events undo --type ${type}${targetFlags}`,
    ],
  };
}

function json({ type, where, startFrom, before, after }: ResetDone) {
  return {
    lines: [{ type, where, startFrom, before: cursorStateJson(before), after: cursorStateJson(after) }],
  };
}

export const resetView: ResultView<ResetDone> = { text, json };
