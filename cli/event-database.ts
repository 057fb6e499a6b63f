import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';
import { LOOKUP_KINDS, lookupKeyFor } from '../shared/contracts/lookup-schema';
import { eventsPrefixFor } from '../shared/contracts/s3-layout';
import { duckDbLookupTable } from '../shared/sql/lookup-tables';
import { DRIFT_VIEW_NAMES, duckDbRawTable } from '../shared/sql/typed-events';
import { ALL_VIEWS } from '../shared/sql/view-catalog';
import { createViewStatement, type ViewDefinition } from '../shared/sql/views';
import { describeError } from '../shared/util/errors';
import { confineToDirectory, SANDBOXED_INSTANCE_OPTIONS } from './duckdb-sandbox';

/**
 * DuckDB over a local copy of the events bucket, with the tables and views the Athena stack has:
 * per event type the lines as strings (`<type>_raw`), the typed table with the Glue columns of
 * shared/contracts/table-schema.ts plus `dt` (a view over the raw lines that survives type drift, see
 * shared/sql/typed-events.ts), and the views of shared/sql/view-catalog.ts from their DuckDB text
 * (the stack deploys their Athena text); the lookup tables from lookups/ (empty until loaded).
 * The instance reads files under the events folder only, installs and loads no extension, and its
 * configuration is locked (cli/duckdb-sandbox.ts).
 */
export interface EventDatabase {
  readonly connection: DuckDBConnection;
  /** Event files found per type. */
  readonly files: Readonly<Record<EventType, number>>;
  /** Views DuckDB could not create, with DuckDB's reason. */
  readonly viewFailures: readonly { readonly view: ViewDefinition; readonly error: string }[];
  /** Per type, the fields that arrived with another type than the schema's (they read as NULL). */
  driftCounts(): Promise<Record<EventType, DriftCount>>;
  /** The same, per type, field and JSON type that arrived: what `status` lists. */
  driftFields(): Promise<DriftField[]>;
  close(): void;
}

function countGzFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.gz'))
    .length;
}

export interface DriftCount {
  readonly events: number;
  readonly fields: number;
}

export interface DriftField {
  readonly type: EventType;
  readonly field: string;
  readonly arrivedAs: string;
  readonly events: number;
}

async function listDriftFields(connection: DuckDBConnection): Promise<DriftField[]> {
  const fields: DriftField[] = [];
  for (const type of EVENT_TYPES) {
    const reader = await connection.runAndReadAll(
      'SELECT field, arrived_as, count(DISTINCT coalesce(uuid, value)) AS events FROM ' +
        `${DRIFT_VIEW_NAMES[type]} GROUP BY field, arrived_as ORDER BY field, arrived_as`,
    );
    for (const row of reader.getRowObjects()) {
      fields.push({
        type,
        field: String(row.field),
        arrivedAs: String(row.arrived_as),
        events: Number(row.events),
      });
    }
  }
  return fields;
}

async function countDrift(connection: DuckDBConnection): Promise<Record<EventType, DriftCount>> {
  const counts = {} as Record<EventType, DriftCount>;
  for (const type of EVENT_TYPES) {
    const reader = await connection.runAndReadAll(
      'SELECT count(DISTINCT coalesce(uuid, value)) AS events, count(*) AS fields FROM ' +
        `${DRIFT_VIEW_NAMES[type]}`,
    );
    const [row] = reader.getRowObjects();
    counts[type] = { events: Number(row?.events ?? 0), fields: Number(row?.fields ?? 0) };
  }
  return counts;
}

/**
 * Opens the database over a local events folder; `views` narrows the views created to those given
 * (each after those it reads), for a caller that reads only some: the detection rules read the
 * de-duplicated views alone.
 */
export async function openEventDatabase(
  s3Dir: string,
  views: readonly ViewDefinition[] = ALL_VIEWS,
): Promise<EventDatabase> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', ...SANDBOXED_INSTANCE_OPTIONS });
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    await confineToDirectory(connection, s3Dir);
    const files = {} as Record<EventType, number>;
    for (const type of EVENT_TYPES) {
      files[type] = countGzFiles(join(s3Dir, eventsPrefixFor(type)));
      const pattern = join(s3Dir, eventsPrefixFor(type), '**', '*.gz');
      await connection.run(duckDbRawTable(type, files[type] > 0 ? pattern : undefined));
    }
    for (const kind of LOOKUP_KINDS) {
      const file = join(s3Dir, lookupKeyFor(kind));
      await connection.run(duckDbLookupTable(kind, existsSync(file) ? file : undefined));
    }
    const viewFailures: { view: ViewDefinition; error: string }[] = [];
    for (const view of views) {
      try {
        await connection.run(createViewStatement(view, 'duckdb'));
      } catch (error) {
        viewFailures.push({ view, error: describeError(error) });
      }
    }
    return {
      connection,
      files,
      viewFailures,
      driftCounts: () => countDrift(connection),
      driftFields: () => listDriftFields(connection),
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
