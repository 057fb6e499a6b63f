import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget } from '../context';
import { ExitCode } from '../exit-codes';
import { parseEventType } from '../inputs';
import { type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import { JSON_OPTION, TABLE_OPTIONS, TYPE_OPTION } from '../shared-options';
import { cursorRowRefusals } from '../usage-errors';
import { type UndoDone, undoView } from './undo-view';

/** Undoes the last reset of a type: its row returns to the position that reset replaced. */
async function undoReset(args: ParsedCommandLine, context: CommandContext): Promise<UndoDone> {
  const type = parseEventType(stringValue(args, 'type'));
  const target = resolveTarget(args, context.env);
  const table = await openCursorTable(target, args, {
    purpose: `op-events undo --type ${type}`,
    now: context.now,
  });
  try {
    const before = await table.store.read(type);
    const undone = before.resetHistory?.at(-1);
    if (!undone) throw cursorRowRefusals.nothingToUndo(type, table.where);
    const runsSinceReset = Boolean(before.lastRun && before.lastRun.finishedAt > undone.changedAt);
    const after = await table.store.undoReset(type);
    if (!after) throw cursorRowRefusals.undoneMeanwhile(type);
    return { type, where: table.where, undone, runsSinceReset, after, exitCode: ExitCode.Ok };
  } finally {
    await table.close();
  }
}

export const undoCommand: Command = resultCommand(
  {
    name: 'undo',
    brief: 'Undo the last reset of a type (again for the one before).',
    usage: 'op-events undo --type TYPE [--json] [--state-dir DIR | --stack NAME | --table NAME]',
    summary:
      'Undoes the last reset of a type: collection continues from where it stood before that reset. ' +
      'Run it again to walk back further: the last 5 resets are kept.',
    options: { ...TYPE_OPTION, ...JSON_OPTION, ...TABLE_OPTIONS },
    examples: [
      { args: '--type auditevents', does: 'Go back to where audit events stood before the last reset.' },
      {
        args: '--type auditevents --stack OnePasswordEvents --json',
        does: 'The same on a deployed stack; the outcome as one JSON object.',
      },
    ],
  },
  undoReset,
  undoView,
);
