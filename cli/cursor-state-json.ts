import type { CursorState } from '../shared/collector/state/cursor-store';

/**
 * A cursor row for `--json`: every field but the cursors themselves, which are never printed
 * (`hasCursor` says whether one is stored); the undo history newest first, as undo takes it.
 */
export function cursorStateJson(state: CursorState): Record<string, unknown> {
  const { cursor, resetHistory = [], ...rest } = state;
  return {
    ...rest,
    hasCursor: cursor !== undefined,
    resetHistory: [...resetHistory].reverse().map(({ cursor: replaced, ...position }) => ({
      ...position,
      hasCursor: replaced !== undefined,
    })),
  };
}
