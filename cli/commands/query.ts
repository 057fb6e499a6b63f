import { describeError } from '../../shared/errors';
import { EVENT_TYPES } from '../../shared/event-types';
import type { SqlEngine } from '../../shared/sql/dialect';
import { NAMED_QUERIES } from '../../shared/sql/named-queries';
import type { NamedQuery } from '../../shared/sql/query-definition';
import { DRIFT_VIEW_NAMES, RAW_TABLE_NAMES } from '../../shared/sql/typed-events';
import { requireReadOnlyAthenaSql } from '../athena-read-only';
import { awsClientConfig, requireStackForAwsOptions } from '../aws-config';
import type { Command, CommandContext } from '../command';
import { driftNote } from '../drift-notes';
import type { runReadOnly } from '../duckdb-sandbox';
import type { EventDatabase } from '../event-database';
import { ExitCode, UsageError } from '../exit-codes';
import { cellText, formatTable } from '../format-table';
import { parseCount } from '../inputs';
import { commandLine } from '../install-kind';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { queryOnAthena } from '../query-on-athena';
import { AWS_TARGET_OPTIONS, STATE_DIR_OPTION, VERBOSE_OPTION } from '../shared-options';
import { describeSource, displayPath, readSource, resolveStateDir } from '../state-dir';

/** Finds a named query by exact name, or by a piece of its name that matches only one. */
export function findNamedQuery(wanted: string): NamedQuery {
  const needle = wanted.trim().toLowerCase();
  const exact = NAMED_QUERIES.find((q) => q.name.toLowerCase() === needle);
  if (exact) return exact;
  const matches = NAMED_QUERIES.filter((q) => q.name.toLowerCase().includes(needle));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new UsageError(
      `--named ${JSON.stringify(wanted)} matches ${matches.length} queries (${matches.map((q) => JSON.stringify(q.name)).join(', ')}): give more of the name.`,
    );
  }
  throw new UsageError(
    `No named query matches ${JSON.stringify(wanted)}. Run "op-events query --list" to see them.`,
  );
}

function listQueries(context: CommandContext): ExitCode {
  const rows = NAMED_QUERIES.map((q) => [q.name, q.eventTypes.join(','), q.description]);
  context.out.line(formatTable(['name', 'reads', 'description'], rows, { maxCellWidth: 70 }));
  context.out.line();
  context.out.line('Run one with: op-events query --named "<name, or a unique part of it>"');
  return ExitCode.Ok;
}

/** The SQL to run: the positional text as given, or a named query in the engine's own text. */
function chooseSql(
  args: ParsedCommandLine,
  engine: SqlEngine,
): { sql: string; named: NamedQuery | undefined } {
  const named = stringValue(args, 'named');
  const [sql] = args.positionals;
  if (named !== undefined && sql !== undefined) {
    throw new UsageError('Give either SQL or --named NAME, not both.');
  }
  if (named !== undefined) {
    const query = findNamedQuery(named);
    return { sql: query.sql[engine], named: query };
  }
  if (sql === undefined || sql.trim() === '') {
    throw new UsageError(
      'Give the SQL to run (in quotes), --named NAME, or --list. Run "op-events query --help".',
    );
  }
  return { sql, named: undefined };
}

/**
 * Fields that arrived with another type read as NULL in the typed tables: one plain note for all types,
 * or with --verbose a line per type naming its drift view and raw table.
 */
