import { LOOKUP_SPECS, type LookupKind } from '../contracts/lookup-schema';
import { toDuckDbType } from '../contracts/table-schema';
import { quoteIdentifier, sqlString } from '../util/sql-quoting';

/**
 * The DuckDB table of a lookup: a view over its gzip NDJSON file in the local layout, or an empty
 * table with the same columns when it was never loaded (queries that join it keep working).
 */
export function duckDbLookupTable(kind: LookupKind, file: string | undefined): string {
  const spec = LOOKUP_SPECS[kind];
  if (file === undefined) {
    const columns = spec.columns.map((c) => `${quoteIdentifier(c.name)} ${toDuckDbType(c.type)}`);
    return `CREATE TABLE ${spec.table} (${columns.join(', ')})`;
  }
  const columns = spec.columns.map((c) => `${sqlString(c.name)}: ${sqlString(toDuckDbType(c.type))}`);
  return `CREATE VIEW ${spec.table} AS SELECT * FROM read_json(${sqlString(file)},
  format = 'newline_delimited', compression = 'gzip', columns = {${columns.join(', ')}})`;
}
