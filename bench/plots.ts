import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATCH_UP_TARGETS } from './catch-up-report';
import type { DrainResult } from './drain';
import type { FreshnessResult } from './freshness';
import type { MachineInfo } from './machine';
import type { MemorySizesResult } from './memory-sizes';
import { n, PLOT_FILES, TARGETS } from './report-format';
import { categoryChart, histogram } from './svg-chart';

/** bench/plots/, where RESULTS.md finds them. */
export const PLOTS_FOLDER = fileURLToPath(new URL('./plots/', import.meta.url));

/** The plots RESULTS.md shows: SVG text by file name under bench/plots/. */
export type Plots = Readonly<Record<(typeof PLOT_FILES)[keyof typeof PLOT_FILES], string>>;

const percent = (value: number) => n(value, 1);

/** Section 2: the collector against the paging-only floor, round by round, with and without the budget. */
export function drainRoundsPlot(
  drain: Pick<DrainResult, 'ratios' | 'ratiosWithoutBudget'>,
  targetRatio: number,
  source?: string,
): string {
  const values = [...drain.ratios, ...drain.ratiosWithoutBudget, targetRatio].map((r) => r * 100);
  // Lines, not bars: the rounds differ by a few points, and an axis from zero would hide them.
  const min = Math.max(0, Math.floor((Math.min(...values) - 5) / 10) * 10);
  return categoryChart({
    title: 'Drain rounds: collector throughput as a share of the paging-only floor',
    description:
      `Each of ${drain.ratios.length} rounds runs the paging-only floor, the collector and the collector without ` +
      `the request budget back to back; the collector's events per second divided by the floor's, against the ` +
      `${percent(targetRatio * 100)}% target.`,
    kind: 'lines',
    categoryAxis: { title: 'Round', categories: drain.ratios.map((_, i) => String(i + 1)) },
    valueAxis: { title: 'Collector / floor, events per second', unit: '%', min, max: 100, format: percent },
    series: [
      { name: 'with the request budget (stack default)', values: drain.ratios.map((r) => r * 100) },
      { name: 'REQUEST_BUDGET_PER_MINUTE=0', values: drain.ratiosWithoutBudget.map((r) => r * 100) },
    ],
    references: [{ value: targetRatio * 100, label: 'target' }],
    source,
  });
}

/** Section 7: seconds from an event's arrival at the API to the S3 object that holds it. */
export function freshnessPlot(
  freshness: FreshnessResult,
  targetP95Seconds: number,
  source?: string,
  binSeconds = 10,
): string {
  const latencies = freshness.latenciesSeconds;
  const top = Math.max(targetP95Seconds, ...latencies) + binSeconds;
  const edges = Array.from({ length: Math.ceil(top / binSeconds) + 1 }, (_, i) => i * binSeconds);
  const counts = edges.slice(0, -1).map(() => 0);
  for (const latency of latencies) {
    const bin = Math.min(counts.length - 1, Math.floor(latency / binSeconds));
    counts[bin] = (counts[bin] as number) + 1;
  }
  return histogram({
    title: 'Freshness: from arrival at the API to the object in S3',
    description:
      `${n(latencies.length)} events arriving ${freshness.options.eventsPerSecond} a second per type, collected on ` +
      `the ${freshness.scheduleSeconds} s schedule and buffered ${freshness.bufferSeconds} s by Firehose ` +
      `(simulated clock), counted in ${binSeconds} s bins.`,
    valueAxis: { title: 'Time from arrival at the API to the object in S3', unit: 's', format: (v) => n(v) },
    edges,
    counts,
    countTitle: 'Events',
    references: [
      { value: freshness.p50Seconds, label: 'p50' },
      { value: freshness.p95Seconds, label: 'p95' },
      { value: targetP95Seconds, label: 'p95 target' },
    ],
    source,
  });
}

/** Section 7: what one run behind drains per minute at each memory size, against the request budget. */
export function memorySizesPlot(
  memorySizes: MemorySizesResult,
  stackMemoryMb: number,
  source?: string,
): string {
  return categoryChart({
    title: 'Memory size: events a run behind drains per minute on Lambda',
    description:
      `A warm run of ${n(memorySizes.eventsPerRun)} events at each memory size, its CPU time stretched to the ` +
      `share Lambda gives the size; the line is what the whole request budget lets one type fetch.`,
    kind: 'bars',
    categoryAxis: {
      title: 'Lambda memory size',
      categories: memorySizes.rows.map(
        (row) => `${row.memoryMb} MB${row.memoryMb === stackMemoryMb ? ' (stack)' : ''}`,
      ),
    },
    valueAxis: { title: 'Drained in one minute of schedule', unit: 'events', format: (v) => n(v) },
    series: [
      { name: 'events per run-minute', values: memorySizes.rows.map((row) => row.eventsPerRunMinute) },
    ],
    references: [{ value: memorySizes.budgetEventsPerMinute, label: 'request budget, one type' }],
    source,
  });
}

/** The measurements the plots are drawn from: a whole bench run, or `npm run bench:plots`. */
export interface PlotInputs {
  readonly drain: Pick<DrainResult, 'ratios' | 'ratiosWithoutBudget'>;
  readonly freshness: FreshnessResult;
  readonly memorySizes: MemorySizesResult;
  readonly stackMemoryMb: number;
  /** The command and machine that measured them, written on each plot. */
  readonly source: string;
}

/** Every plot, from one run's own measurements. */
export function benchPlots({ drain, freshness, memorySizes, stackMemoryMb, source }: PlotInputs): Plots {
  return {
    [PLOT_FILES.drainRounds]: drainRoundsPlot(drain, TARGETS.drainRatio, source),
    [PLOT_FILES.freshness]: freshnessPlot(freshness, CATCH_UP_TARGETS.freshnessP95Seconds, source),
    [PLOT_FILES.memorySizes]: memorySizesPlot(memorySizes, stackMemoryMb, source),
  };
}

/** Where a run's plots say they come from: the command, when, and how busy the machine was. */
export function plotSource(command: string, machine: Pick<MachineInfo, 'date' | 'loadAverage'>): string {
  return `${command}, ${machine.date}, load average ${machine.loadAverage} at the start`;
}

/**
 * Draws a run's plots into bench/plots/, replacing the last run's, each saying which command measured
 * them on which machine.
 */
export function writeBenchPlots(
  measured: Omit<PlotInputs, 'source'>,
  command: string,
  machine: Pick<MachineInfo, 'date' | 'loadAverage'>,
): void {
  writePlots(PLOTS_FOLDER, benchPlots({ ...measured, source: plotSource(command, machine) }));
}

/** Writes every plot into `folder` (bench/plots/), replacing the last run's. */
export function writePlots(folder: string, plots: Plots): void {
  mkdirSync(folder, { recursive: true });
  for (const [name, svg] of Object.entries(plots)) writeFileSync(join(folder, name), svg);
}
