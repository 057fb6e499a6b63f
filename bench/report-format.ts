/** Number, money and table formatting for RESULTS.md. */

export const n = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const usd = (value: number) =>
  value < 0.01 && value > 0 ? `$${value.toFixed(4)}` : `$${n(value, 2)}`;
export const kb = (bytes: number) => `${n(bytes / 1024, 1)} KB`;
export const mb = (value: number) => `${n(value, 1)} MB`;
export const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
export const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

/** Targets of issue 5, each checked against its measured figure. */
export const TARGETS = {
  hotPathRatio: 1.5,
  drainRatio: 0.9,
  /** A drain at a stream's default quota moves at least this share of it (the collector paces at 90%). */
  pacedQuotaShare: 0.8,
  apiPerMinute: 600,
  apiPerHour: 30_000,
  memoryGrowth: 1.2,
  billedOverRaw: 1.1,
  /** A saved query reads at most this much more than the bytes of its dt window (issue 18). */
  athenaBytesRatio: 1.05,
} as const;

/** The plots a bench run draws (bench/plots.ts) into bench/plots/, by what they show. */
export const PLOT_FILES = {
  drainRounds: 'drain-rounds.svg',
  freshness: 'freshness.svg',
  memorySizes: 'memory-sizes.svg',
} as const;

/** RESULTS.md's image of a plot (`alt` is what a reader without the picture gets). */
export const plotImage = (alt: string, file: (typeof PLOT_FILES)[keyof typeof PLOT_FILES]) =>
  `![${alt}](plots/${file})`;
