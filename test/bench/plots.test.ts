import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FreshnessResult } from '../../bench/freshness';
import type { MemorySizesResult } from '../../bench/memory-sizes';
import { drainRoundsPlot, freshnessPlot, memorySizesPlot } from '../../bench/plots';
import { busyMachineNote } from '../../bench/report';
import { PLOT_FILES } from '../../bench/report-format';
import { textsOf, titlesOf, xmlError } from './svg-support';

describe("the bench's plots", () => {
  it('drain rounds: every round of both series, as the percentages RESULTS.md prints', () => {
    const svg = drainRoundsPlot(
      { ratios: [0.862, 0.973, 0.852], ratiosWithoutBudget: [0.858, 0.948, 0.861] },
      0.9,
    );
    expect(xmlError(svg)).toBeUndefined();
    const titles = titlesOf(svg);
    expect(titles).toEqual(
      expect.arrayContaining([
        'with the request budget (stack default), 1: 86.2 %',
        'with the request budget (stack default), 2: 97.3 %',
        'with the request budget (stack default), 3: 85.2 %',
        'REQUEST_BUDGET_PER_MINUTE=0, 2: 94.8 %',
        'target: 90.0 %',
      ]),
    );
    // Six points and the target line, after the chart's own title.
    expect(titles.slice(1)).toHaveLength(7);
  });

  it('freshness: every event counted in one bin, with p50, p95 and the target marked', () => {
    const latencies = [31, 35, 44.5, 90, 95, 143.9, 150];
    const svg = freshnessPlot(
      {
        options: { timeScale: 20, minutes: 6, eventsPerSecond: 2 },
        scheduleSeconds: 60,
        bufferSeconds: 60,
        p50Seconds: 90,
        p95Seconds: 144,
        latenciesSeconds: latencies,
      } as unknown as FreshnessResult,
      180,
    );
    expect(xmlError(svg)).toBeUndefined();
    const titles = titlesOf(svg);
    const binCounts = titles
      .map((title) => /^\d+–\d+ s: (\d+) events$/.exec(title)?.[1])
      .filter((count) => count !== undefined)
      .map(Number);
    expect(binCounts.reduce((a, b) => a + b, 0)).toBe(latencies.length);
    // The bins reach past the target, so the line stands over the axis.
    expect(binCounts.length).toBeGreaterThanOrEqual(19);
    expect(titles).toEqual(
      expect.arrayContaining([
        '30–40 s: 2 events',
        '40–50 s: 1 events',
        '140–150 s: 1 events',
        '150–160 s: 1 events',
        'p50: 90 s',
        'p95: 144 s',
        'p95 target: 180 s',
      ]),
    );
  });

  it('memory sizes: events per run-minute at each size, the stack size named, against the budget', () => {
    const rows = [
      { memoryMb: 256, eventsPerRunMinute: 166_422.4 },
      { memoryMb: 1024, eventsPerRunMinute: 458_038 },
    ];
    const svg = memorySizesPlot(
      { rows, eventsPerRun: 10_000, budgetEventsPerMinute: 300_000 } as unknown as MemorySizesResult,
      1024,
    );
    expect(xmlError(svg)).toBeUndefined();
    expect(titlesOf(svg)).toEqual(
      expect.arrayContaining([
        'events per run-minute, 256 MB: 166,422 events',
        'events per run-minute, 1024 MB (stack): 458,038 events',
        'request budget, one type: 300,000 events',
      ]),
    );
  });
});

const BENCH = resolve(import.meta.dirname, '../../bench');

/** The plots bench/plots/ holds and RESULTS.md shows, each made by a run of the bench that it names. */
describe('the committed plots', () => {
  const results = readFileSync(join(BENCH, 'RESULTS.md'), 'utf8');
  const plot = (file: string) => readFileSync(join(BENCH, 'plots', file), 'utf8');
  const source =
    /^npm run bench(:plots)?\b.*, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, load average [\d.]+ at the start$/;

  it.each(Object.values(PLOT_FILES))(
    '%s is well-formed SVG that RESULTS.md shows and that names its run',
    (file) => {
      const svg = plot(file);
      expect(xmlError(svg)).toBeUndefined();
      expect(results).toContain(`](plots/${file})`);
      expect(textsOf(svg).filter((text) => source.test(text))).toHaveLength(1);
    },
  );

  it('drain rounds: both series over the same rounds, and the target', () => {
    const points = titlesOf(plot(PLOT_FILES.drainRounds)).filter((title) => / \d+: [\d.]+ %$/.test(title));
    const budget = points.filter((title) => title.startsWith('with the request budget'));
    expect(budget.length).toBeGreaterThan(2);
    expect(points).toHaveLength(2 * budget.length);
  });

  it('freshness: every event of the run counted in one bin', () => {
    const svg = plot(PLOT_FILES.freshness);
    const events = Number(/<desc[^>]*>([\d,]+) events/.exec(svg)?.[1]?.replaceAll(',', ''));
    const counted = titlesOf(svg)
      .map((title) => /^\d+–\d+ s: ([\d,]+) events$/.exec(title)?.[1])
      .filter((count) => count !== undefined)
      .reduce((sum, count) => sum + Number(count.replaceAll(',', '')), 0);
    expect(events).toBeGreaterThan(0);
    expect(counted).toBe(events);
  });

  it('memory sizes: the four sizes measured, the stack size named', () => {
    const bars = titlesOf(plot(PLOT_FILES.memorySizes)).filter((title) =>
      title.startsWith('events per run-minute'),
    );
    expect(bars.map((title) => /, (\d+ MB( \(stack\))?):/.exec(title)?.[1])).toEqual([
      '256 MB',
      '512 MB',
      '1024 MB (stack)',
      '1769 MB',
    ]);
  });
});

describe("RESULTS.md's header", () => {
  it('warns when the bench shared a busy machine, and says nothing on a quiet one', () => {
    expect(busyMachineNote({ loadAverage: 13.86, cores: 2 })).toContain(
      'the load average (13.86) was above its 2 cores at the start',
    );
    expect(busyMachineNote({ loadAverage: 1.09, cores: 2 })).toBe('');
  });
});
