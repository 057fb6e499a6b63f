/**
 * The Trino functions the deployed SQL may call, each with the Trino documentation page that states
 * its behaviour and its DuckDB rendering with that behaviour. A function missing here is refused by
 * the translation (translate.ts), so a new one cannot reach Athena without a mapping and a test of
 * its own (test/shared/sql/trino-on-duckdb.test.ts).
 *
 * Trino's JSON type is DuckDB's JSON type here; Trino's `timestamp(3) with time zone` is DuckDB's
 * TIMESTAMPTZ with the session time zone set to UTC, which is the time zone Athena runs queries in.
 */

export interface TrinoFunction {
  /** The page of trino.io that documents the behaviour this rendering follows. */
  readonly doc: string;
  /** aggregate and window functions are only accepted where Trino accepts them. */
  readonly kind: 'scalar' | 'aggregate' | 'window';
  /** The DuckDB expression for a call with the given (already translated) arguments. */
  render(args: readonly string[]): string;
}

const DOCS = 'https://trino.io/docs/current/functions';

function arity(name: string, args: readonly string[], counts: readonly number[]): void {
  if (!counts.includes(args.length)) {
    throw new Error(`${name}: ${args.length} arguments; the translation knows ${counts.join(' or ')}`);
  }
}

/** A call of one of the macros below, after checking the argument count. */
const macro =
  (name: string, count: number) =>
  (args: readonly string[]): string => {
    arity(name, args, [count]);
    return `trino_${name}(${args.join(', ')})`;
  };

/** The same function in DuckDB, same name, same arguments. */
const same =
  (name: string, counts: readonly number[]) =>
  (args: readonly string[]): string => {
    arity(name, args, counts);
    return `${name}(${args.join(', ')})`;
  };

/**
 * ISO 8601 as from_iso8601_timestamp documents it: a date, optionally a time, optionally a zone
 * (`Z` or `+hh:mm`); without a time 00:00:00.000, without a zone the session zone (UTC on Athena).
 * At most three fractional digits: the result has three, and how Trino treats more is not
 * documented, so the deployed SQL cuts them first (shared/sql/dialect.ts) and more are refused.
 */
const ISO_8601 = String.raw`^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})?)?$`;

/** Whitespace as Trino's ltrim removes it (space, tab, line feed, vertical tab, form feed, return). */
const WHITESPACE = 'chr(32) || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)';

/**
 * DuckDB macros for the functions whose DuckDB namesake behaves differently. An error a Trino
 * function raises is raised here by a failing CAST, which DuckDB's TRY turns into NULL as Trino's
 * try() does (DuckDB's error() cannot be used inside TRY).
 */
export const TRINO_MACROS: readonly string[] = [
  // Trino's JSON path `$["key"]` is DuckDB's `$."key"`.
  String.raw`CREATE MACRO trino_json_path(p) AS regexp_replace(p, '\["((?:[^"\\]|\\.)*)"\]', '."\1"', 'g')`,
  // Invalid JSON text is an error ("Invalid JSON literal" is one TRY handles).
  `CREATE MACRO trino_json_value(j) AS CASE WHEN j IS NULL THEN NULL WHEN json_valid(j) THEN json(j) ELSE CAST('invalid JSON text' AS JSON) END`,
  `CREATE MACRO trino_json_parse(s) AS trino_json_value(s)`,
  `CREATE MACRO trino_json_extract(j, p) AS json_extract(trino_json_value(j), trino_json_path(p))`,
  `CREATE MACRO trino_json_extract_scalar(j, p) AS CASE
     WHEN json_type(trino_json_value(j), trino_json_path(p)) IN ('OBJECT', 'ARRAY') THEN NULL
     ELSE json_extract_string(trino_json_value(j), trino_json_path(p)) END`,
  `CREATE MACRO trino_json_format(j) AS CAST(json(j) AS VARCHAR)`,
  `CREATE MACRO trino_from_iso8601_timestamp(s) AS CASE
     WHEN s IS NULL THEN NULL
     WHEN regexp_full_match(s, '${ISO_8601}') THEN CAST(s AS TIMESTAMPTZ)
     ELSE CAST(concat('not an ISO 8601 timestamp with at most 3 fractional digits: ', s) AS TIMESTAMPTZ) END`,
  // CAST/TRY_CAST of text to an integer type: a whole number only (DuckDB would round '2.5').
  ...['BIGINT', 'INTEGER'].flatMap((type) => [
    `CREATE MACRO trino_cast_${type.toLowerCase()}(x) AS CASE
       WHEN typeof(x) = 'VARCHAR' AND NOT regexp_full_match(CAST(x AS VARCHAR), '[+-]?[0-9]+')
       THEN CAST(concat('not a whole number: ', CAST(x AS VARCHAR)) AS ${type}) ELSE CAST(x AS ${type}) END`,
    `CREATE MACRO trino_try_cast_${type.toLowerCase()}(x) AS CASE
       WHEN typeof(x) = 'VARCHAR' AND NOT regexp_full_match(CAST(x AS VARCHAR), '[+-]?[0-9]+')
       THEN NULL ELSE TRY_CAST(x AS ${type}) END`,
  ]),
  `CREATE MACRO trino_ltrim(s) AS ltrim(s, ${WHITESPACE})`,
  // Every match replaced; $1 in the replacement is group 1 (DuckDB writes \\1).
  String.raw`CREATE MACRO trino_regexp_replace(s, p, r) AS regexp_replace(s, p, regexp_replace(r, '\$(\d)', '\\\1', 'g'), 'g')`,
  // First occurrence kept, in order; one NULL kept.
  `CREATE MACRO trino_array_distinct(a) AS list_filter(a, lambda x, i: list_position(a, x) = i)`,
  `CREATE MACRO trino_array_sort(a) AS list_sort(a, 'ASC', 'NULLS LAST')`,
  `CREATE MACRO trino_array_join(a, d) AS array_to_string(list_filter(a, lambda x: x IS NOT NULL), d)`,
  `CREATE MACRO trino_slice(a, start, n) AS CASE
     WHEN start > 0 THEN list_slice(a, start, start + n - 1)
     WHEN start < 0 THEN list_slice(a, len(a) + start + 1, least(len(a) + start + n, len(a)))
     ELSE list_slice(a, CAST('slice: start must not be 0' AS INTEGER), 0) END`,
];

