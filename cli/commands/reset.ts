import type { CursorState } from '../../shared/cursor-store';
import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget } from '../context';
import { cursorStateJson } from '../cursor-state-json';
import { ExitCode, UsageError } from '../exit-codes';
import { parseEventType, parseTimeInput, requireWithinRetention } from '../inputs';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { JSON_OPTION, TABLE_OPTIONS, TYPE_OPTION } from '../shared-options';
import { targetFlags } from '../target-flags';

/** Where collection of a type stands, in words. */
export function positionText(state: CursorState): string {
  if (state.cursor) {
    return `continuing from its stored cursor${state.newestEventTime ? ` (newest event delivered: ${state.newestEventTime})` : ''}`;
  }
  if (state.startFrom) return `set to start at ${state.startFrom}`;
  return 'not started yet (a first run starts at START_TIME or START_LOOKBACK_HOURS back)';
}

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const type = parseEventType(stringValue(args, 'type'));
  const now = context.now();
  const from = parseTimeInput(stringValue(args, 'from'), '--from', now);
  if (!from)
    throw new UsageError(
      '--from is required: the time the next run starts from (e.g. 2026-01-05T00:00:00Z or 7d).',
    );
  requireWithinRetention(from, '--from', now);
  const target = resolveTarget(args, context.env);
  const table = await openCursorTable(target, args, {
    purpose: `op-events reset --type ${type}`,
    now: context.now,
  });
  try {
    const before = await table.store.read(type);
    await table.store.resetStart(type, from.text);
    if (flag(args, 'json')) {
      const after = await table.store.read(type);
      out.line(
        JSON.stringify({
          type,
          where: table.where,
          startFrom: from.text,
          before: cursorStateJson(before),
          after: cursorStateJson(after),
        }),
      );
      return ExitCode.Ok;
    }
    out.line(`Reset ${type} in ${table.where}: the next run starts at ${from.text} with a fresh cursor.`);
    out.line(`Before, ${type} was ${positionText(before)}.`);
    out.line(
      `Events from ${from.text} on are collected again; those already in S3 become duplicates, which the *_unique views remove.`,
    );
    out.line(`Undo (before or after the next run): op-events undo --type ${type}${targetFlags(args)}`);
    return ExitCode.Ok;
  } finally {
    await table.close();
  }
}

export const resetCommand: Command = {
  spec: {
    name: 'reset',
    brief: 'Move where a type continues (next run starts at --from).',
    usage: 'op-events reset --type TYPE --from TIME [--json] [--state-dir DIR | --stack NAME | --table NAME]',
    summary:
      "Moves where a type's collection continues: the next run starts at --from with a fresh cursor (within the API's 120-day retention, not in the future). The old position is kept for undo.",
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
  run,
};
