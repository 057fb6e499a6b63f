import { EVENT_TYPES } from '../../shared/contracts/event-types';
import { REPORT_QUERY_KEYS, type ReportWindow, stagedReportSql } from '../../shared/sql/report-queries';
import type { EventDatabase } from '../event-database';
import type { QueryRows } from './report-data';

/**
 * The report's rows from DuckDB over the local files: each type's window read once into temporary
 * tables, then every query over them (shared/sql/report-queries.ts says why).
 */
export async function localReportRows(db: EventDatabase, window: ReportWindow): Promise<QueryRows> {
  const { setup, queries } = stagedReportSql(EVENT_TYPES, window);
  for (const statement of setup) await db.connection.run(statement);
  const rows = {} as Record<keyof QueryRows, Record<string, unknown>[]>;
  for (const key of REPORT_QUERY_KEYS) {
    const reader = await db.connection.runAndReadAll(queries[key]);
    rows[key] = reader.getRowObjectsJson() as Record<string, unknown>[];
  }
  return rows;
}
