import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget } from '../context';
import { cursorStateJson } from '../cursor-state-json';
import { ExitCode, UsageError } from '../exit-codes';
import { parseEventType } from '../inputs';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { JSON_OPTION, TABLE_OPTIONS, TYPE_OPTION } from '../shared-options';
import { positionText } from './reset';

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const type = parseEventType(stringValue(args, 'type'));
  const target = resolveTarget(args, context.env);
  const table = await openCursorTable(target, args, {
    purpose: `op-events undo --type ${type}`,
    now: context.now,
  });
  try {
    const before = await table.store.read(type);
    const undone = before.resetHistory?.at(-1);
    if (!undone) {
      throw new UsageError(`There is no reset of ${type} to undo in ${table.where}. Nothing was changed.`);
    }
    const ranSince = before.lastRun && before.lastRun.finishedAt > undone.changedAt;
    const after = await table.store.undoReset(type);
    if (!after) throw new UsageError(`The reset of ${type} was undone meanwhile. Nothing was changed.`);
    if (flag(args, 'json')) {
      const { cursor: _, ...reset } = undone;
      out.line(
        JSON.stringify({
          type,
          where: table.where,
          undone: reset,
          runsSinceReset: Boolean(ranSince),
          after: cursorStateJson(after),
        }),
      );
      return ExitCode.Ok;
    }
    out.line(`Undid the reset of ${type} (made ${undone.changedAt}) in ${table.where}.`);
    out.line(`${type} is now ${positionText(after)}.`);
    const left = after.resetHistory?.length ?? 0;
    out.line(
      left === 0
        ? 'No earlier reset is kept.'
        : `${left} earlier reset${left === 1 ? '' : 's'} can still be undone, one at a time (see op-events status).`,
    );
    if (ranSince) {
      out.line(
        'Runs happened since the reset: events they delivered are collected again from the restored position; the *_unique views remove the duplicates.',
      );
    }
    return ExitCode.Ok;
  } finally {
    await table.close();
  }
}

export const undoCommand: Command = {
  spec: {
    name: 'undo',
    brief: 'Undo the last reset of a type (again for the one before).',
    usage: 'op-events undo --type TYPE [--json] [--state-dir DIR | --stack NAME | --table NAME]',
    summary:
      'Undoes the last reset of a type: collection continues from where it stood before that reset. Run it again to walk back further: the last 5 resets are kept.',
    options: { ...TYPE_OPTION, ...JSON_OPTION, ...TABLE_OPTIONS },
    examples: [
      { args: '--type auditevents', does: 'Go back to where audit events stood before the last reset.' },
      {
        args: '--type auditevents --stack OnePasswordEvents --json',
        does: 'The same on a deployed stack; the outcome as one JSON object.',
      },
    ],
  },
  run,
};
