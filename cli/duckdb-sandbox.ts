import { sep } from 'node:path';
import {
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  StatementType,
} from '@duckdb/node-api';
import { describeError } from '../shared/util/errors';
import { sqlString } from '../shared/util/sql-quoting';
import { UsageError } from './exit-codes';

/**
 * Settings given when the DuckDB instance is created: no extension is installed or loaded on
 * demand, and none from outside DuckDB's own signed core set.
 * (duckdb.org/docs/stable/operations_manual/securing_duckdb/overview, "Extensions".)
 */
export const SANDBOXED_INSTANCE_OPTIONS: Readonly<Record<string, string>> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  allow_unsigned_extensions: 'false',
};

/**
 * Restricts a connection's instance to files under `readableDir` and nothing else: no other file,
 * no network, no temporary files (a temp directory would be allowed implicitly), then locks the
 * configuration so a query cannot undo it. `allowed_directories` has to be set before
 * `enable_external_access` is switched off, and cannot be passed as a creation option.
 * (duckdb.org/docs/stable/operations_manual/securing_duckdb/overview, "Restricting File Access",
 * "Locking Configurations".) DuckDB lets an allowed directory be written as well as read, and has
 * no setting that tells the two apart; inside it, runReadOnly is what stops a write.
 */
export async function confineToDirectory(connection: DuckDBConnection, readableDir: string): Promise<void> {
  // A trailing separator: "<dir>x" must not match as a prefix of "<dir>".
  const dir = readableDir.endsWith(sep) ? readableDir : `${readableDir}${sep}`;
  await connection.run("SET temp_directory = ''");
  await connection.run(`SET allowed_directories = [${sqlString(dir)}]`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}

/**
 * The one statement kind a query may run, as DuckDB itself types the prepared statement: SELECT
 * (which covers WITH, FROM, VALUES, DESCRIBE, SHOW and SUMMARIZE). EXPLAIN only as runExplain
 * rebuilds it: DuckDB types `EXPLAIN ANALYZE <any statement>` as EXPLAIN, and runs the statement.
 */
const READ_ONLY_KIND = StatementType.SELECT;

const KIND_NAMES: Partial<Record<StatementType, string>> = {
  [StatementType.COPY]: 'COPY',
  [StatementType.ATTACH]: 'ATTACH',
  [StatementType.DETACH]: 'DETACH',
  [StatementType.LOAD]: 'INSTALL/LOAD',
  [StatementType.EXPORT]: 'EXPORT DATABASE',
  [StatementType.SET]: 'SET/RESET/USE',
  [StatementType.VARIABLE_SET]: 'SET VARIABLE',
  [StatementType.CALL]: 'CALL',
  [StatementType.CREATE]: 'CREATE',
  [StatementType.CREATE_FUNC]: 'CREATE FUNCTION/MACRO',
  [StatementType.DROP]: 'DROP',
  [StatementType.ALTER]: 'ALTER',
  [StatementType.INSERT]: 'INSERT',
  [StatementType.UPDATE]: 'UPDATE',
  [StatementType.DELETE]: 'DELETE',
  [StatementType.PRAGMA]: 'PRAGMA',
  [StatementType.UPDATE_EXTENSIONS]: 'UPDATE EXTENSIONS',
  [StatementType.COPY_DATABASE]: 'COPY FROM DATABASE',
  [StatementType.EXPLAIN]: 'EXPLAIN (but one "EXPLAIN [ANALYZE] SELECT ..." on its own)',
  [StatementType.TRANSACTION]: 'BEGIN/COMMIT/ROLLBACK',
};

/**
 * Table functions a query may call: generators, DuckDB's read-only catalog views (`duckdb_*`,
 * `pragma_*`), and the file readers (confined to the events folder). Others run inside a SELECT
 * but act: `enable_logging()` (which can write log files), `enable_profiling()` (DuckDB then prints
 * to the process's stdout itself) and the parser switches change settings despite
 * lock_configuration, `checkpoint()` writes, and `query()`, `query_table()` and
 * `json_execute_serialized_sql()` run SQL text this check never saw.
 */
const READING_TABLE_FUNCTIONS = new Set([
  'range',
  'generate_series',
  'unnest',
  'repeat',
  'repeat_row',
  'json_each',
  'json_tree',
  'icu_calendar_names',
  'pg_timezone_names',
  'read_csv',
  'read_csv_auto',
  'read_json',
  'read_json_auto',
  'read_json_objects',
  'read_json_objects_auto',
  'read_ndjson',
  'read_ndjson_auto',
  'read_ndjson_objects',
  'read_text',
  'read_blob',
  'read_parquet',
  'parquet_scan',
  'glob',
]);

const isReadingTableFunction = (name: string) =>
  READING_TABLE_FUNCTIONS.has(name) || /^(duckdb|pragma)_[a-z_]+$/.test(name);

interface ParseTree {
  readonly error?: boolean;
  readonly statements?: readonly unknown[];
}

/** DuckDB's own parse of `sql`; json_serialize_sql answers an error for anything but SELECT statements. */
async function parseTree(connection: DuckDBConnection, sql: string): Promise<ParseTree> {
  const reader = await connection.runAndReadAll('SELECT json_serialize_sql(CAST($1 AS VARCHAR))', [sql]);
  return JSON.parse(String(reader.getRows()[0]?.[0])) as ParseTree;
}

/** The table functions a parse tree calls anywhere (joins, subqueries, CTEs). */
function tableFunctionsCalled(tree: ParseTree): string[] {
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (node !== null && typeof node === 'object') {
      const record = node as { type?: unknown; function?: { function_name?: unknown } };
      if (record.type === 'TABLE_FUNCTION') names.push(String(record.function?.function_name).toLowerCase());
      for (const value of Object.values(node)) walk(value);
    }
  };
  walk(tree.statements);
  return names;
}

