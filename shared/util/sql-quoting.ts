/** Quoting for SQL text that both engines (Athena's Trino and DuckDB) read the same way. */

/** A single-quoted string literal: `it's` as `'it''s'`. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A double-quoted identifier: `timestamp` as `"timestamp"`, a `"` inside doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
