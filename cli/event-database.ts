import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { EVENT_COLUMNS, toDuckDbType } from '../infra/event-schema';
import { NAMED_QUERIES, type NamedQuery, TABLE_NAMES } from '../infra/named-queries';
import { describeError } from '../shared/errors';
import { EVENT_TYPES, type EventType } from '../shared/event-types';
import { eventsPrefixFor, PARTITION_COLUMN } from '../shared/output-format';

/**
 * DuckDB over a local copy of the events bucket, with the tables the Athena stack has: one per event
 * type, named as in infra/named-queries.ts, with the Glue columns of infra/event-schema.ts (so a
 * query sees the same columns, and NULL for absent fields, as on Athena) plus `dt` as VARCHAR from
 * the hive-style folders. The `*_unique` views are created by running the stack's own view queries.
 */
export interface EventDatabase {
  readonly connection: DuckDBConnection;
  /** Event files found per type. */
  readonly files: Readonly<Record<EventType, number>>;
  /** View queries that did not run on DuckDB, with DuckDB's reason. */
  readonly viewFailures: readonly { readonly query: NamedQuery; readonly error: string }[];
  close(): void;
}

function countGzFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.gz'))
    .length;
}

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;

function columnsStruct(type: EventType): string {
  const entries = EVENT_COLUMNS[type].map(
    (field) => `${sqlString(field.name)}: ${sqlString(toDuckDbType(field.type))}`,
  );
  return `{${entries.join(', ')}}`;
}

function tableStatement(s3Dir: string, type: EventType, files: number): string {
  const table = TABLE_NAMES[type];
  if (files === 0) {
    // read_json fails on a pattern with no files; an empty table keeps queries valid.
    const columns = EVENT_COLUMNS[type].map((field) => `"${field.name}" ${toDuckDbType(field.type)}`);
    return `CREATE TABLE ${table} (${[...columns, `${PARTITION_COLUMN} VARCHAR`].join(', ')})`;
  }
  const pattern = join(s3Dir, eventsPrefixFor(type), '**', '*.gz');
  return `CREATE VIEW ${table} AS SELECT * FROM read_json(${sqlString(pattern)},
  format = 'newline_delimited', compression = 'gzip',
  hive_partitioning = true, hive_types = {'${PARTITION_COLUMN}': 'VARCHAR'},
  columns = ${columnsStruct(type)})`;
}

export async function openEventDatabase(s3Dir: string): Promise<EventDatabase> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    const files = {} as Record<EventType, number>;
    for (const type of EVENT_TYPES) {
      files[type] = countGzFiles(join(s3Dir, eventsPrefixFor(type)));
      await connection.run(tableStatement(s3Dir, type, files[type]));
    }
    const viewFailures: { query: NamedQuery; error: string }[] = [];
    for (const query of NAMED_QUERIES.filter((q) => q.kind === 'view')) {
      try {
        await connection.run(query.sql);
      } catch (error) {
        viewFailures.push({ query, error: describeError(error) });
      }
    }
    return { connection, files, viewFailures, close };
  } catch (error) {
    close();
    throw error;
  }
}