/** Refuses SQL whose parse tree is not SELECT statements only, or calls a table function that acts. */
function requireReadingTree(tree: ParseTree): void {
  if (tree.error || !tree.statements) {
    throw readOnlyRefusals.notOnlySelect();
  }
  const acting = tableFunctionsCalled(tree).filter((name) => !isReadingTableFunction(name));
  if (acting.length > 0) {
    throw readOnlyRefusals.actingTableFunction(acting[0] as string);
  }
}

/**
 * `EXPLAIN [ANALYZE] <one SELECT>`, rebuilt: the text after the leading keywords must be, by
 * DuckDB's own parser, exactly one SELECT statement that passes requireReadingTree, and only
 * `EXPLAIN [ANALYZE] ` plus that text runs. EXPLAIN ANALYZE runs the statement it explains, so
 * `EXPLAIN ANALYZE COPY ...` (or INSERT, DELETE, CREATE...), `EXPLAIN (options) ...` and EXPLAIN among
 * other statements leave text that is not one SELECT, and are refused.
 */
async function runExplain(connection: DuckDBConnection, sql: string): Promise<DuckDBResultReader> {
  const explain = /^\s*EXPLAIN\s+(ANALYZE\s+)?/i.exec(sql);
  const explained = explain ? sql.slice(explain[0].length) : '';
  const tree = explain ? await parseTree(connection, explained) : {};
  if (tree.error || tree.statements?.length !== 1) {
    throw readOnlyRefusals.explainNotOfOneSelect();
  }
  requireReadingTree(tree);
  return connection.runAndReadAll(`EXPLAIN ${explain?.[1] ? 'ANALYZE ' : ''}${explained}`);
}

const FILE_REFUSAL = /Permission Error: Cannot access (file|directory) "([^"]*)"/;

const WHAT_RUNS =
  'Run SELECT (or WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN [ANALYZE] SELECT) over the event ' +
  'tables; to keep a result, use --json and redirect it.';

/** A query refused because it would write, attach, install or configure something. */
export class ReadOnlyQueryError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlyQueryError';
  }
}

