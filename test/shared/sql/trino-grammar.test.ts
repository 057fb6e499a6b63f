import { describe, expect, it } from 'vitest';
import { toPrestoType } from '../../../shared/contracts/table-schema';
import { NAMED_QUERIES } from '../../../shared/sql/named-queries';
import { ALL_VIEWS } from '../../../shared/sql/view-catalog';
import { createViewStatement } from '../../../shared/sql/views';
import { trinoFunctionNames, trinoSyntaxErrors } from '../../support/trino-grammar';
import { TRINO_FUNCTIONS } from '../../support/trino-on-duckdb/functions';

/**
 * Every statement the stack deploys, in its Athena text, parsed by a Trino grammar: the views
 * (as the CREATE VIEW Athena would run, and as their column types) and the saved queries; also the
 * typed tables over the raw lines. The functions they call are the ones the translation onto DuckDB
 * maps, each with its trino.io page (test/support/trino-on-duckdb/functions.ts); trino-executed.test.ts
 * runs the same texts on data.
 */

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
    const unknown = trinoFunctionNames(sql).filter((name) => !(name in TRINO_FUNCTIONS));
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
