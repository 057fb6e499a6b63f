import { UsageError } from './exit-codes';

/**
 * The CLI's refusals of bad input (exit code 2), one named factory each: the logic says which
 * refusal it makes, and the text (what is wrong, what to do) lives here. Each says that nothing
 * was changed where a command would have changed something.
 */

/** reset, undo and accept-account: the cursor row refuses the change. */
export const cursorRowRefusals = {
  fromRequired: () =>
    new UsageError(
      '--from is required: the time the next run starts from (e.g. 2026-01-05T00:00:00Z or 7d).',
    ),
  nothingToUndo: (type: string, where: string) =>
    new UsageError(`There is no reset of ${type} to undo in ${where}. Nothing was changed.`),
  undoneMeanwhile: (type: string) =>
    new UsageError(`The reset of ${type} was undone meanwhile. Nothing was changed.`),
  noAccountRecorded: (type: string, where: string) =>
    new UsageError(
      `${type} in ${where} has no account recorded yet (the next run records the token's). Nothing was changed.`,
    ),
};