/** Each refusal of op-events query over local files: what was refused, and that nothing ran. */
const readOnlyRefusals = {
  noStatement: () => new ReadOnlyQueryError('The SQL holds no statement to run.'),
  notOnlySelect: () =>
    new ReadOnlyQueryError(
      `op-events query is read-only: only SELECT statements run, and nothing ran. ${WHAT_RUNS}`,
    ),
  /** `kind`: the statement's kind in words (INSERT, ATTACH...). */
  statementKind: (kind: string) =>
    new ReadOnlyQueryError(
      `op-events query is read-only: ${kind} statements are refused, and nothing ran. ${WHAT_RUNS}`,
    ),
  actingTableFunction: (name: string) =>
    new ReadOnlyQueryError(
      `op-events query is read-only: the table function ${name}() is refused (it changes ` +
        `settings, writes or runs SQL text of its own), and nothing ran. ${WHAT_RUNS}`,
    ),
  explainNotOfOneSelect: () =>
    new ReadOnlyQueryError(
      'op-events query is read-only: EXPLAIN ANALYZE runs the statement it explains, so EXPLAIN runs ' +
        'here only as "EXPLAIN SELECT ..." or "EXPLAIN ANALYZE SELECT ..." on its own, and nothing ran. ' +
        `${WHAT_RUNS}`,
    ),
  fileRefused: (eventsDir: string, path: string) =>
    new ReadOnlyQueryError(
      `op-events query is read-only and reads only the event files under ${eventsDir}: access to ` +
        `"${path}" is refused (no other files, no network).`,
    ),
};

/**
 * Runs `sql` (one or more statements) only if every statement reads, as DuckDB itself sees it: its
 * parser splits the text (comments and strings included), each statement is prepared and must be of
 * kind SELECT, and its parse tree may call only table functions that read; a lone EXPLAIN runs as
 * runExplain rebuilds it. Nothing runs when any part would write, attach, install, configure or
 * explain-analyze. Returns the last statement's rows. Files outside the events folder are refused
 * by DuckDB's own settings (confineToDirectory), whatever the statement.
 */
export async function runReadOnly(
  connection: DuckDBConnection,
  sql: string,
  eventsDir: string,
): Promise<DuckDBResultReader> {
  const extracted = await connection.extractStatements(sql).catch(async (error: unknown) => {
    // DuckDB's node API fails with a bare "Error in native callback" on SQL holding no statement.
    if ((await parseTree(connection, sql)).statements?.length === 0) throw readOnlyRefusals.noStatement();
    throw error;
  });
  if (extracted.count === 0) throw readOnlyRefusals.noStatement();
  const statements: DuckDBPreparedStatement[] = [];
  try {
    for (let i = 0; i < extracted.count; i++) statements.push(await extracted.prepare(i));
  } catch (error) {
    const refusal = explainRefusal(error, eventsDir);
    // DuckDB refusing to bind a write (to a view, say) is still a write: say so rather than why.
    if (refusal === error && (await parseTree(connection, sql)).error) requireReadingTree({ error: true });
    throw refusal;
  }
  try {
    if (statements.length === 1 && statements[0]?.statementType === StatementType.EXPLAIN) {
      return await runExplain(connection, sql);
    }
    for (const statement of statements) {
      const kind = statement.statementType;
      if (kind !== READ_ONLY_KIND) {
        const name = KIND_NAMES[kind] ?? StatementType[kind] ?? String(kind);
        throw readOnlyRefusals.statementKind(name);
      }
    }
    requireReadingTree(await parseTree(connection, sql));
    let last: DuckDBResultReader | undefined;
    for (const statement of statements) last = await statement.runAndReadAll();
    return last as DuckDBResultReader;
  } catch (error) {
    throw explainRefusal(error, eventsDir);
  }
}

/** DuckDB's "file system operations are disabled" as a message that says why and what may be read. */
function explainRefusal(error: unknown, eventsDir: string): unknown {
  const refused = FILE_REFUSAL.exec(describeError(error));
  if (!refused) return error;
  return readOnlyRefusals.fileRefused(eventsDir, refused[2] ?? '');
}
