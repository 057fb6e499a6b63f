/**
 * Small SVG charts for RESULTS.md, drawn from the bench's own measurements: a chart of values per
 * category (bars, or lines when the value axis does not start at zero) and a histogram. Every mark
 * carries its number in a <title> (a tooltip, and text a reader or a test can take from the file),
 * every axis names its unit, and a reference line marks a target or a limit.
 */

/** A value axis: its title, unit and range (from 0 to a round number above the data unless given). */
export interface ValueAxis {
  readonly title: string;
  readonly unit: string;
  readonly min?: number;
  readonly max?: number;
  /** Tick and tooltip text of a value, unit excluded. */
  readonly format?: (value: number) => string;
}

/** A line across the chart at one value: a target or a limit. */
export interface ReferenceLine {
  readonly value: number;
  readonly label: string;
}

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

export interface CategoryChart {
  readonly title: string;
  /** One sentence of what the chart shows, for readers that cannot see it. */
  readonly description: string;
  /** Bars start at zero; lines (points joined) may start where the data does. */
  readonly kind: 'bars' | 'lines';
  readonly categoryAxis: { readonly title: string; readonly categories: readonly string[] };
  readonly valueAxis: ValueAxis;
  readonly series: readonly Series[];
  readonly references?: readonly ReferenceLine[];
  /** Which run measured the data (written small in the corner): a plot says where it comes from. */
  readonly source?: string;
}

export interface Histogram {
  readonly title: string;
  readonly description: string;
  readonly valueAxis: ValueAxis;
  /** Bin edges along the value axis: bin i holds the values in [edges[i], edges[i+1]). */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  readonly countTitle: string;
  /** Vertical lines at values of the binned quantity (a percentile, a target). */
  readonly references?: readonly ReferenceLine[];
  /** Which run measured the data (written small in the corner): a plot says where it comes from. */
  readonly source?: string;
}

const WIDTH = 720;
const HEIGHT = 380;
const MARGIN = { top: 56, right: 24, bottom: 64, left: 84 } as const;
const PLOT = {
  left: MARGIN.left,
  right: WIDTH - MARGIN.right,
  top: MARGIN.top,
  bottom: HEIGHT - MARGIN.bottom,
} as const;
/** Okabe and Ito's colours, told apart with any colour vision. */
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7'] as const;
const REFERENCE_COLOUR = '#D55E00';
/** A white outline under a label that may stand over a bar or a line, so it stays readable. */
const HALO = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"';
const TICKS = 5;

const defaultFormat = (value: number) =>
  value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) < 10 ? 2 : 1 });

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** A step of 1, 2, 2.5 or 5 times a power of ten that splits `span` into about `ticks` parts. */
export function niceStep(span: number, ticks = TICKS): number {
  const raw = span / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10;
  return step * power;
}

interface Scale {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  readonly at: (value: number) => number;
}

/** The value axis from `min` (or 0) to a tick at or above the largest value, mapped onto [from, to]. */
function valueScale(axis: ValueAxis, values: readonly number[], from: number, to: number): Scale {
  const low = axis.min ?? 0;
  const high = axis.max ?? Math.max(low + Number.EPSILON, ...values);
  const step = niceStep(high - low);
  const max = axis.max ?? Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let tick = low; tick <= max + step / 1e6; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return { min: low, max, ticks, at: (value) => from + ((value - low) / (max - low)) * (to - from) };
}

function checkValues(chart: string, name: string, values: readonly number[]): void {
  const bad = values.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new Error(
      `chart "${chart}": value ${bad + 1} of "${name}" is ${values[bad]}, not a number; the measurement behind it did not produce one`,
    );
  }
}

const fmt = (value: number) => String(Math.round(value * 10) / 10);

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

function frame(
  chart: { title: string; description: string; source?: string },
  body: readonly string[],
): string {
  const { title, description, source } = chart;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title id="chart-title">${escapeXml(title)}</title>`,
    `<desc id="chart-desc">${escapeXml(source ? `${description} Measured by ${source}.` : description)}</desc>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    text(WIDTH / 2, 24, title, 'text-anchor="middle" font-size="15" font-weight="bold"'),
    ...body,
    ...(source
      ? [text(WIDTH - 6, HEIGHT - 4, source, 'text-anchor="end" font-size="10" fill="#666666"')]
      : []),
    '</svg>',
    '',
  ].join('\n');
}

