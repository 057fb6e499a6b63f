import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type EventDatabase, openEventDatabase } from '../../../cli/event-database';
import { writeSqlSampleData } from '../../support/sql-sample-data';
import { openTrinoViews } from '../../support/trino-on-duckdb/database';

/**
 * The SQL sample data (test/support/sql-sample-data.ts) in a temporary folder, open in both engines:
 * `local`, the database `op-events query` opens (every view from its DuckDB text), and `athena`, every
 * view from its Athena text translated onto DuckDB (test/support/trino-on-duckdb/).
 */
export interface SampleEngines {
  readonly dir: string;
  readonly local: EventDatabase;
  readonly athena: { readonly connection: DuckDBConnection; close(): void };
  /** Closes both and deletes the folder. */
  close(): void;
}

/** Writes the sample data as of `now`, lets `change` alter the files, then opens both engines. */
export async function openSampleEngines(
  now = Date.now(),
  change: (s3Dir: string) => void = () => {},
): Promise<SampleEngines> {
  const dir = mkdtempSync(join(tmpdir(), 'op-events-sql-'));
  try {
    writeSqlSampleData(dir, now);
    change(dir);
    const local = await openEventDatabase(dir);
    const athena = await openTrinoViews(dir).catch((error: unknown) => {
      local.close();
      throw error;
    });
    return {
      dir,
      local,
      athena,
      close: () => {
        local.close();
        athena.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A statement's rows, each as JSON text, in the order the engine gave them. */
export async function jsonRows(connection: DuckDBConnection, sql: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(sql);
  return (reader.getRowObjectsJson() as unknown[]).map((row) => JSON.stringify(row));
}
