import { existsSync } from 'node:fs';
import type { CursorState, PreviousPosition } from '../../shared/cursor-store';
import { EVENT_TYPES, type EventType } from '../../shared/event-types';
import { DRIFT_VIEW_NAMES, RAW_TABLE_NAMES } from '../../shared/sql/typed-events';
import { secondsSince } from '../../shared/timestamp';
import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget, type Target } from '../context';
import { cursorStateJson } from '../cursor-state-json';
import { ExitCode } from '../exit-codes';
import { formatDuration, formatEpoch, formatTable } from '../format-table';
import { parseEventTypes } from '../inputs';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { JSON_OPTION, TABLE_OPTIONS, TYPES_OPTION } from '../shared-options';
import { describeSource, readSource, type StateDir } from '../state-dir';
import { positionText } from './reset-view';

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

/**
 * Local files only: the fields that arrived in another form than the schema documents (the details
 * `start` and `query` leave out of their one-line note), counted over every event collected.
 */
async function printDrift(
  state: StateDir,
  types: readonly EventType[],
  context: CommandContext,
): Promise<void> {
  if (!existsSync(state.s3)) return;
  // Loaded here: DuckDB's native module costs every other command about 80 ms.
  const { openEventDatabase } = await import('../event-database');
  const db = await openEventDatabase(state.s3);
  try {
    const fields = (await db.driftFields()).filter((f) => types.includes(f.type));
    if (fields.length === 0) return;
    const { out } = context;
    out.line();
    out.line(
      'Fields in another form than 1Password documents (stored as sent; they read as NULL in the tables):',
    );
    out.line(
      formatTable(
        ['type', 'field', 'arrived as', 'events'],
        fields.map((f) => [f.type, f.field, f.arrivedAs, f.events]),
        { alignRight: ['events'] },
      ),
    );
    const shown = EVENT_TYPES.filter((type) => fields.some((f) => f.type === type));
    out.line(
      `Each one with its value: ${shown.map((type) => `SELECT * FROM ${DRIFT_VIEW_NAMES[type]}`).join('; ')}. The lines as sent: ${shown.map((type) => RAW_TABLE_NAMES[type]).join(', ')}.`,
    );
  } finally {
    db.close();
  }
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
    if (target.kind === 'local') await printDrift(target.state, types, context);
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
      'Shows, per event type, the last run (time, result, events, pages, stop reason, error), the newest event delivered, lag, lease, any pending reset and the resets undo can walk back, from the cursor table. ' +
      'For a local state folder, also the fields that arrived in another form than 1Password documents (schema drift).',
    options: { ...TYPES_OPTION, ...JSON_OPTION, ...TABLE_OPTIONS },
    examples: [
      { args: '', does: 'Every type of the local state folder, which it names first.' },
      { args: '--stack OnePasswordEvents --types auditevents', does: 'Audit events of a deployed stack.' },
      { args: '--json', does: 'One JSON object per type (the cursor itself is never shown).' },
    ],
  },
  run,
};
