import { describe, expect, it } from 'vitest';
import { NAMED_QUERIES } from '../../../shared/sql/named-queries';
import { toPrestoType } from '../../../shared/sql/table-schema';
import { ALL_VIEWS } from '../../../shared/sql/view-catalog';
import { createViewStatement } from '../../../shared/sql/views';
import { trinoFunctionNames, trinoSyntaxErrors } from '../../support/trino-grammar';

/**
 * Every statement the stack deploys, in its Athena text, parsed by a Trino grammar: the views
 * (as the CREATE VIEW Athena would run, and as their column types) and the saved queries; also the
 * typed tables over the raw lines, which only `op-events query` creates so far.
 */

/** Trino functions the Athena text may call, each with the page that documents it. */
const DOCUMENTED_TRINO_FUNCTIONS: Readonly<Record<string, string>> = {
  coalesce: 'https://trino.io/docs/current/functions/conditional.html#coalesce',
  try: 'https://trino.io/docs/current/functions/conditional.html#try',
  count: 'https://trino.io/docs/current/functions/aggregate.html#count',
  min: 'https://trino.io/docs/current/functions/aggregate.html#min',
  max: 'https://trino.io/docs/current/functions/aggregate.html#max',
  row_number: 'https://trino.io/docs/current/functions/window.html#row_number',
  from_iso8601_timestamp: 'https://trino.io/docs/current/functions/datetime.html#from_iso8601_timestamp',
  to_unixtime: 'https://trino.io/docs/current/functions/datetime.html#to_unixtime',
  with_timezone: 'https://trino.io/docs/current/functions/datetime.html#with_timezone',
  nullif: 'https://trino.io/docs/current/functions/conditional.html#nullif',
  concat: 'https://trino.io/docs/current/functions/string.html#concat',
  length: 'https://trino.io/docs/current/functions/string.html#length',
  lower: 'https://trino.io/docs/current/functions/string.html#lower',
  upper: 'https://trino.io/docs/current/functions/string.html#upper',
  ltrim: 'https://trino.io/docs/current/functions/string.html#ltrim',
  substr: 'https://trino.io/docs/current/functions/string.html#substr',
  regexp_like: 'https://trino.io/docs/current/functions/regexp.html#regexp_like',
  regexp_replace: 'https://trino.io/docs/current/functions/regexp.html#regexp_replace',
  filter: 'https://trino.io/docs/current/functions/array.html#filter',
  array_distinct: 'https://trino.io/docs/current/functions/array.html#array_distinct',
  array_sort: 'https://trino.io/docs/current/functions/array.html#array_sort',
  array_join: 'https://trino.io/docs/current/functions/array.html#array_join',
  slice: 'https://trino.io/docs/current/functions/array.html#slice',
  array_agg: 'https://trino.io/docs/current/functions/aggregate.html#array_agg',
  json_extract: 'https://trino.io/docs/current/functions/json.html#json_extract',
  json_extract_scalar: 'https://trino.io/docs/current/functions/json.html#json_extract_scalar',
  json_format: 'https://trino.io/docs/current/functions/json.html#json_format',
  json_parse: 'https://trino.io/docs/current/functions/json.html#json_parse',
};

const statements = [
  ...ALL_VIEWS.map((view) => ({
    name: `view ${view.name}`,
    sql: createViewStatement(view, 'athena'),
  })),
  ...NAMED_QUERIES.map((query) => ({ name: query.name, sql: query.sql.athena })),
];

describe('the Trino grammar itself', () => {
  it('rejects what Trino rejects (DuckDB-only syntax, broken SQL)', () => {
    expect(trinoSyntaxErrors('SELECT a::int FROM t')).not.toEqual([]);
    expect(trinoSyntaxErrors('SELECT * EXCLUDE (a) FROM t')).not.toEqual([]);
    expect(trinoSyntaxErrors('SELECT a FROM t QUALIFY row_number() OVER () = 1')).not.toEqual([]);
    expect(trinoSyntaxErrors('SELECT FROM WHERE')).not.toEqual([]);
    expect(trinoSyntaxErrors("SELECT CAST(x AS timestamp(3)) AT TIME ZONE 'UTC' FROM t")).toEqual([]);
  });

  it('names the functions a statement calls', () => {
    expect(trinoFunctionNames("SELECT strftime(x, 'y'), count(*) FROM t")).toEqual(['count', 'strftime']);
  });
});

describe('the Athena text of every deployed statement', () => {
  it.each(statements)('$name parses as Trino', ({ sql }) => {
    expect(trinoSyntaxErrors(sql)).toEqual([]);
  });

  it.each(statements)('$name calls only documented Trino functions', ({ sql }) => {
    const unknown = trinoFunctionNames(sql).filter((name) => !(name in DOCUMENTED_TRINO_FUNCTIONS));
    expect(unknown).toEqual([]);
  });

  it('has view column types Trino can parse', () => {
    for (const view of ALL_VIEWS) {
      for (const column of view.columns) {
        expect(trinoSyntaxErrors(`SELECT CAST(NULL AS ${toPrestoType(column.type)})`), column.name).toEqual(
          [],
        );
      }
    }
  });
});
