import { redactKnownSecrets } from '../shared/util/redaction';
import { neutraliseControls } from './terminal-text';

/** A plain-text table for terminals: a header, a rule, left-aligned cells cut to a width. */
export interface TableOptions {
  /** Longest a cell may be before it is cut with "…" (default 48). */
  readonly maxCellWidth?: number;
  /** Columns aligned to the right (numbers). */
  readonly alignRight?: readonly string[];
}

export type Cell = string | number | boolean | null | undefined;

export function cellText(value: Cell | unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/**
 * A cell or header on one line: whitespace runs as one space, and what a terminal would act on
 * (escape sequences, controls, bidirectional overrides) as visible `\uXXXX` escapes.
 */
export function printable(text: string): string {
  return neutraliseControls(text.replace(/\s+/g, ' '));
}

/** Redacted before it is cut: a cut first could leave a piece of a token too short to recognise. */
function cut(text: string, width: number): string {
  const flat = printable(redactKnownSecrets(text));
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(1, width - 1))}…`;
}

export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly (Cell | unknown)[])[],
  options: TableOptions = {},
): string {
  const max = options.maxCellWidth ?? 48;
  const right = new Set(options.alignRight ?? []);
  const shownHeaders = headers.map(printable);
  const cells = rows.map((row) => headers.map((_, i) => cut(cellText(row[i]), max)));
  const widths = shownHeaders.map((header, i) =>
    Math.max(header.length, ...cells.map((row) => row[i]?.length ?? 0)),
  );
  const render = (row: readonly string[]) =>
    row
      .map((cell, i) =>
        right.has(headers[i] ?? '') ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [render(shownHeaders), render(widths.map((w) => '-'.repeat(w))), ...cells.map(render)].join('\n');
}

/** `2h 5m`, `3d 4h`, `12s`: the two largest units of a duration. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 || (parts.length === 0 && size === 1)) parts.push(`${n}${unit}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** Epoch ms as `2026-01-05 08:00:00Z` (seconds precision, UTC), for our own bookkeeping times. */
export function formatEpoch(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}
