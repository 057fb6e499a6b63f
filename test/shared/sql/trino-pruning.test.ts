import { describe, expect, it } from 'vitest';
import { NAMED_QUERIES } from '../../../shared/sql/named-queries';
import { RAW_TABLE_NAMES } from '../../../shared/sql/typed-events';
import { ALL_VIEWS, EVENT_DATA_VIEWS } from '../../../shared/sql/view-catalog';
import { viewSelect } from '../../../shared/sql/views';
import { type PruningCatalog, trinoPruning } from '../../support/trino-pruning';

/**
 * The Athena (Trino) text of every view and saved query lets a `dt` filter reach the raw table's
 * scan, so Athena reads only the partitions the filter names. Trino moves a filter below a window
 * only when it uses nothing but the window's PARTITION BY columns, below an aggregation only when it
 * uses nothing but the grouping keys, and below a join only into a side the join does not fill with
 * NULLs (PredicatePushDown.visitWindow, visitAggregation and visitJoin in trinodb/trino,
 * core/trino-main/src/main/java/io/trino/sql/planner/optimizations/PredicatePushDown.java; see
 * test/support/trino-pruning.ts). DuckDB's plans of the same definitions: partition-pruning.test.ts.
 */

const CATALOG: PruningCatalog = {
  partitionedTables: new Set(Object.values(RAW_TABLE_NAMES)),
  views: new Map(ALL_VIEWS.map((view) => [view.name, viewSelect(view).athena])),
};

const TODAY_FILTER = "dt >= '2026-12-06'";

describe('the pushdown check itself', () => {
  const catalog: PruningCatalog = {
    partitionedTables: new Set(['t']),
    views: new Map([
      [
        'ranked_by_id',
        'SELECT * FROM (SELECT t.*, row_number() OVER (PARTITION BY t.id) AS r FROM t) x WHERE r = 1',
      ],
      [
        'ranked_by_dt_id',
        'SELECT * FROM (SELECT t.*, row_number() OVER (PARTITION BY t.dt, t.id) AS r FROM t) x WHERE r = 1',
      ],
      ['per_id', 'SELECT id, max(dt) AS dt FROM t GROUP BY id'],
      ['per_dt_id', 'SELECT dt, id, count(*) AS n FROM t GROUP BY 1, 2'],
      ['lookup_first', 'SELECT t.dt FROM lookup l LEFT JOIN t ON l.id = t.id'],
      ['table_first', 'SELECT t.dt AS dt FROM t LEFT JOIN lookup l ON l.id = t.id'],
      ['shifted', "SELECT CAST(date_add('day', 1, CAST(dt AS date)) AS varchar) AS dt FROM t"],
      ['limited', 'SELECT dt FROM t LIMIT 10'],
      ['both', 'SELECT dt FROM t UNION ALL SELECT dt FROM t'],
    ]),
  };
  const check = (view: string) => trinoPruning(`SELECT count(*) FROM ${view} WHERE ${TODAY_FILTER}`, catalog);

  it('stops a filter at a window that is not partitioned by dt, not at one that is', () => {
    expect(check('ranked_by_id').stopped).toEqual([
      expect.stringContaining('window not partitioned by "dt"'),
    ]);
    expect(check('ranked_by_dt_id')).toEqual({ filters: 1, reached: ['t'], stopped: [] });
  });

  it('stops a filter at an aggregation unless dt is a grouping key', () => {
    expect(check('per_id').stopped).toEqual([expect.stringContaining('"dt" is computed (max(dt))')]);
    expect(check('per_dt_id')).toEqual({ filters: 1, reached: ['t'], stopped: [] });
  });

  it('stops a filter at the side an outer join fills with NULLs', () => {
    expect(check('lookup_first').stopped).toEqual([
      expect.stringContaining('NULL-filled side of a left join'),
    ]);
    expect(check('table_first')).toEqual({ filters: 1, reached: ['t'], stopped: [] });
  });

  it('stops a filter at a computed dt and at a LIMIT, and follows every UNION branch', () => {
    expect(check('shifted').stopped).toEqual([expect.stringContaining('is computed')]);
    expect(check('limited').stopped).toEqual([expect.stringContaining('LIMIT')]);
    expect(check('both')).toEqual({ filters: 1, reached: ['t', 't'], stopped: [] });
  });

  it('counts no filter where no WHERE names dt', () => {
    expect(trinoPruning('SELECT count(*) FROM t WHERE id = 1', catalog)).toEqual({
      filters: 0,
      reached: [],
      stopped: [],
    });
  });
});

describe('the Athena text', () => {
  it.each(EVENT_DATA_VIEWS.map((view) => ({ name: view.name, view })))(
    'view $name passes a dt filter down to the raw table scan',
    ({ view }) => {
      const report = trinoPruning(`SELECT count(*) FROM ${view.name} WHERE ${TODAY_FILTER}`, CATALOG);
      expect(report.stopped).toEqual([]);
      expect(new Set(report.reached)).toEqual(new Set(view.eventTypes.map((t) => RAW_TABLE_NAMES[t])));
    },
  );

  it.each(NAMED_QUERIES.map((query) => ({ name: query.name, query })))(
    'saved query $name filters on dt and the filter reaches the raw table scan',
    ({ query }) => {
      const report = trinoPruning(query.sql.athena, CATALOG);
      expect(report.filters).toBeGreaterThan(0);
      expect(report.stopped).toEqual([]);
      expect(new Set(report.reached)).toEqual(new Set(query.eventTypes.map((t) => RAW_TABLE_NAMES[t])));
    },
  );
});
