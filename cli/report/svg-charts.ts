import { formatCount, html } from './html-text';

/**
 * The report's charts as inline SVG, drawn here rather than by a charting library: two kinds
 * (stacked columns over days, horizontal bars) cover every section, the page needs no script, and
 * nothing is fetched when it is opened. Each chart is an image with a text label; its numbers are
 * in the table beside it (report-html.ts). Labels are escaped (html-text.ts): they come from events.
 */

export interface Series {
  readonly name: string;
  /** A colour of PALETTE. */
  readonly color: string;
  /** One value per column, in column order. */
  readonly values: readonly number[];
}

/** Colours distinguishable with the common colour-vision deficiencies (Okabe and Ito's palette). */
export const PALETTE = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  sky: '#56B4E9',
  purple: '#CC79A7',
  yellow: '#F0E442',
} as const;

const FONT = 'font-family="system-ui, sans-serif" font-size="11"';

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function axisMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 5, 10].find((m) => m * power >= max) ?? 10;
  return step * power;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The chart's svg element: its label for screen readers, its size, and what it draws. */
function svg(label: string, width: number, height: number, drawing: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${html(label)}" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${drawing}</svg>`
  );
}

function legend(series: readonly Series[], x: number, y: number): string {
  let at = x;
  return series
    .map((s) => {
      const item =
        `<rect x="${at}" y="${y - 9}" width="10" height="10" fill="${s.color}"/>` +
        `<text x="${at + 14}" y="${y}" ${FONT}>${html(s.name)}</text>`;
      at += 24 + s.name.length * 6.5;
      return item;
    })
    .join('');
}

/**
 * Columns, one per label (days), each the stack of its series' values; a y axis with three ticks,
 * every few labels on the x axis, and a legend.
 */
export function stackedColumns(options: {
  readonly label: string;
  readonly columns: readonly string[];
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
}): string {
  const width = options.width ?? 760;
  const height = options.height ?? 240;
  const left = 56;
  const bottom = 36;
  const top = 24;
  const plotWidth = width - left - 8;
  const plotHeight = height - top - bottom;
  const { columns, series } = options;
  const totals = columns.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = axisMax(Math.max(0, ...totals));
  const slot = plotWidth / Math.max(1, columns.length);
  const barWidth = Math.max(1, slot * 0.8);
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const ticks = [0, max / 2, max]
    .map(
      (v) =>
        `<line x1="${left}" x2="${width - 8}" y1="${round(y(v))}" y2="${round(y(v))}" stroke="#ddd"/>` +
        `<text x="${left - 6}" y="${round(y(v)) + 4}" text-anchor="end" ${FONT}>${formatCount(v)}</text>`,
    )
    .join('');
  const every = Math.max(1, Math.ceil(columns.length / 10));
  const bars = columns
    .map((column, i) => {
      let base = 0;
      const x = round(left + i * slot + (slot - barWidth) / 2);
      const parts = series
        .filter((s) => (s.values[i] ?? 0) > 0)
        .map((s) => {
          const value = s.values[i] ?? 0;
          const rect =
            `<rect x="${x}" y="${round(y(base + value))}" width="${round(barWidth)}" ` +
            `height="${round(y(base) - y(base + value))}" fill="${s.color}">` +
            `<title>${html(`${column} ${s.name}: ${formatCount(value)}`)}</title></rect>`;
          base += value;
          return rect;
        })
        .join('');
      const tick =
        i % every === 0
          ? `<text x="${round(left + i * slot + slot / 2)}" y="${height - bottom + 14}" ` +
            `text-anchor="middle" ${FONT}>${html(column.slice(5))}</text>`
          : '';
      return parts + tick;
    })
    .join('');
  return svg(options.label, width, height, `${ticks}${bars}${legend(series, left, height - 6)}`);
}

export interface Bar {
  readonly label: string;
  readonly value: number;
}

const MAX_LABEL = 34;

/** `text` cut to `MAX_LABEL` characters with an ellipsis (the table beside the chart has it whole). */
export function shortLabel(text: string): string {
  const chars = [...text];
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : text;
}

/** Horizontal bars, largest first as given, each labelled on the left with its value at its end. */
export function horizontalBars(options: {
  readonly label: string;
  readonly bars: readonly Bar[];
  readonly color?: string;
  readonly width?: number;
}): string {
  const width = options.width ?? 760;
  const rowHeight = 22;
  const left = 230;
  const right = 70;
  const height = options.bars.length * rowHeight + 8;
  const max = Math.max(1, ...options.bars.map((b) => b.value));
  const color = options.color ?? PALETTE.blue;
  const rows = options.bars
    .map((bar, i) => {
      const y = 4 + i * rowHeight;
      const length = round(((width - left - right) * bar.value) / max);
      return (
        `<text x="${left - 8}" y="${y + 15}" text-anchor="end" ${FONT}>` +
        `${html(shortLabel(bar.label))}</text>` +
        `<rect x="${left}" y="${y + 3}" width="${Math.max(1, length)}" height="${rowHeight - 6}" ` +
        `fill="${color}"><title>${html(`${bar.label}: ${formatCount(bar.value)}`)}</title></rect>` +
        `<text x="${left + length + 6}" y="${y + 15}" ${FONT}>${formatCount(bar.value)}</text>`
      );
    })
    .join('');
  return svg(options.label, width, height, rows);
}