const axisTitle = (axis: ValueAxis) => `${axis.title} (${axis.unit})`;

/** The value axis on the left: line, ticks, grid lines, tick labels and its title with the unit. */
function verticalValueAxis(axis: ValueAxis, scale: Scale): string[] {
  const format = axis.format ?? defaultFormat;
  const out = [`<g class="value-axis" stroke="#333333">`];
  out.push(`<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}"/>`);
  for (const tick of scale.ticks) {
    const y = fmt(scale.at(tick));
    out.push(`<line x1="${PLOT.left - 5}" y1="${y}" x2="${PLOT.left}" y2="${y}"/>`);
    out.push(`<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="#e5e5e5"/>`);
  }
  out.push('</g>');
  for (const tick of scale.ticks) {
    out.push(text(PLOT.left - 8, scale.at(tick) + 4, format(tick), 'text-anchor="end" fill="#333333"'));
  }
  const middle = (PLOT.top + PLOT.bottom) / 2;
  out.push(
    text(18, middle, axisTitle(axis), `text-anchor="middle" transform="rotate(-90 18 ${fmt(middle)})"`),
  );
  return out;
}

function legend(series: readonly Series[]): string[] {
  if (series.length < 2) return [];
  const out: string[] = [];
  let x = PLOT.left;
  series.forEach((s, i) => {
    out.push(`<rect x="${fmt(x)}" y="34" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/>`);
    out.push(text(x + 16, 44, s.name));
    x += 16 + s.name.length * 6.6 + 24;
  });
  return out;
}

function horizontalReference(line: ReferenceLine, scale: Scale, unit: string, format: (v: number) => string) {
  const y = fmt(scale.at(line.value));
  return [
    `<g class="reference"><title>${escapeXml(`${line.label}: ${format(line.value)} ${unit}`)}</title>`,
    `<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.right}" y2="${y}" stroke="${REFERENCE_COLOUR}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    text(
      PLOT.right - 4,
      scale.at(line.value) - 5,
      line.label,
      `text-anchor="end" fill="${REFERENCE_COLOUR}" ${HALO}`,
    ),
    '</g>',
  ];
}

/** Values per category: grouped bars from zero, or one line of points per series. */
export function categoryChart(chart: CategoryChart): string {
  const { categories } = chart.categoryAxis;
  if (categories.length === 0) throw new Error(`chart "${chart.title}" has no categories`);
  for (const s of chart.series) {
    if (s.values.length !== categories.length) {
      throw new Error(
        `chart "${chart.title}": "${s.name}" has ${s.values.length} values for ${categories.length} categories`,
      );
    }
    checkValues(chart.title, s.name, s.values);
  }
  if (chart.kind === 'bars' && (chart.valueAxis.min ?? 0) !== 0) {
    throw new Error(
      `chart "${chart.title}": bars start at zero; draw lines for an axis from ${chart.valueAxis.min}`,
    );
  }
  const all = [...chart.series.flatMap((s) => s.values), ...(chart.references ?? []).map((r) => r.value)];
  const scale = valueScale(chart.valueAxis, all, PLOT.bottom, PLOT.top);
  const format = chart.valueAxis.format ?? defaultFormat;
  const band = (PLOT.right - PLOT.left) / categories.length;
  const centre = (i: number) => PLOT.left + band * (i + 0.5);
  const body = [...verticalValueAxis(chart.valueAxis, scale), ...legend(chart.series)];

  chart.series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length];
    const tip = (i: number) =>
      `<title>${escapeXml(`${s.name}, ${categories[i]}: ${format(s.values[i] as number)} ${chart.valueAxis.unit}`)}</title>`;
    body.push(`<g class="series" fill="${colour}">`);
    if (chart.kind === 'bars') {
      const width = (band * 0.7) / chart.series.length;
      s.values.forEach((value, i) => {
        const x = centre(i) - (band * 0.7) / 2 + k * width;
        const y = scale.at(Math.max(value, scale.min));
        body.push(
          `<rect x="${fmt(x)}" y="${fmt(y)}" width="${fmt(width)}" height="${fmt(PLOT.bottom - y)}">${tip(i)}</rect>`,
          text(x + width / 2, y - 5, format(value), `text-anchor="middle" fill="#333333" ${HALO}`),
        );
      });
    } else {
      const points = s.values.map((value, i) => `${fmt(centre(i))},${fmt(scale.at(value))}`).join(' ');
      body.push(`<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>`);
      s.values.forEach((value, i) => {
        body.push(`<circle cx="${fmt(centre(i))}" cy="${fmt(scale.at(value))}" r="4">${tip(i)}</circle>`);
      });
    }
    body.push('</g>');
  });
  for (const line of chart.references ?? []) {
    body.push(...horizontalReference(line, scale, chart.valueAxis.unit, format));
  }
  body.push(
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333333"/>`,
  );
  categories.forEach((category, i) => {
    body.push(text(centre(i), PLOT.bottom + 18, category, 'text-anchor="middle" fill="#333333"'));
  });
  body.push(
    text((PLOT.left + PLOT.right) / 2, HEIGHT - 18, chart.categoryAxis.title, 'text-anchor="middle"'),
  );
  return frame(chart, body);
}

