import type { CursorState, PreviousPosition } from '../../shared/collector/state/cursor-store';
import type { EventType } from '../../shared/contracts/event-types';
import { cursorStateJson } from '../cursor-state-json';
import type { CommandResult, ResultView } from '../render';
import { positionText } from './reset-view';

/** What `op-events undo` changed: the reset it undid and the row it left. */
export interface UndoDone extends CommandResult {
  readonly type: EventType;
  readonly where: string;
  /** The position the undone reset had replaced (its cursor is never printed). */
  readonly undone: PreviousPosition;
  /** A run finished after that reset: what it delivered is collected again. */
  readonly runsSinceReset: boolean;
  readonly after: CursorState;
}

export const RUNS_SINCE_RESET_NOTE =
  'Runs happened since the reset: events they delivered are collected again from the restored position; ' +
  'the *_unique views remove the duplicates.';

function earlierResetsText(left: number): string {
  if (left === 0) return 'No earlier reset is kept.';
  const resets = `${left} earlier reset${left === 1 ? '' : 's'}`;
  return `${resets} can still be undone, one at a time (see op-events status).`;
}

function text({ type, where, undone, runsSinceReset, after }: UndoDone) {
  const lines = [
    `Undid the reset of ${type} (made ${undone.changedAt}) in ${where}.`,
    `${type} is now ${positionText(after)}.`,
    earlierResetsText(after.resetHistory?.length ?? 0),
  ];
  if (runsSinceReset) lines.push(RUNS_SINCE_RESET_NOTE);
  return { lines };
}

function json({ type, where, undone, runsSinceReset, after }: UndoDone) {
  const { cursor: _, ...reset } = undone;
  return { lines: [{ type, where, undone: reset, runsSinceReset, after: cursorStateJson(after) }] };
}

export const undoView: ResultView<UndoDone> = { text, json };
