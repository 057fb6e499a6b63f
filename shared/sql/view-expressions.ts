import { type FieldType, toDuckDbType, toPrestoType } from '../contracts/table-schema';
import { quoteIdentifier, sqlString } from '../util/sql-quoting';
import type { SqlDialect } from './dialect';

/**
 * SQL expressions the analyst views (ECS, OCSF) build their columns from, one text per engine where
 * Athena (Trino) and DuckDB differ. Each takes SQL expressions and returns one.
 */

/** A column of the de-duplicated view `u`, e.g. ref('client', 'ip_address'). */
export const ref = (...path: string[]) => `u.${path.map(quoteIdentifier).join('.')}`;

/** A ROW/STRUCT value of the given type from its members' values, in the type's order. */
export function rowOf(d: SqlDialect, type: FieldType, values: readonly string[]): string {
  const typeText = d.engine === 'athena' ? toPrestoType(type) : toDuckDbType(type);
  return `CAST(ROW(${values.join(', ')}) AS ${typeText})`;
}

/** An array of text values with NULLs and repeats left out, in first-seen order (Elastic's `append`). */
export function distinctTexts(d: SqlDialect, values: readonly string[]): string {
  const list = `ARRAY[${values.map((v) => `CAST(${v} AS VARCHAR)`).join(', ')}]`;
  if (d.engine === 'athena') return `array_distinct(filter(${list}, x -> x IS NOT NULL))`;
  // DuckDB's list_distinct does not keep the order: keep each value's first position instead.
  return `list_filter(${list}, (x, i) -> x IS NOT NULL AND list_position(${list}, x) = i)`;
}

/**
 * An aggregate: the first `count` distinct values of a text expression in sort order, joined with
 * `, ` (NULLs left out).
 */
export function firstDistinctTexts(d: SqlDialect, value: string, count: number): string {
  if (d.engine === 'athena')
    return `array_join(slice(array_sort(array_distinct(array_agg(${value}))), 1, ${count}), ', ')`;
  return `array_to_string(list_slice(list_sort(list_distinct(list(${value}))), 1, ${count}), ', ')`;
}

/** An array of constant texts. */
export function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map(sqlString).join(', ')}]`;
}

/** An RFC 3339 text as TIMESTAMP(3) in UTC, sub-millisecond digits truncated; NULL if not a timestamp. */
export function utcMillisTimestamp(d: SqlDialect, text: string): string {
  return d.utcTimestamp(text);
}

/** A UTC TIMESTAMP (no zone) as epoch milliseconds (BIGINT). */
export function epochMillis(d: SqlDialect, timestamp: string): string {
  if (d.engine === 'athena') return `CAST(to_unixtime(with_timezone(${timestamp}, 'UTC')) * 1000 AS bigint)`;
  return `epoch_ms(${timestamp})`;
}

/** True when a country value is a two-letter code (ISO 3166-1 alpha-2) rather than a name. */
export function isTwoLetterCode(value: string): string {
  return `length(${value}) = 2 AND upper(${value}) = ${value}`;
}
