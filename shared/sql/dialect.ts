/**
 * The two engines our SQL runs on, and the fragments where their SQL differs. Every statement is
 * written once as a function of a dialect and rendered for each engine, so Athena gets its own
 * functions instead of the subset both engines happen to share.
 *
 * - `athena`: Athena engine version 3 (Trino). Checked in the tests against a Trino grammar.
 * - `duckdb`: the local tables of `op-events query` (cli/event-database.ts). Executed in the tests.
 */
export const SQL_ENGINES = ['athena', 'duckdb'] as const;
export type SqlEngine = (typeof SQL_ENGINES)[number];

export interface SqlDialect {
  readonly engine: SqlEngine;
  /**
   * An RFC 3339 text (any offset, 0-9 fractional digits) as a TIMESTAMP in UTC with millisecond
   * precision (fractions beyond it truncated, as Elastic's date processor does: the text is cut to
   * three digits before it is parsed, so no engine rounds); NULL when the text is not a timestamp,
   * so one bad value never fails a query.
   */
  utcTimestamp(text: string): string;
  /** The UTC date N days before today as 'YYYY-MM-DD', to compare with the `dt` partition column. */
  utcDateDaysAgo(days: number): string;
}

/** The text with its fractional seconds cut to three digits (regexp_replace replaces every match in both). */
function millisecondText(engine: SqlEngine, text: string): string {
  const group = engine === 'athena' ? '$1' : '\\1';
  const flags = engine === 'athena' ? '' : ", 'g'";
  return `regexp_replace(${text}, '(\\.[0-9]{3})[0-9]+', '${group}'${flags})`;
}

export const ATHENA_DIALECT: SqlDialect = {
  engine: 'athena',
  // from_iso8601_timestamp gives timestamp(3) with time zone
  // (https://trino.io/docs/current/functions/datetime.html); what it does with more than three fractional
  // digits is not documented, so they are cut first. try() turns a parse error into NULL
  // (https://trino.io/docs/current/functions/conditional.html#try).
  utcTimestamp: (text) =>
    `CAST(try(from_iso8601_timestamp(${millisecondText('athena', text)})) AT TIME ZONE 'UTC' AS ` +
    'timestamp(3))',
  // Athena runs queries in UTC; date - interval day is a DATE, and a DATE as varchar is YYYY-MM-DD.
  utcDateDaysAgo: (days) => `CAST(current_date - INTERVAL '${days}' DAY AS varchar)`,
};

export const DUCKDB_DIALECT: SqlDialect = {
  engine: 'duckdb',
  // TIMESTAMPTZ parses any offset; AT TIME ZONE 'UTC' gives the UTC wall time as a TIMESTAMP.
  utcTimestamp: (text) =>
    `date_trunc('millisecond', TRY_CAST(${millisecondText('duckdb', text)} AS TIMESTAMPTZ) AT TIME ` +
    `ZONE 'UTC')`,
  // Independent of the session's TimeZone setting.
  utcDateDaysAgo: (days) =>
    `CAST(CAST((current_timestamp AT TIME ZONE 'UTC') - INTERVAL '${days}' DAY AS DATE) AS VARCHAR)`,
};

/** One SQL text per engine. */
export type EngineSql = Readonly<Record<SqlEngine, string>>;

/** Renders one definition for every engine. */
export function renderForEngines(render: (dialect: SqlDialect) => string): EngineSql {
  return { athena: render(ATHENA_DIALECT), duckdb: render(DUCKDB_DIALECT) };
}
