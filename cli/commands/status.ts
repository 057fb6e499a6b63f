import { existsSync } from 'node:fs';
import type { CursorState } from '../../shared/collector/state/cursor-store';
import type { EventType } from '../../shared/contracts/event-types';
import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget, type Target } from '../context';
import type { DriftField } from '../event-database';
import { ExitCode } from '../exit-codes';
import { parseEventTypes } from '../inputs';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import { JSON_OPTION, TABLE_OPTIONS, TYPES_OPTION } from '../shared-options';
import { describeSource, readSource, type StateDir } from '../state-dir';
import { type StatusReport, statusView } from './status-view';

function describeTarget(target: Target, where: string): string {
  if (target.kind !== 'local') return where;
  const source = readSource(target.state);
  return source ? `${where} (${describeSource(source)})` : where;
}

/** The fields of the local files that arrived in another form than 1Password documents. */
async function driftFields(state: StateDir, types: readonly EventType[]): Promise<DriftField[]> {
  if (!existsSync(state.s3)) return [];
  // Loaded here: DuckDB's native module costs every other command about 80 ms.
  const { openEventDatabase } = await import('../event-database');
  const db = await openEventDatabase(state.s3);
  try {
    return (await db.driftFields()).filter((f) => types.includes(f.type));
  } finally {
    db.close();
  }
}

/** The cursor rows of the chosen types; for a person reading a local folder, its drifted fields too. */
async function readStatus(args: ParsedCommandLine, context: CommandContext): Promise<StatusReport> {
  const types = parseEventTypes(stringValue(args, 'types'));
  const target = resolveTarget(args, context.env);
  const table = await openCursorTable(target, args, { purpose: 'op-events status', now: context.now });
  let states: CursorState[];
  try {
    states = await Promise.all(types.map((type) => table.store.read(type)));
  } finally {
    await table.close();
  }
  const local = target.kind === 'local' ? target.state : undefined;
  // Reading every event file again is for a person: --json leaves it out.
  const drift = local && !flag(args, 'json') ? await driftFields(local, types) : [];
  return {
    now: context.now(),
    stateFolder: local?.root,
    where: describeTarget(target, table.where),
    states,
    drift,
    exitCode: ExitCode.Ok,
  };
}

export const statusCommand: Command = resultCommand(
  {
    name: 'status',
    brief: 'Per type: last run, newest event, lag, lease, pending reset, undo history.',
    usage: 'op-events status [--types a,b] [--json] [--state-dir DIR | --stack NAME | --table NAME]',
    summary:
      'Shows, per event type, the last run (time, result, events, pages, stop reason, error), the ' +
      'newest event delivered, lag, lease, any pending reset and the resets undo can walk back, from ' +
      'the cursor table. For a local state folder, also the fields that arrived in another form than ' +
      '1Password documents (schema drift).',
    options: { ...TYPES_OPTION, ...JSON_OPTION, ...TABLE_OPTIONS },
    examples: [
      { args: '', does: 'Every type of the local state folder, which it names first.' },
      { args: '--stack OnePasswordEvents --types auditevents', does: 'Audit events of a deployed stack.' },
      { args: '--json', does: 'One JSON object per type (the cursor itself is never shown).' },
    ],
  },
  readStatus,
  statusView,
);
