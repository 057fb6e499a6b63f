import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget } from '../context';
import { ExitCode } from '../exit-codes';
import { parseEventType, parseTimeInput, requireWithinRetention } from '../inputs';
import { type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import { JSON_OPTION, TABLE_OPTIONS, TYPE_OPTION } from '../shared-options';
import { targetFlags } from '../target-flags';
import { cursorRowRefusals } from '../usage-errors';
import { type ResetDone, resetView } from './reset-view';

/** Moves where a type continues to --from, keeping the old position for undo. */
async function resetType(args: ParsedCommandLine, context: CommandContext): Promise<ResetDone> {
  const type = parseEventType(stringValue(args, 'type'));
  const now = context.now();
  const from = parseTimeInput(stringValue(args, 'from'), '--from', now);
  if (!from) throw cursorRowRefusals.fromRequired();
  requireWithinRetention(from, '--from', now);
  const target = resolveTarget(args, context.env);
  const table = await openCursorTable(target, args, {
    purpose: `op-events reset --type ${type}`,
    now: context.now,
  });
  try {
    const before = await table.store.read(type);
    await table.store.resetStart(type, from.text);
    const after = await table.store.read(type);
    const { where } = table;
    return {
      type,
      where,
      startFrom: from.text,
      before,
      after,
      targetFlags: targetFlags(args),
      exitCode: ExitCode.Ok,
    };
  } finally {
    await table.close();
  }
}

export const resetCommand: Command = resultCommand(
  {
    name: 'reset',
    brief: 'Move where a type continues (next run starts at --from).',
    usage: 'op-events reset --type TYPE --from TIME [--json] [--state-dir DIR | --stack NAME | --table NAME]',
    summary:
      "Moves where a type's collection continues: the next run starts at --from with a fresh cursor " +
      "(within the API's 120-day retention, not in the future). The old position is kept for undo.",
    options: {
      ...TYPE_OPTION,
      from: {
        type: 'string',
        value: 'TIME',
        description: 'RFC 3339 (2026-01-05T08:00:00Z), a UTC date, or an age (12h, 7d).',
      },
      ...JSON_OPTION,
      ...TABLE_OPTIONS,
    },
    details:
      'Refused while a run of that type holds the lease (exit code 1): try again when it has finished.',
    examples: [
      {
        args: '--type auditevents --from 7d',
        does: 'Collect the last 7 days of audit events again (the views drop the repeats).',
      },
      {
        args: '--type signinattempts --from 2026-01-05T00:00:00Z --stack OnePasswordEvents',
        does: "Move a deployed stack's sign-in attempts back to a moment.",
      },
      { args: '--type itemusages --from 1d --json', does: 'The outcome as one JSON object.' },
    ],
  },
  resetType,
  resetView,
);
