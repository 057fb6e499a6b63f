import { EVENT_TYPES } from '../../shared/contracts/event-types';
import type { SqlEngine } from '../../shared/sql/dialect';
import { NAMED_QUERIES } from '../../shared/sql/named-queries';
import type { NamedQuery } from '../../shared/sql/query-definition';
import { DRIFT_VIEW_NAMES, RAW_TABLE_NAMES } from '../../shared/sql/typed-events';
import { describeError } from '../../shared/util/errors';
import { requireReadOnlyAthenaSql } from '../athena-read-only';
import { awsClientConfig, requireStackForAwsOptions } from '../aws-config';
import type { Command, CommandContext } from '../command';
import { driftNote } from '../drift-notes';
import type { runReadOnly } from '../duckdb-sandbox';
import type { EventDatabase } from '../event-database';
import { ExitCode } from '../exit-codes';
import { parseCount } from '../inputs';
import { commandLine } from '../install-kind';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { queryOnAthena } from '../query-on-athena';
import { resultCommand } from '../render';
import { AWS_TARGET_OPTIONS, STATE_DIR_OPTION, VERBOSE_OPTION } from '../shared-options';
import { describeSource, displayPath, readSource, resolveStateDir, type StateDir } from '../state-dir';
import { queryRefusals } from '../usage-errors';
import { type LocalAnswer, type QueryResult, queryView } from './query-view';

/** Finds a named query by exact name, or by a piece of its name that matches only one. */
export function findNamedQuery(wanted: string): NamedQuery {
  const needle = wanted.trim().toLowerCase();
  const exact = NAMED_QUERIES.find((q) => q.name.toLowerCase() === needle);
  if (exact) return exact;
  const matches = NAMED_QUERIES.filter((q) => q.name.toLowerCase().includes(needle));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1)
    throw queryRefusals.ambiguousName(
      wanted,
      matches.map((q) => q.name),
    );
  throw queryRefusals.noSuchName(wanted);
}

/** The SQL to run: the positional text as given, or a named query in the engine's own text. */
function chooseSql(
  args: ParsedCommandLine,
  engine: SqlEngine,
): { sql: string; named: NamedQuery | undefined } {
  const named = stringValue(args, 'named');
  const [sql] = args.positionals;
  if (named !== undefined && sql !== undefined) throw queryRefusals.sqlAndNamed();
  if (named !== undefined) {
    const query = findNamedQuery(named);
    return { sql: query.sql[engine], named: query };
  }
  if (sql === undefined || sql.trim() === '') throw queryRefusals.noSql();
  return { sql, named: undefined };
}

/**
 * Fields that arrived with another type read as NULL in the typed tables: one plain note for all types,
 * or with --verbose a line per type naming its drift view and raw table.
 */
async function typeDriftNotes(db: EventDatabase, options: { verbose: boolean; demo: boolean }) {
  const counts = await db.driftCounts();
  if (!options.verbose) {
    const events = Object.fromEntries(EVENT_TYPES.map((type) => [type, counts[type].events]));
    const note = driftNote(events, {
      demo: options.demo,
      details:
        `"${commandLine('status')}" lists the fields; "${commandLine('query --verbose ...')}" names the ` +
        'views to read them',
    });
    return note ? [note] : [];
  }
  return EVENT_TYPES.filter((type) => counts[type].fields > 0).map((type) => {
    const { events, fields } = counts[type];
    const fieldWord = fields === 1 ? 'field' : 'fields';
    const what = `${fields} ${fieldWord} in ${events} ${type} event${events === 1 ? '' : 's'}`;
    const reads = fields === 1 ? 'reads' : 'read';
    return (
      `Note: ${what} arrived with another type than the schema's and ${reads} as NULL: ` +
      `SELECT * FROM ${DRIFT_VIEW_NAMES[type]} (the lines are in ${RAW_TABLE_NAMES[type]}).`
    );
  });
}

/** What a person should know before reading the rows of the local files. */
async function leadNotes(db: EventDatabase, state: StateDir, args: ParsedCommandLine): Promise<string[]> {
  const notes: string[] = [];
  const source = readSource(state);
  const total = EVENT_TYPES.reduce((sum, type) => sum + db.files[type], 0);
  if (total === 0) {
    notes.push(
      `No event files in ${displayPath(state.s3)} yet: the tables are empty. Run ` +
        `"${commandLine('start')}" first.`,
    );
  } else if (source?.kind === 'demo') {
    notes.push(
      `Note: ${displayPath(state.root)} holds ${describeSource(source)}, not a real account's events.`,
    );
  }
  // Counting drift reads every line again: only for a person reading a table, not for --json.
  if (!flag(args, 'json')) {
    const options = { verbose: flag(args, 'verbose'), demo: source?.kind === 'demo' };
    notes.push(...(await typeDriftNotes(db, options)));
  }
  for (const failure of db.viewFailures) {
    notes.push(`The view ${failure.view.name} could not be created on DuckDB: ${failure.error}`);
  }
  return notes;
}