/** Counts of values per bin along a value axis, with vertical reference lines at given values. */
export function histogram(chart: Histogram): string {
  const { edges, counts } = chart;
  if (counts.length === 0 || edges.length !== counts.length + 1) {
    throw new Error(
      `chart "${chart.title}": ${counts.length} bins need ${counts.length + 1} edges, not ${edges.length}`,
    );
  }
  checkValues(chart.title, 'bin edges', edges);
  checkValues(chart.title, chart.countTitle, counts);
  const format = chart.valueAxis.format ?? defaultFormat;
  const unit = chart.valueAxis.unit;
  const x = valueScale(
    { ...chart.valueAxis, min: edges[0] },
    [...edges, ...(chart.references ?? []).map((r) => r.value)],
    PLOT.left,
    PLOT.right,
  );
  const y = valueScale({ title: chart.countTitle, unit: 'count' }, counts, PLOT.bottom, PLOT.top);
  const body = verticalValueAxis({ title: chart.countTitle, unit: 'count' }, y);
  body.push(`<g class="series" fill="${COLOURS[0]}">`);
  counts.forEach((count, i) => {
    const from = edges[i] as number;
    const to = edges[i + 1] as number;
    const top = y.at(count);
    const tip = `${format(from)}–${format(to)} ${unit}: ${count.toLocaleString('en-US')} ${chart.countTitle.toLowerCase()}`;
    body.push(
      `<rect x="${fmt(x.at(from) + 1)}" y="${fmt(top)}" width="${fmt(Math.max(0, x.at(to) - x.at(from) - 2))}" height="${fmt(PLOT.bottom - top)}"><title>${escapeXml(tip)}</title></rect>`,
    );
  });
  body.push('</g>');
  (chart.references ?? []).forEach((line, i) => {
    const at = x.at(line.value);
    const label = `${line.label} ${format(line.value)} ${unit}`;
    body.push(
      `<g class="reference"><title>${escapeXml(`${line.label}: ${format(line.value)} ${unit}`)}</title>`,
      `<line x1="${fmt(at)}" y1="${PLOT.top}" x2="${fmt(at)}" y2="${PLOT.bottom}" stroke="${REFERENCE_COLOUR}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      // A label near the right edge stands to the left of its line.
      x.at(line.value) > PLOT.right - 140
        ? text(at - 4, PLOT.top + 12 + i * 14, label, `text-anchor="end" fill="${REFERENCE_COLOUR}" ${HALO}`)
        : text(at + 4, PLOT.top + 12 + i * 14, label, `fill="${REFERENCE_COLOUR}" ${HALO}`),
      '</g>',
    );
  });
  body.push(
    `<line x1="${PLOT.left}" y1="${PLOT.bottom}" x2="${PLOT.right}" y2="${PLOT.bottom}" stroke="#333333"/>`,
  );
  for (const tick of x.ticks) {
    body.push(
      `<line x1="${fmt(x.at(tick))}" y1="${PLOT.bottom}" x2="${fmt(x.at(tick))}" y2="${PLOT.bottom + 5}" stroke="#333333"/>`,
    );
    body.push(text(x.at(tick), PLOT.bottom + 18, format(tick), 'text-anchor="middle" fill="#333333"'));
  }
  body.push(
    text((PLOT.left + PLOT.right) / 2, HEIGHT - 18, axisTitle(chart.valueAxis), 'text-anchor="middle"'),
  );
  return frame(chart, body);
}
