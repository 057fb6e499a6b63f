import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { EVENT_TYPES } from '../../../shared/contracts/event-types';
import { LOOKUP_KINDS, lookupKeyFor } from '../../../shared/contracts/lookup-schema';
import { eventsPrefixFor } from '../../../shared/contracts/s3-layout';
import { duckDbLookupTable } from '../../../shared/sql/lookup-tables';
import { duckDbRawTable } from '../../../shared/sql/typed-events';
import { ALL_VIEWS } from '../../../shared/sql/view-catalog';
import { viewSelect } from '../../../shared/sql/views';
import { TRINO_MACROS } from './functions';
import { translateTrino } from './translate';

/** A DuckDB connection where Trino's functions are available as translate.ts renders them. */
export async function openTrinoSession(): Promise<{ connection: DuckDBConnection; close(): void }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  // Athena runs every query in UTC.
  await connection.run("SET TimeZone = 'UTC'");
  for (const macro of TRINO_MACROS) await connection.run(macro);
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * The tables of an events folder as Athena has them (the raw lines and the lookups, read as
 * `op-events query` reads them) with every view created from its ATHENA text, translated.
 */
export async function openTrinoViews(
  s3Dir: string,
): Promise<{ connection: DuckDBConnection; close(): void }> {
  const session = await openTrinoSession();
  try {
    for (const type of EVENT_TYPES) {
      const folder = join(s3Dir, eventsPrefixFor(type));
      await session.connection.run(
        duckDbRawTable(type, existsSync(folder) ? join(folder, '**', '*.gz') : undefined),
      );
    }
    for (const kind of LOOKUP_KINDS) {
      const file = join(s3Dir, lookupKeyFor(kind));
      await session.connection.run(duckDbLookupTable(kind, existsSync(file) ? file : undefined));
    }
    for (const view of ALL_VIEWS) {
      await session.connection.run(`CREATE VIEW ${view.name} AS ${translateTrino(viewSelect(view).athena)}`);
    }
    return session;
  } catch (error) {
    session.close();
    throw error;
  }
}