/** The SQL run read-only by DuckDB over the local state folder's event files. */
async function queryLocally(
  args: ParsedCommandLine,
  context: CommandContext,
  chosen: { sql: string; named: NamedQuery | undefined; maxRows: number },
): Promise<LocalAnswer> {
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  // Loaded here, not at start-up: DuckDB's native module cost every other command about 80 ms
  // (the sandbox imports it too, so it is loaded here as well).
  const [{ openEventDatabase }, { ReadOnlyQueryError, runReadOnly }] = await Promise.all([
    import('../event-database'),
    import('../duckdb-sandbox'),
  ]);
  const db = await openEventDatabase(state.s3);
  try {
    const lead = await leadNotes(db, state, args);
    const { sql, named, maxRows } = chosen;
    const answer = { kind: 'local', namedQuery: named?.name, maxRows, lead } as const;
    let reader: Awaited<ReturnType<typeof runReadOnly>>;
    try {
      reader = await runReadOnly(db.connection, sql, state.s3);
    } catch (error) {
      if (error instanceof ReadOnlyQueryError || !named) {
        // Refused SQL ends the command with an error: what a person reads first still comes first.
        for (const note of lead) context.out.note(note);
        if (error instanceof ReadOnlyQueryError) throw error;
        throw queryRefusals.duckdbRejected(describeError(error));
      }
      const failure = `The named query "${named.name}" did not run on DuckDB: ${describeError(error)}.`;
      return { ...answer, columns: [], rows: [], failure, exitCode: ExitCode.Failure };
    }
    const rows = reader.getRowObjectsJson();
    return { ...answer, columns: reader.columnNames(), rows, exitCode: ExitCode.Ok };
  } finally {
    db.close();
  }
}

function checkTargetOptions(args: ParsedCommandLine): string | undefined {
  const stack = stringValue(args, 'stack');
  if (stack !== undefined && stringValue(args, 'state-dir') !== undefined) {
    throw queryRefusals.stateDirWithStack();
  }
  if (stack === undefined && flag(args, 'allow-write')) throw queryRefusals.allowWriteLocally();
  requireStackForAwsOptions(args);
  return stack;
}

async function query(args: ParsedCommandLine, context: CommandContext): Promise<QueryResult> {
  const stack = checkTargetOptions(args);
  if (flag(args, 'list')) return { kind: 'list', queries: NAMED_QUERIES, exitCode: ExitCode.Ok };
  const { sql, named } = chooseSql(args, stack === undefined ? 'duckdb' : 'athena');
  const maxRowsGiven = stringValue(args, 'max-rows');
  const maxRows = parseCount(maxRowsGiven, '--max-rows', 1, 1_000_000, 200);
  if (stack === undefined) return queryLocally(args, context, { sql, named, maxRows });
  if (!flag(args, 'allow-write')) requireReadOnlyAthenaSql(sql);
  const choice = {
    stackName: stack,
    pipelineId: stringValue(args, 'pipeline'),
    clientConfig: awsClientConfig(args),
    sql,
    named,
    // Like the local query, --json prints every row unless --max-rows says otherwise.
    maxRows: flag(args, 'json') && maxRowsGiven === undefined ? undefined : maxRows,
  };
  return queryOnAthena(choice, context);
}

export const queryCommand: Command = resultCommand(
  {
    name: 'query',
    brief: "SQL and the stack's named queries: DuckDB over the local files, or Athena with --stack.",
    usage:
      'op-events query "SQL" | --named NAME | --list  [--json] [--verbose] [--max-rows N] [--state-dir ' +
      'DIR | --stack NAME [--allow-write]]',
    summary:
      'Runs SQL with DuckDB over the event files of a local run (<state>/s3), with the same tables ' +
      '(auditevents, itemusages, signinattempts, and the *_unique views) and the same named queries as ' +
      'the Athena stack. ' +
      "With --stack, runs it in the stack's Athena workgroup and database instead, and says what it " +
      'scanned and cost.',
    positionals: { max: 1, description: 'SQL' },
    options: {
      named: {
        type: 'string',
        value: 'NAME',
        description: "Run one of the stack's named queries (full name or a unique part).",
      },
      list: { type: 'boolean', description: 'List the named queries.' },
      json: { type: 'boolean', description: 'Print one JSON object per row.' },
      ...VERBOSE_OPTION,
      'max-rows': {
        type: 'string',
        value: 'N',
        description:
          'Rows shown in the table (default 200); with --stack and --json, rows printed (default all).',
      },
      ...STATE_DIR_OPTION,
      stack: {
        type: 'string',
        value: 'NAME',
        description:
          'Run in the Athena workgroup of this deployed stack (its CloudFormation outputs); Ctrl-C ' +
          'stops the query.',
      },
      ...AWS_TARGET_OPTIONS,
      'allow-write': {
        type: 'boolean',
        description:
          'With --stack: let the SQL change things (CREATE, INSERT, UNLOAD, MSCK, DROP...); without it ' +
          'only queries run.',
      },
    },
    details:
      'Read-only: over local files DuckDB runs SELECT (WITH, FROM, DESCRIBE, SHOW, SUMMARIZE) only and ' +
      'opens no\n' +
      'file, so a query cannot change the event files or anything else; with --stack, SQL other than ' +
      'SELECT, WITH,\n' +
      'VALUES, TABLE, SHOW, DESCRIBE or EXPLAIN of those is refused before it reaches Athena unless ' +
      '--allow-write is given.\n' +
      "With --stack: progress on stderr, the cost at Athena's list price ($5 per TB scanned, 10 MB " +
      'minimum)\n' +
      'after the result. Exit 2 when Athena finds the SQL wrong, 1 when the query fails otherwise or ' +
      'Athena cancels it,\n' +
      '130 when Ctrl-C stopped it (the first Ctrl-C cancels the query in Athena, a second leaves at once).',
    examples: [
      { args: '--list', does: 'The named queries.' },
      { args: '--named "Failed sign-ins"', does: 'Run a named query over the local files.' },
      {
        args: '"SELECT dt, count(*) AS events FROM signinattempts GROUP BY dt ORDER BY dt"',
        does: 'Your own SQL (DuckDB over the local files).',
      },
      {
        args: '--stack OnePasswordEvents --named "Failed sign-ins" --json',
        does: "In the stack's Athena workgroup; one JSON object per row.",
      },
    ],
  },
  query,
  queryView,
);
