import { sep } from 'node:path';
import {
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  StatementType,
} from '@duckdb/node-api';
import { describeError } from '../shared/errors';
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

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Restricts a connection's instance to reading files under `readableDir` and nothing else: no other
 * file, no network, no temporary files (a temp directory would be allowed implicitly), then locks
 * the configuration so a query cannot undo it. `allowed_directories` has to be set before
 * `enable_external_access` is switched off, and cannot be passed as a creation option.
 * (duckdb.org/docs/stable/operations_manual/securing_duckdb/overview, "Restricting File Access",
 * "Locking Configurations".)
 */
export async function confineToDirectory(connection: DuckDBConnection, readableDir: string): Promise<void> {
  // A trailing separator: "<dir>x" must not match as a prefix of "<dir>".
  const dir = readableDir.endsWith(sep) ? readableDir : `${readableDir}${sep}`;
  await connection.run("SET temp_directory = ''");
  await connection.run(`SET allowed_directories = [${sqlString(dir)}]`);
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}

/** Statement kinds a query may run: reading only (SELECT covers WITH, FROM, DESCRIBE, SHOW, SUMMARIZE). */
const READ_ONLY_KINDS = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);

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
};

const FILE_REFUSAL = /Permission Error: Cannot access (file|directory) "([^"]*)"/;

/** A query refused because it would write, attach, install or configure something. */
export class ReadOnlyQueryError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlyQueryError';
  }
}

/**
 * Runs `sql` (one or more statements) only if every statement reads: each is prepared first and
 * its kind checked, so nothing runs when any of them would write, attach, install or configure.
 * Returns the last statement's rows. A file outside the readable folder is refused by DuckDB's
 * own settings (confineToDirectory); that refusal is reworded to say so.
 */
export async function runReadOnly(
  connection: DuckDBConnection,
  sql: string,
  readableDir: string,
): Promise<DuckDBResultReader> {
  const extracted = await connection.extractStatements(sql);
  if (extracted.count === 0) throw new ReadOnlyQueryError('The SQL holds no statement to run.');
  const statements: DuckDBPreparedStatement[] = [];
  try {
    for (let i = 0; i < extracted.count; i++) statements.push(await extracted.prepare(i));
  } catch (error) {
    throw explainRefusal(error, readableDir);
  }
  for (const statement of statements) {
    const kind = statement.statementType;
    if (!READ_ONLY_KINDS.has(kind)) {
      const name = KIND_NAMES[kind] ?? StatementType[kind] ?? String(kind);
      throw new ReadOnlyQueryError(
        `op-events query is read-only: ${name} statements are refused. Run SELECT (or WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) over the event tables; to keep a result, use --json and redirect it.`,
      );
    }
  }
  let last: DuckDBResultReader | undefined;
  try {
    for (const statement of statements) last = await statement.runAndReadAll();
  } catch (error) {
    throw explainRefusal(error, readableDir);
  }
  return last as DuckDBResultReader;
}

/** DuckDB's "file system operations are disabled" as a message that says why and what may be read. */
function explainRefusal(error: unknown, readableDir: string): unknown {
  const refused = FILE_REFUSAL.exec(describeError(error));
  if (!refused) return error;
  return new ReadOnlyQueryError(
    `op-events query reads only the event files under ${readableDir}: access to "${refused[2]}" is refused (no other files, no network).`,
  );
}
