import type { EventType } from '../contracts/event-types';
import type { EngineSql, SqlDialect } from './dialect';

/** A saved query with its SQL for each engine (the list: shared/sql/named-queries.ts). */
export interface NamedQuery {
  /** Athena named-query name (unique within this list). */
  readonly name: string;
  readonly description: string;
  /** The query in each engine's SQL. */
  readonly sql: EngineSql;
  /** Event types whose tables the query reads; the stack only deploys queries it can serve. */
  readonly eventTypes: readonly EventType[];
  /**
   * The query's `dt` window: the UTC date this many days ago through today. Its `dt` filter reaches
   * the table scan, so this is what it reads (test/sql/partition-pruning.test.ts checks the plan).
   */
  readonly windowDays: number;
}

/** A saved query as written: its SQL rendered for each dialect. */
export interface QueryDefinition extends Omit<NamedQuery, 'sql'> {
  render(dialect: SqlDialect): string;
}
