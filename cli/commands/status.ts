import type { CursorState, PreviousPosition } from '../../shared/cursor-store';
import { secondsSince } from '../../shared/timestamp';
import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget, type Target } from '../context';
import { cursorStateJson } from '../cursor-state-json';
import { ExitCode } from '../exit-codes';
import { formatDuration, formatEpoch, formatTable } from '../format-table';
import { parseEventTypes } from '../inputs';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { JSON_OPTION, TABLE_OPTIONS, TYPES_OPTION } from '../shared-options';
import { describeSource, readSource } from '../state-dir';
import { positionText } from './reset';

/** Seconds from the newest delivered event to now. */
function lagSeconds(state: CursorState, now: number): number | undefined {
  return secondsSince(state.newestEventTime, now);
}

function leaseText(state: CursorState, now: number): string {
  if (!state.leaseOwner) return 'free';
  const until = state.leaseExpiresAt;
  if (until !== undefined && until < now) return `expired (${state.leaseOwner})`;
  return `${state.leaseOwner} until ${formatEpoch(until)}`;
}

function resetText(state: CursorState): string {
  if (state.startFrom && !state.cursor) return `next run starts at ${state.startFrom}`;
  return 'no';
}

/** A position a reset replaced, in words (the cursor itself is never shown). */
function replacedText(position: PreviousPosition): string {
  return positionText({ type: 'auditevents', totalEvents: 0, ...position });
}

function describeTarget(target: Target, where: string): string {
  if (target.kind !== 'local') return where;
  const source = readSource(target.state);
  return source ? `${where} (${describeSource(source)})` : where;
}

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const types = parseEventTypes(stringValue(args, 'types'));
  const target = resolveTarget(args, context.env);
  const table = await openCursorTable(target, args, { purpose: 'op-events status', now: context.now });
  try {
    const states = await Promise.all(types.map((type) => table.store.read(type)));
    const now = context.now();
    if (flag(args, 'json')) {
      for (const state of states) {
        out.line(JSON.stringify({ ...cursorStateJson(state), lagSeconds: lagSeconds(state, now) }));
      }
      return ExitCode.Ok;
    }
    if (target.kind === 'local') out.line(`State folder: ${target.state.root}`);
    out.line(`Cursor table: ${describeTarget(target, table.where)}`);
    out.line();
    const rows = states.map((state) => {
      const run = state.lastRun;
      return [
        state.type,
        run ? formatEpoch(Date.parse(run.finishedAt)) : 'never',
        run?.result ?? '',
        run?.events ?? '',
        run?.pages ?? '',
        run?.stopReason ?? '',
        state.newestEventTime ?? '',
        formatDuration(lagSeconds(state, now)),
        state.totalEvents,
        leaseText(state, now),
        resetText(state),
      ];
    });
    out.line(
      formatTable(
        [
          'type',
          'last run',
          'result',
          'events',
          'pages',
          'stop',
          'newest event',
          'lag',
          'total',
          'lease',
          'reset pending',
        ],
        rows,
        { alignRight: ['events', 'pages', 'total'], maxCellWidth: 44 },
      ),
    );
    for (const state of states) {
      if (state.lastRun?.error) out.line(`\n${state.type} last run failed: ${state.lastRun.error}`);
      const history = state.resetHistory ?? [];
      if (history.length > 0) {
        out.line(
          `\n${state.type}: ${history.length} reset(s) can be undone, newest first, one "op-events undo --type ${state.type}" each:`,
        );
        [...history].reverse().forEach((position, i) => {
          out.line(`  ${i + 1}. reset at ${position.changedAt}; undo returns to: ${replacedText(position)}`);
        });
      }
    }
    return ExitCode.Ok;
  } finally {
    await table.close();
  }
}

export const statusCommand: Command = {
  spec: {
    name: 'status',
    brief: 'Per type: last run, newest event, lag, lease, pending reset, undo history.',
    usage: 'op-events status [--types a,b] [--json] [--state-dir DIR | --stack NAME | --table NAME]',
    summary:
      'Shows, per event type, the last run (time, result, events, pages, stop reason, error), the newest event delivered, lag, lease, any pending reset and the resets undo can walk back, from the cursor table.',
    options: { ...TYPES_OPTION, ...JSON_OPTION, ...TABLE_OPTIONS },
    examples: [
      { args: '', does: 'Every type of the local state folder, which it names first.' },
      { args: '--stack OnePasswordEvents --types auditevents', does: 'Audit events of a deployed stack.' },
      { args: '--json', does: 'One JSON object per type (the cursor itself is never shown).' },
    ],
  },
  run,
};