export const TRINO_FUNCTIONS: Readonly<Record<string, TrinoFunction>> = {
  coalesce: {
    doc: `${DOCS}/conditional.html#coalesce`,
    kind: 'scalar',
    render: (a) => `coalesce(${a.join(', ')})`,
  },
  nullif: { doc: `${DOCS}/conditional.html#nullif`, kind: 'scalar', render: same('nullif', [2]) },
  // DuckDB's TRY catches the errors of its argument, as Trino's try() does for the errors it lists.
  try: { doc: `${DOCS}/conditional.html#try`, kind: 'scalar', render: same('try', [1]) },
  count: { doc: `${DOCS}/aggregate.html#count`, kind: 'aggregate', render: same('count', [0, 1]) },
  min: { doc: `${DOCS}/aggregate.html#min`, kind: 'aggregate', render: same('min', [1]) },
  max: { doc: `${DOCS}/aggregate.html#max`, kind: 'aggregate', render: same('max', [1]) },
  // Nulls are kept as elements (DuckDB's list does the same); the order is unspecified in both.
  array_agg: { doc: `${DOCS}/aggregate.html#array_agg`, kind: 'aggregate', render: same('list', [1]) },
  row_number: { doc: `${DOCS}/window.html#row_number`, kind: 'window', render: same('row_number', [0]) },
  from_iso8601_timestamp: {
    doc: `${DOCS}/datetime.html#from_iso8601_timestamp`,
    kind: 'scalar',
    render: macro('from_iso8601_timestamp', 1),
  },
  // Seconds since the epoch as a double.
  to_unixtime: { doc: `${DOCS}/datetime.html#to_unixtime`, kind: 'scalar', render: (a) => `epoch(${a[0]})` },
  with_timezone: {
    doc: `${DOCS}/datetime.html#with_timezone`,
    kind: 'scalar',
    render: (a) => {
      arity('with_timezone', a, [2]);
      if (a[1] !== "'UTC'") throw new Error(`with_timezone: only the zone 'UTC' is translated, not ${a[1]}`);
      return `CAST(${a[0]} AS TIMESTAMPTZ)`;
    },
  },
  // concat is the || operator: NULL when any argument is NULL (DuckDB's concat skips NULLs).
  concat: { doc: `${DOCS}/string.html#concat`, kind: 'scalar', render: (a) => `(${a.join(' || ')})` },
  length: { doc: `${DOCS}/string.html#length`, kind: 'scalar', render: same('length', [1]) },
  lower: { doc: `${DOCS}/string.html#lower`, kind: 'scalar', render: same('lower', [1]) },
  upper: { doc: `${DOCS}/string.html#upper`, kind: 'scalar', render: same('upper', [1]) },
  ltrim: { doc: `${DOCS}/string.html#ltrim`, kind: 'scalar', render: macro('ltrim', 1) },
  substr: { doc: `${DOCS}/string.html#substr`, kind: 'scalar', render: same('substr', [2, 3]) },
  // Trino's regexp_like matches anywhere in the string, as DuckDB's regexp_matches does.
  regexp_like: {
    doc: `${DOCS}/regexp.html#regexp_like`,
    kind: 'scalar',
    render: (a) => {
      arity('regexp_like', a, [2]);
      return `regexp_matches(${a.join(', ')})`;
    },
  },
  regexp_replace: {
    doc: `${DOCS}/regexp.html#regexp_replace`,
    kind: 'scalar',
    render: macro('regexp_replace', 3),
  },
  filter: {
    doc: `${DOCS}/array.html#filter`,
    kind: 'scalar',
    render: (a) => {
      arity('filter', a, [2]);
      return `list_filter(${a.join(', ')})`;
    },
  },
  array_distinct: {
    doc: `${DOCS}/array.html#array_distinct`,
    kind: 'scalar',
    render: macro('array_distinct', 1),
  },
  array_sort: { doc: `${DOCS}/array.html#array_sort`, kind: 'scalar', render: macro('array_sort', 1) },
  array_join: { doc: `${DOCS}/array.html#array_join`, kind: 'scalar', render: macro('array_join', 2) },
  slice: { doc: `${DOCS}/array.html#slice`, kind: 'scalar', render: macro('slice', 3) },
  json_extract: { doc: `${DOCS}/json.html#json_extract`, kind: 'scalar', render: macro('json_extract', 2) },
  json_extract_scalar: {
    doc: `${DOCS}/json.html#json_extract_scalar`,
    kind: 'scalar',
    render: macro('json_extract_scalar', 2),
  },
  json_format: { doc: `${DOCS}/json.html#json_format`, kind: 'scalar', render: macro('json_format', 1) },
  json_parse: { doc: `${DOCS}/json.html#json_parse`, kind: 'scalar', render: macro('json_parse', 1) },
};
