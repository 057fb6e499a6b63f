import { describe, expect, it } from 'vitest';
import { categoryChart, histogram, niceStep } from '../../bench/svg-chart';
import { textsOf, titlesOf, xmlError } from './svg-support';

describe('the SVG chart module', () => {
  const bars = () =>
    categoryChart({
      title: 'Sizes & <limits>',
      description: 'Two series "quoted" over three sizes.',
      kind: 'bars',
      categoryAxis: { title: 'Memory', categories: ['256 MB', '512 MB', '1024 MB'] },
      valueAxis: { title: 'Drained', unit: 'events' },
      series: [
        { name: 'first', values: [1200, 2500.5, 0] },
        { name: 'second', values: [700, 1800, 3100] },
      ],
      references: [{ value: 3000, label: 'budget' }],
    });

  it('draws bars as well-formed SVG, each value in a <title>, axes titled with their units', () => {
    const svg = bars();
    expect(xmlError(svg)).toBeUndefined();
    const titles = titlesOf(svg);
    expect(titles[0]).toBe('Sizes & <limits>');
    expect(titles).toEqual(
      expect.arrayContaining([
        'first, 256 MB: 1,200 events',
        'first, 512 MB: 2,500.5 events',
        'first, 1024 MB: 0 events',
        'second, 1024 MB: 3,100 events',
        'budget: 3,000 events',
      ]),
    );
    const texts = textsOf(svg);
    expect(texts).toEqual(
      expect.arrayContaining(['Drained (events)', 'Memory', '256 MB', 'first', 'second']),
    );
    // The value axis reaches past the largest value (3,100) to the next tick of its step of 1,000.
    expect(texts).toContain('4,000');
    expect(texts).not.toContain('5,000');
    // Each bar's value is also written on the chart, for readers of the image.
    expect(texts).toEqual(expect.arrayContaining(['1,200', '2,500.5', '3,100']));
    expect(svg).toContain('<desc id="chart-desc">Two series &quot;quoted&quot; over three sizes.</desc>');
  });

  it('draws lines on an axis that starts where the data does, and refuses bars that would not start at zero', () => {
    const chart = {
      title: 'Rounds',
      description: 'Ratios per round.',
      categoryAxis: { title: 'Round', categories: ['1', '2'] },
      valueAxis: { title: 'Share', unit: '%', min: 80, max: 100 },
      series: [{ name: 'ratio', values: [86.2, 97.3] }],
    };
    const svg = categoryChart({ ...chart, kind: 'lines' });
    expect(xmlError(svg)).toBeUndefined();
    expect(titlesOf(svg)).toEqual(expect.arrayContaining(['ratio, 1: 86.2 %', 'ratio, 2: 97.3 %']));
    expect(textsOf(svg)).toEqual(expect.arrayContaining(['80', '100', 'Share (%)']));
    expect(() => categoryChart({ ...chart, kind: 'bars' })).toThrow(/bars start at zero/);
  });

  it('draws a histogram with each bin and each reference line titled', () => {
    const svg = histogram({
      title: 'Latency',
      description: 'Bins of ten seconds.',
      valueAxis: { title: 'Wait', unit: 's' },
      edges: [0, 10, 20, 30],
      counts: [3, 0, 1234],
      countTitle: 'Events',
      references: [{ value: 25, label: 'p95' }],
    });
    expect(xmlError(svg)).toBeUndefined();
    expect(titlesOf(svg)).toEqual(
      expect.arrayContaining(['0–10 s: 3 events', '10–20 s: 0 events', '20–30 s: 1,234 events', 'p95: 25 s']),
    );
    expect(textsOf(svg)).toEqual(expect.arrayContaining(['Wait (s)', 'Events (count)', 'p95 25 s']));
  });

  it('names the run that measured the data, on the chart and in its description', () => {
    const svg = histogram({
      title: 'Latency',
      description: 'Bins.',
      valueAxis: { title: 'Wait', unit: 's' },
      edges: [0, 10],
      counts: [1],
      countTitle: 'Events',
      source: 'npm run bench, 2026-12-06 04:05 UTC',
    });
    expect(textsOf(svg)).toContain('npm run bench, 2026-12-06 04:05 UTC');
    expect(svg).toContain(
      '<desc id="chart-desc">Bins. Measured by npm run bench, 2026-12-06 04:05 UTC.</desc>',
    );
  });

  it('refuses data it cannot draw, naming the chart and the series', () => {
    const base = {
      title: 'Broken',
      description: 'x',
      kind: 'bars' as const,
      categoryAxis: { title: 'c', categories: ['a', 'b'] },
      valueAxis: { title: 'v', unit: 'u' },
    };
    expect(() => categoryChart({ ...base, series: [{ name: 'runs', values: [1, Number.NaN] }] })).toThrow(
      'chart "Broken": value 2 of "runs" is NaN, not a number',
    );
    expect(() => categoryChart({ ...base, series: [{ name: 'runs', values: [1] }] })).toThrow(
      'chart "Broken": "runs" has 1 values for 2 categories',
    );
    expect(() =>
      histogram({ ...base, edges: [0, 1], counts: [1, 2], countTitle: 'n', valueAxis: base.valueAxis }),
    ).toThrow('chart "Broken": 2 bins need 3 edges, not 2');
  });

  it('steps its ticks by 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceStep(100)).toBe(20);
    expect(niceStep(614_670)).toBe(200_000);
    expect(niceStep(12)).toBe(2.5);
    expect(niceStep(0.9)).toBe(0.2);
  });
});
