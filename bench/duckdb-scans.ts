import type { DuckDBConnection } from '@duckdb/node-api';

/** One scan of event files in a DuckDB plan, as EXPLAIN ANALYZE reports it after running the query. */
export interface EventFileScan {
  /** The filter DuckDB applied to the hive partition values before opening files, if any. */
  readonly fileFilters: string | undefined;
  /** `read/total` files of the pattern, e.g. `2/24`. */
  readonly scanningFiles: string;
  readonly filesRead: number;
  /** The files it read, as DuckDB names them: the first few, then '...' when there are many. */
  readonly files: readonly string[];
}

interface PlanNode {
  readonly operator_name?: string;
  readonly extra_info?: Record<string, string>;
  readonly children?: readonly PlanNode[];
}

/**
 * Runs `sql` under `EXPLAIN (ANALYZE, FORMAT json)` and returns every scan of the gzip NDJSON event
 * files (the READ_CSV of `<type>_raw`), with the files it read. Used by the Athena bytes bench and by
 * the pruning tests (test/sql/partition-pruning.test.ts).
 */
export async function eventFileScans(connection: DuckDBConnection, sql: string): Promise<EventFileScan[]> {
  const reader = await connection.runAndReadAll(`EXPLAIN (ANALYZE, FORMAT json) ${sql}`);
  const [row] = reader.getRows();
  const plan = JSON.parse(String(row?.[1])) as PlanNode;
  const scans: EventFileScan[] = [];
  const visit = (node: PlanNode) => {
    const info = node.extra_info ?? {};
    if (node.operator_name === 'READ_CSV') {
      scans.push({
        fileFilters: info['File Filters'],
        scanningFiles: String(info['Scanning Files']),
        filesRead: Number(info['Total Files Read'] ?? 0),
        files: info['Filename(s)'] ? info['Filename(s)'].split(', ') : [],
      });
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(plan);
  return scans;
}
