import type { EventType } from '../contracts/event-types';
import { PARTITION_COLUMN } from '../contracts/s3-layout';
import type { Field, FieldType } from '../contracts/table-schema';
import { quoteIdentifier } from '../util/sql-quoting';
import type { SqlDialect } from './dialect';
import { rowOf } from './view-expressions';
import { PARTITION_FIELD, type ViewDefinition } from './views';

/**
 * A view's output columns written once as a tree: each leaf has its type and its SQL, each group its
 * members. From the tree come both the column list with types (what Glue needs for a view) and the
 * SELECT list (nested groups become ROW/STRUCT values), so the two can never disagree.
 */
export type ViewColumn =
  | { readonly name: string; readonly type: FieldType; readonly sql: (d: SqlDialect) => string }
  | {
      readonly name: string;
      readonly members: readonly ViewColumn[];
      /** The group is NULL unless this holds (e.g. `source.geo` only when the event has a location). */
      readonly presentWhen?: string;
    };

export const leaf = (
  name: string,
  type: FieldType,
  sql: string | ((d: SqlDialect) => string),
): ViewColumn => ({
  name,
  type,
  sql: typeof sql === 'string' ? () => sql : sql,
});

export const text = (name: string, sql: string | ((d: SqlDialect) => string)): ViewColumn =>
  leaf(name, 'string', sql);

export const group = (name: string, members: readonly ViewColumn[], presentWhen?: string): ViewColumn => ({
  name,
  members,
  ...(presentWhen ? { presentWhen } : {}),
});

export function columnField(column: ViewColumn): Field {
  if ('members' in column) return { name: column.name, type: { struct: column.members.map(columnField) } };
  return { name: column.name, type: column.type };
}

function columnValue(d: SqlDialect, column: ViewColumn): string {
  if (!('members' in column)) return column.sql(d);
  const row = rowOf(
    d,
    columnField(column).type,
    column.members.map((m) => columnValue(d, m)),
  );
  return column.presentWhen ? `CASE WHEN ${column.presentWhen} THEN ${row} END` : row;
}

/** The SELECT list: `<value> AS "<name>"` per top-level column. */
export function selectList(d: SqlDialect, columns: readonly ViewColumn[]): string {
  return columns.map((c) => `  ${columnValue(d, c)} AS ${quoteIdentifier(c.name)}`).join(',\n');
}

/** A view over one event type: its column tree, the relation it reads (as `u`) and lookup joins. */
export interface ViewShape {
  readonly columns: readonly ViewColumn[];
  /** LEFT JOINs of lookup tables after the FROM clause. */
  readonly joins: readonly string[];
}

export function shapedView(
  view: { readonly name: string; readonly description: string; readonly type: EventType },
  shape: ViewShape,
  from: (d: SqlDialect) => string,
): ViewDefinition {
  return {
    name: view.name,
    description: view.description,
    eventTypes: [view.type],
    columns: shape.columns.map((c) => (c.name === PARTITION_COLUMN ? PARTITION_FIELD : columnField(c))),
    select: (d) => `SELECT\n${selectList(d, shape.columns)}\nFROM ${from(d)}\n${shape.joins.join('\n')}`,
  };
}
