import { rowObject } from '../athena-runner';
import { cellText, formatTable } from '../format-table';
import type { AthenaAnswer } from '../query-on-athena';
import type { CommandResult, ResultView, Shown } from '../render';

/** `query --list`: the saved queries (it has no JSON form). */
export interface NamedQueryList extends CommandResult {
  readonly kind: 'list';
  readonly queries: readonly { name: string; eventTypes: readonly string[]; description: string }[];
}

/** What DuckDB answered over the local files. */
export interface LocalAnswer extends CommandResult {
  readonly kind: 'local';
  readonly namedQuery: string | undefined;
  readonly columns: readonly string[];
  /** Every row, as DuckDB returns it as JSON. */
  readonly rows: readonly Record<string, unknown>[];
  /** Rows the table shows (--json prints all). */
  readonly maxRows: number;
  /** What to know before reading the rows: an empty or demo folder, drifted fields, views DuckDB lacks. */
  readonly lead: readonly string[];
  /** A named query DuckDB could not run: why (no rows, exit code 1). */
  readonly failure?: string;
}

export type QueryResult = NamedQueryList | LocalAnswer | AthenaAnswer;

const plural = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

function listText({ queries }: NamedQueryList): Shown<string> {
  const rows = queries.map((q) => [q.name, q.eventTypes.join(','), q.description]);
  return {
    lines: [
      formatTable(['name', 'reads', 'description'], rows, { maxCellWidth: 70 }),
      '',
      'Run one with: op-events query --named "<name, or a unique part of it>"',
    ],
  };
}

/** The named query's title, then the rows as a table ('ok' for a statement without columns). */
function rowsTable(named: string | undefined, columns: readonly string[], cells: readonly unknown[][]) {
  const title = named ? [`-- ${named}`] : [];
  if (columns.length === 0) return [...title, 'ok'];
  return [...title, formatTable(columns, cells, { maxCellWidth: 60 })];
}

function localText(answer: LocalAnswer): Shown<string> {
  const { lead, columns, rows, maxRows, namedQuery, failure } = answer;
  if (failure !== undefined) return { lead, lines: [], notes: [failure] };
  // A plan is a drawing over many lines (the scans' file filters and file counts): as DuckDB draws it.
  if (columns.join() === 'explain_key,explain_value') {
    return { lead, lines: rows.map((row) => String(row.explain_value)) };
  }
  const shown = rows.slice(0, maxRows).map((row) => columns.map((c) => cellText(row[c])));
  const lines = rowsTable(namedQuery, columns, shown);
  if (columns.length === 0) return { lead, lines };
  const more = rows.length > maxRows ? ` (showing ${maxRows}; --max-rows to see more, --json for all)` : '';
  return { lead, lines: [...lines, `(${plural(rows.length)})${more}`] };
}

function athenaText(answer: AthenaAnswer): Shown<string> {
  if (answer.result === undefined) return { lines: [], notes: answer.notes };
  const { columns, rows, truncated } = answer.result;
  const cells = rows.map((row) => row.map(cellText));
  const lines = rowsTable(
    answer.namedQuery,
    columns.map((c) => c.name),
    cells,
  );
  if (columns.length === 0) return { lines, notes: answer.notes };
  const count = truncated
    ? `(${plural(rows.length)} shown; more exist: --max-rows to see more, --json for all)`
    : `(${plural(rows.length)})`;
  return { lines: [...lines, count], notes: answer.notes };
}

function athenaJson(answer: AthenaAnswer): Shown<unknown> {
  if (answer.result === undefined) return { lines: [], notes: answer.notes };
  const { columns, rows, truncated } = answer.result;
  const more = truncated ? [`Printed the first ${rows.length} rows (--max-rows); more exist.`] : [];
  return { lines: rows.map((row) => rowObject(columns, row)), notes: [...more, ...answer.notes] };
}

export const queryView: ResultView<QueryResult> = {
  text(result) {
    if (result.kind === 'list') return listText(result);
    return result.kind === 'local' ? localText(result) : athenaText(result);
  },
  json(result) {
    if (result.kind === 'list') return undefined;
    if (result.kind === 'athena') return athenaJson(result);
    if (result.failure !== undefined) return { lead: result.lead, lines: [], notes: [result.failure] };
    return { lead: result.lead, lines: result.rows };
  },
};
