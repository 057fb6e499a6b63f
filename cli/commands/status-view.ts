import type { CursorState, PreviousPosition } from '../../shared/collector/state/cursor-store';
import { EVENT_TYPES } from '../../shared/contracts/event-types';
import { DRIFT_VIEW_NAMES, RAW_TABLE_NAMES } from '../../shared/sql/typed-events';
import { secondsSince } from '../../shared/util/timestamp';
import { cursorStateJson } from '../cursor-state-json';
import type { DriftField } from '../event-database';
import { formatDuration, formatEpoch, formatTable } from '../format-table';
import type { CommandResult, ResultView } from '../render';
import { positionText } from './reset-view';

/** Where collection of each chosen type stands, as the cursor table holds it. */
export interface StatusReport extends CommandResult {
  readonly now: number;
  /** The local state folder (absent for a table on AWS). */
  readonly stateFolder?: string;
  /** The cursor table, in words. */
  readonly where: string;
  readonly states: readonly CursorState[];
  /**
   * Local files only, and not for --json: the fields that arrived in another form than the schema
   * documents (the details `start` and `query` leave out of their one-line note).
   */
  readonly drift: readonly DriftField[];
}

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

const HEADERS = [
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
];

function stateTable(states: readonly CursorState[], now: number): string {
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
  return formatTable(HEADERS, rows, { alignRight: ['events', 'pages', 'total'], maxCellWidth: 44 });
}

function driftLines(fields: readonly DriftField[]): string[] {
  if (fields.length === 0) return [];
  const shown = EVENT_TYPES.filter((type) => fields.some((f) => f.type === type));
  const views = shown.map((type) => `SELECT * FROM ${DRIFT_VIEW_NAMES[type]}`).join('; ');
  const rawTables = shown.map((type) => RAW_TABLE_NAMES[type]).join(', ');
  return [
    '',
    'Fields in another form than 1Password documents (stored as sent; they read as NULL in the tables):',
    formatTable(
      ['type', 'field', 'arrived as', 'events'],
      fields.map((f) => [f.type, f.field, f.arrivedAs, f.events]),
      { alignRight: ['events'] },
    ),
    `Each one with its value: ${views}. The lines as sent: ${rawTables}.`,
  ];
}

/** A type's failed last run, and the resets undo can walk back, newest first. */
function historyLines(state: CursorState): string[] {
  const lines: string[] = [];
  if (state.lastRun?.error) lines.push(`\n${state.type} last run failed: ${state.lastRun.error}`);
  const history = state.resetHistory ?? [];
  if (history.length === 0) return lines;
  const undo = `one "op-events undo --type ${state.type}" each`;
  lines.push(`\n${state.type}: ${history.length} reset(s) can be undone, newest first, ${undo}:`);
  [...history].reverse().forEach((position, i) => {
    lines.push(`  ${i + 1}. reset at ${position.changedAt}; undo returns to: ${replacedText(position)}`);
  });
  return lines;
}

function text(report: StatusReport) {
  const lines = [
    ...(report.stateFolder === undefined ? [] : [`State folder: ${report.stateFolder}`]),
    `Cursor table: ${report.where}`,
    '',
    stateTable(report.states, report.now),
    ...driftLines(report.drift),
    ...report.states.flatMap(historyLines),
  ];
  return { lines };
}

/** One object per type: the row without its cursors, and the lag. */
function json({ states, now }: StatusReport) {
  return {
    lines: states.map((state) => ({ ...cursorStateJson(state), lagSeconds: lagSeconds(state, now) })),
  };
}

export const statusView: ResultView<StatusReport> = { text, json };