async function noteTypeDrift(
  db: EventDatabase,
  out: CommandContext['out'],
  options: { verbose: boolean; demo: boolean },
): Promise<void> {
  const counts = await db.driftCounts();
  if (!options.verbose) {
    const events = Object.fromEntries(EVENT_TYPES.map((type) => [type, counts[type].events]));
    const note = driftNote(events, {
      demo: options.demo,
      details: `"${commandLine('status')}" lists the fields; "${commandLine('query --verbose ...')}" names the views to read them`,
    });
    if (note) out.note(note);
    return;
  }
  for (const type of EVENT_TYPES) {
    const { events, fields } = counts[type];
    if (fields === 0) continue;
    out.note(
      `Note: ${fields} field${fields === 1 ? '' : 's'} in ${events} ${type} event${events === 1 ? '' : 's'} arrived with another type than the schema's and read${fields === 1 ? 's' : ''} as NULL: SELECT * FROM ${DRIFT_VIEW_NAMES[type]} (the lines are in ${RAW_TABLE_NAMES[type]}).`,
    );
  }
}

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const stack = stringValue(args, 'stack');
  if (stack !== undefined && stringValue(args, 'state-dir') !== undefined) {
    throw new UsageError(
      '--state-dir is for local files; --stack runs the query in Athena. Give one or the other.',
    );
  }
  if (stack === undefined && flag(args, 'allow-write')) {
    throw new UsageError(
      '--allow-write is for --stack (Athena): op-events query over local files is always read-only.',
    );
  }
  requireStackForAwsOptions(args);
  if (flag(args, 'list')) return listQueries(context);
  const { sql, named } = chooseSql(args, stack === undefined ? 'duckdb' : 'athena');
  const maxRowsGiven = stringValue(args, 'max-rows');
  const maxRows = parseCount(maxRowsGiven, '--max-rows', 1, 1_000_000, 200);
  if (stack !== undefined) {
    if (!flag(args, 'allow-write')) requireReadOnlyAthenaSql(sql);
    const json = flag(args, 'json');
    // Like the local query, --json prints every row unless --max-rows says otherwise.
    const rows = json && maxRowsGiven === undefined ? undefined : maxRows;
    return queryOnAthena(
      {
        stackName: stack,
        pipelineId: stringValue(args, 'pipeline'),
        clientConfig: awsClientConfig(args),
        sql,
        named,
        json,
        maxRows: rows,
      },
      context,
    );
  }
  const state = resolveStateDir(stringValue(args, 'state-dir'), context.env);
  // Loaded here, not at start-up: DuckDB's native module cost every other command about 80 ms
  // (the sandbox imports it too, so it is loaded here as well).
  const [{ openEventDatabase }, { ReadOnlyQueryError, runReadOnly }] = await Promise.all([
    import('../event-database'),
    import('../duckdb-sandbox'),
  ]);
  const db = await openEventDatabase(state.s3);
  try {
    const source = readSource(state);
    const total = EVENT_TYPES.reduce((sum, type) => sum + db.files[type], 0);
    if (total === 0) {
      out.note(
        `No event files in ${displayPath(state.s3)} yet: the tables are empty. Run "${commandLine('start')}" first.`,
      );
    } else if (source?.kind === 'demo') {
      out.note(
        `Note: ${displayPath(state.root)} holds ${describeSource(source)}, not a real account's events.`,
      );
    }
    // Counting drift reads every line again: only for a person reading a table, not for --json.
    if (!flag(args, 'json')) {
      await noteTypeDrift(db, out, { verbose: flag(args, 'verbose'), demo: source?.kind === 'demo' });
    }
    for (const failure of db.viewFailures) {
      out.note(`The view ${failure.view.name} could not be created on DuckDB: ${failure.error}`);
    }
    let reader: Awaited<ReturnType<typeof runReadOnly>>;
    try {
      reader = await runReadOnly(db.connection, sql, state.s3);
    } catch (error) {
      if (error instanceof ReadOnlyQueryError) throw error;
      if (named) {
        out.note(`The named query "${named.name}" did not run on DuckDB: ${describeError(error)}.`);
        return ExitCode.Failure;
      }
      throw new UsageError(`DuckDB could not run the query: ${describeError(error)}`);
    }
    const columns = reader.columnNames();
    const rows = reader.getRowObjectsJson();
    if (flag(args, 'json')) {
      for (const row of rows) out.line(JSON.stringify(row));
      return ExitCode.Ok;
    }
    if (columns.join() === 'explain_key,explain_value') {
      // A plan is a drawing over many lines (the scans' file filters and file counts): as DuckDB draws it.
      for (const row of rows) out.line(String(row.explain_value));
      return ExitCode.Ok;
    }
    if (named) out.line(`-- ${named.name}`);
    if (columns.length === 0) {
      out.line('ok');
      return ExitCode.Ok;
    }
    const shown = rows.slice(0, maxRows).map((row) => columns.map((c) => cellText(row[c])));
    out.line(formatTable(columns, shown, { maxCellWidth: 60 }));
    const more = rows.length > maxRows ? ` (showing ${maxRows}; --max-rows to see more, --json for all)` : '';
    out.line(`(${rows.length} row${rows.length === 1 ? '' : 's'})${more}`);
    return ExitCode.Ok;
  } finally {
    db.close();
  }
}

export const queryCommand: Command = {
  spec: {
    name: 'query',
    brief: "SQL and the stack's named queries: DuckDB over the local files, or Athena with --stack.",
    usage:
      'op-events query "SQL" | --named NAME | --list  [--json] [--verbose] [--max-rows N] [--state-dir DIR | --stack NAME [--allow-write]]',
    summary:
      'Runs SQL with DuckDB over the event files of a local run (<state>/s3), with the same tables ' +
      '(auditevents, itemusages, signinattempts, and the *_unique views) and the same named queries as the Athena stack. ' +
      "With --stack, runs it in the stack's Athena workgroup and database instead, and says what it scanned and cost.",
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
          'Run in the Athena workgroup of this deployed stack (its CloudFormation outputs); Ctrl-C stops the query.',
      },
      ...AWS_TARGET_OPTIONS,
      'allow-write': {
        type: 'boolean',
        description:
          'With --stack: let the SQL change things (CREATE, INSERT, UNLOAD, MSCK, DROP...); without it only queries run.',
      },
    },
    details: `Read-only: over local files DuckDB runs SELECT (WITH, FROM, DESCRIBE, SHOW, SUMMARIZE) only and opens no
file, so a query cannot change the event files or anything else; with --stack, SQL other than SELECT, WITH,
VALUES, TABLE, SHOW, DESCRIBE or EXPLAIN of those is refused before it reaches Athena unless --allow-write is given.
With --stack: progress on stderr, the cost at Athena's list price ($5 per TB scanned, 10 MB minimum)
after the result. Exit 2 when Athena finds the SQL wrong, 1 when the query fails otherwise or Athena cancels it,
130 when Ctrl-C stopped it (the first Ctrl-C cancels the query in Athena, a second leaves at once).`,
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
  run,
};
