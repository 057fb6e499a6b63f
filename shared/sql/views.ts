import { EVENT_TYPES, type EventType } from '../contracts/event-types';
import { METADATA_KEY, PARTITION_COLUMN } from '../contracts/s3-layout';
import { EVENT_COLUMNS, type Field, TABLE_NAMES } from '../contracts/table-schema';
import { quoteIdentifier } from '../util/sql-quoting';
import { type EngineSql, renderForEngines, type SqlDialect, type SqlEngine } from './dialect';
import { namesPerType } from './view-names';

/**
 * The views over the event tables, as a list of definitions. Each one names its output columns with
 * their types (the deployed Glue view must declare them: infra/constructs/athena-views.ts) and renders its
 * SELECT for each engine. The stack deploys the Athena text; `op-events query` creates the DuckDB
 * text over the local files. More views (ECS, OCSF, lookups) join this list the same way.
 */
export interface ViewDefinition {
  /** View name: lower case, letters, digits and underscores (Athena/Glue name rules). */
  readonly name: string;
  readonly description: string;
  /** Tables the view reads; the stack deploys only views whose tables it has. */
  readonly eventTypes: readonly EventType[];
  /** Output columns in order, with their types. */
  readonly columns: readonly Field[];
  /** The defining SELECT in the dialect's SQL. */
  select(dialect: SqlDialect): string;
}

/** The partition column as the tables and views expose it. */
export const PARTITION_FIELD: Field = {
  name: PARTITION_COLUMN,
  type: 'string',
  comment: 'UTC date of the event (YYYY-MM-DD)',
};

/** Column the de-duplicated views add: the event's `timestamp` as a real UTC timestamp. */
export const TIMESTAMP_UTC_FIELD: Field = {
  name: 'timestamp_utc',
  type: 'timestamp',
  comment: 'The event timestamp in UTC, millisecond precision (NULL if the text is not RFC 3339)',
};

/**
 * De-duplicated view per event type: one row per event `uuid` within its `dt`. Repeats of an event
 * carry its own timestamp, so they share its `dt`; ranking within (dt, uuid) instead of uuid alone
 * lets a `dt` filter on this view (and on every view and query over it) reach the table scan: Trino
 * and DuckDB push a filter below a window only when it uses nothing but the window's partition
 * columns. An event without a usable date (no timestamp, or one outside the projected range:
 * shared/collector/delivery/event-date.ts) is filed under the UTC date it was received, so its repeats
 * received on another day show once per such day (docs/analyst-views.md, "Partition pruning").
 */
export const UNIQUE_VIEW_NAMES: Readonly<Record<EventType, string>> = namesPerType('_unique');

const md = quoteIdentifier(METADATA_KEY);

function uniqueView(type: EventType): ViewDefinition {
  const tableColumns = [...EVENT_COLUMNS[type], PARTITION_FIELD];
  return {
    name: UNIQUE_VIEW_NAMES[type],
    description:
      `One row per ${type} event uuid and dt: the first delivery wins ` +
      '(the collector delivers at least once). ' +
      'Chunk lines of oversized events are left out; read them from the table.',
    eventTypes: [type],
    columns: [...tableColumns, TIMESTAMP_UTC_FIELD],
    select: (d) => `SELECT
  ${tableColumns.map((c) => quoteIdentifier(c.name)).join(',\n  ')},
  ${d.utcTimestamp('"timestamp"')} AS ${TIMESTAMP_UTC_FIELD.name}
FROM (
  SELECT
    t.*,
    row_number() OVER (
      PARTITION BY t.${PARTITION_COLUMN}, t.uuid
      ORDER BY t.${md}.received_at, t.${md}.run_id
    ) AS delivery_rank
  FROM ${TABLE_NAMES[type]} t
  WHERE t.uuid IS NOT NULL
    AND t.${md}.chunk IS NULL
) ranked
WHERE delivery_rank = 1`,
  };
}

export const VIEW_DEFINITIONS: readonly ViewDefinition[] = EVENT_TYPES.map(uniqueView);

/** The view's SELECT for every engine. */
export function viewSelect(view: ViewDefinition): EngineSql {
  return renderForEngines(view.select);
}

/** `CREATE OR REPLACE VIEW name AS <select>` in one engine's SQL. */
export function createViewStatement(view: ViewDefinition, engine: SqlEngine): string {
  return `CREATE OR REPLACE VIEW ${view.name} AS\n${viewSelect(view)[engine]}`;
}
