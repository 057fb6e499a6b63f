import { median } from './stats';

/** Starts the line on which a child reports its ratios, so that nothing the measured code logs is taken for it. */
export const RESULT_MARKER = 'bench-compare-result ';

/** One event type's hot-path ratio (collector time / floor time) from one process. */
export interface TypeRatio {
  readonly type: string;
  readonly ratio: number;
}

/** One round: each side measured once, in its own fresh process. */
export interface CompareRound {
  readonly here: readonly TypeRatio[];
  readonly ref: readonly TypeRatio[];
}

/** The ratios a child printed on its RESULT_MARKER line; throws if there is none or it is malformed. */
export function parseChildReport(stdout: string): TypeRatio[] {
  const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
  if (line === undefined) throw new Error('the hot-path process printed no result line');
  const rows: unknown = JSON.parse(line.slice(RESULT_MARKER.length));
  const wellFormed = (row: unknown): row is TypeRatio =>
    typeof row === 'object' &&
    row !== null &&
    typeof (row as TypeRatio).type === 'string' &&
    Number.isFinite((row as TypeRatio).ratio) &&
    (row as TypeRatio).ratio > 0;
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every(wellFormed)) {
    throw new Error(`the hot-path process printed no ratios: ${line}`);
  }
  return rows;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export type Verdict = 'ranges overlap' | 'this tree faster' | 'this tree slower';

/** One type over all rounds; a side that did not measure the type has no spread. */
export interface TypeComparison {
  readonly type: string;
  readonly here?: Spread;
  readonly ref?: Spread;
  /** Median ratio of this tree minus the ref's: below zero, this tree's hot path is cheaper. */
  readonly difference?: number;
  /** The same as a share of the ref's median. */
  readonly relative?: number;
  readonly verdict?: Verdict;
}

/** Per type (this tree's order, then any only the ref has): each side's spread and the difference. */
export function compareRounds(rounds: readonly CompareRound[]): TypeComparison[] {
  const types = [...new Set(rounds.flatMap((round) => [...round.here, ...round.ref].map((row) => row.type)))];
  return types.map((type) => {
    const here = spreadOf(rounds.flatMap((round) => ratiosOf(round.here, type)));
    const ref = spreadOf(rounds.flatMap((round) => ratiosOf(round.ref, type)));
    if (!here || !ref) return { type, here, ref };
    return {
      type,
      here,
      ref,
      difference: here.median - ref.median,
      relative: here.median / ref.median - 1,
      verdict: verdictOf(here, ref),
    };
  });
}

function ratiosOf(rows: readonly TypeRatio[], type: string): number[] {
  return rows.filter((row) => row.type === type).map((row) => row.ratio);
}

function spreadOf(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Only ranges that do not touch say more than the noise of the rounds. */
function verdictOf(here: Spread, ref: Spread): Verdict {
  if (here.max < ref.min) return 'this tree faster';
  if (here.min > ref.max) return 'this tree slower';
  return 'ranges overlap';
}

/** What the table's heading says about the two sides and the machine. */
export interface CompareContext {
  /** This tree: its folder, commit, and whether it has uncommitted changes. */
  readonly here: string;
  /** The ref as given. */
  readonly refName: string;
  /** The commit it names. */
  readonly refCommit: string;
  readonly rounds: number;
  readonly cores: number;
  /** 1-minute load average before the first and after the last round. */
  readonly loadAtStart: number;
  readonly loadAtEnd: number;
}

const times = (ratio: number) => `${ratio.toFixed(2)}x`;
const spreadText = (spread: Spread | undefined) =>
  spread ? `${times(spread.median)} (${spread.min.toFixed(2)}-${times(spread.max)})` : 'not measured';
/** `value` with its sign, as `digits` decimals: what rounds to zero is +0, never -0. */
const signed = (value: number, digits: number) => {
  const text = Math.abs(value).toFixed(digits);
  return `${value < 0 && Number(text) !== 0 ? '-' : '+'}${text}`;
};

function differenceText(row: TypeComparison): string {
  if (row.difference === undefined || row.relative === undefined) return '';
  const absolute = `${signed(row.difference, 2)}x`;
  const percent = `${signed(row.relative * 100, 1)}%`;
  return `${absolute} (${percent}), ${row.verdict}`;
}

/** The printed comparison: a heading saying which side is which, then one row per type. */
export function formatComparison(rows: readonly TypeComparison[], context: CompareContext): string {
  const heading = [
    'Hot path (bench/hot-path.ts): collector time / floor time (JSON.parse + JSON.stringify of the same ' +
      'page), per event type; lower is better.',
    `  this tree: ${context.here}`,
    `  ref:       ${context.refName} = ${context.refCommit}`,
    `${context.rounds} round${context.rounds === 1 ? '' : 's'}, each side in a fresh process per round, ` +
      'alternating which side goes first.',
    `Load average (1 min): ${context.loadAtStart.toFixed(2)} at the start, ${context.loadAtEnd.toFixed(2)} ` +
      `at the end, on ${context.cores} cores; under load the ratios are noisy.`,
    '',
  ];
  const table = [
    ['type', 'this tree: median (range)', `${context.refName}: median (range)`, 'this tree - ref'],
    ...rows.map((row) => [row.type, spreadText(row.here), spreadText(row.ref), differenceText(row)]),
  ];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((cells) => cells[column]?.length ?? 0)));
  const lines = table.map((cells) =>
    cells
      .map((cell, column) => cell.padEnd(widths?.[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  return [...heading, ...lines].join('\n');
}
