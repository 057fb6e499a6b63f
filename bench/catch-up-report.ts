import { EVENT_TYPES } from '../shared/contracts/event-types';
import type { CallCounts } from './call-counts';
import type { MonthlyCosts } from './cost-model';
import type { FreshnessResult } from './freshness';
import type { MemorySizesResult } from './memory-sizes';
import { mark, n, PLOT_FILES, plotImage, table, usd } from './report-format';
import type { SharedBudgetResult } from './shared-budget';

/** Targets of issue 14. */
export const CATCH_UP_TARGETS = {
  /** Events per minute while behind, against the bound of the limits. */
  drainOfBound: 0.8,
  freshnessP95Seconds: 180,
} as const;

export interface CatchUpResults {
  /** Three types behind, the stack's settings (pages scaled down so that the budget binds). */
  readonly drain: SharedBudgetResult;
  /** The same with the cap as it was: MAX_EVENTS_PER_RUN of ten pages. */
  readonly drainBefore: SharedBudgetResult;
  readonly freshness: FreshnessResult;
  readonly memorySizes: MemorySizesResult;
  readonly costs: MonthlyCosts;
  /** The cost model with the defaults before issue 14: 300 s buffers, 256 MB. */
  readonly costsBefore: MonthlyCosts;
  readonly counts: CallCounts;
  readonly memoryMb: number;
  /** The stream quota a run paces under (the region's default), bytes per second. */
  readonly quotaBytesPerSecond: number;
  readonly region: string;
}

interface Bound {
  readonly budget: number;
  readonly firehose: number;
  readonly cpu: number;
  readonly least: number;
  readonly binding: 'request budget' | 'Firehose quota' | 'CPU';
}

/** Events a minute the limits allow `types` types behind at once, pages of `pageSize`. */
function drainBound(results: CatchUpResults, pageSize: number, types: number): Bound {
  const { counts, memorySizes } = results;
  const bytesPerEvent = counts.warmBusy.rawBytes / counts.warmBusy.events;
  const atMemory = memorySizes.rows.find((row) => row.memoryMb === results.memoryMb);
  const budget = results.drain.options.budgetPerMinute * pageSize;
  const firehose = (types * results.quotaBytesPerSecond * 60) / bytesPerEvent;
  const cpu = types * (atMemory?.eventsPerRunMinute ?? Number.NaN);
  const least = Math.min(budget, firehose, cpu);
  const binding = least === budget ? 'request budget' : least === firehose ? 'Firehose quota' : 'CPU';
  return { budget, firehose, cpu, least, binding };
}

const perMinute = (result: SharedBudgetResult) => result.events / result.options.minutes;

export function catchUpSummaryRows(results: CatchUpResults): string[][] {
  const { drain, drainBefore, freshness, costs, costsBefore } = results;
  const types = EVENT_TYPES.length;
  const simBound = drainBound(results, drain.options.pageSize, types);
  const ratio = perMinute(drain) / simBound.least;
  const atDefaults = drainBound(results, results.counts.pageSize, types);
  const drainMinutes = (types * 1e6) / (ratio * atDefaults.least);
  const cost = (c: MonthlyCosts) => c.total.map((t) => usd(t)).join(' / ');
  const costNotHigher = costs.total.every((t, i) => t <= (costsBefore.total[i] as number) + 0.005);
  return [
    [
      'Backlog drain, three types (simulated clock)',
      `${n(perMinute(drain))} events/simulated min (pages of ${drain.options.pageSize}); 1,000,000 per type with ` +
        `the defaults in ${n(drainMinutes, 1)} simulated min (from the measured rate)`,
      `${n(simBound.least)} events/min: min(budget x page ${n(simBound.budget)}, Firehose quota / bytes per event ` +
        `${n(simBound.firehose)}, CPU at ${results.memoryMb} MB ${n(simBound.cpu)}); the old cap: ${n(perMinute(drainBefore))}`,
      `${n(ratio * 100, 1)}% (old cap: ${n((perMinute(drainBefore) / simBound.least) * 100, 1)}%)`,
      `≥ ${CATCH_UP_TARGETS.drainOfBound * 100}%`,
      mark(ratio >= CATCH_UP_TARGETS.drainOfBound),
    ],
    [
      'Freshness: arrival at the API to object in S3 (simulated clock)',
      `p50 ${n(freshness.p50Seconds)} s, p95 ${n(freshness.p95Seconds)} s, max ${n(freshness.maxSeconds)} s; ` +
        `${n(freshness.missing)} of ${n(freshness.events)} events not in S3`,
      `schedule ${freshness.scheduleSeconds} s + buffer ${freshness.bufferSeconds} s (up to 1.5x)`,
      '–',
      `p95 ≤ ${CATCH_UP_TARGETS.freshnessP95Seconds} s`,
      mark(freshness.p95Seconds <= CATCH_UP_TARGETS.freshnessP95Seconds && freshness.missing === 0),
    ],
    [
      'Caught-up cost per month, 10k / 1M / 100M events',
      cost(costs),
      `${cost(costsBefore)} with the old defaults (300 s buffers, 256 MB)`,
      costs.total.map((t, i) => `${n((t / (costsBefore.total[i] as number)) * 100)}%`).join(' / '),
      'unchanged or lower',
      costNotHigher ? 'met' : `**not met**: ${costIncrease(results)}`,
    ],
  ];
}

/** What makes the caught-up cost higher than before, line by line, at the middle volume. */
function costIncrease(results: CatchUpResults): string {
  const { costs, costsBefore: before } = results;
  const at = 1;
  const delta = (items: readonly string[]) =>
    items.reduce((sum, item) => {
      const now = costs.lines.find((l) => l.item === item)?.usd[at] ?? 0;
      const then = before.lines.find((l) => l.item === item)?.usd[at] ?? 0;
      return sum + now - then;
    }, 0);
  const objects = delta(['Firehose dynamic partitioning, objects', 'S3 PUT']);
  const lambda = delta(['Lambda duration']);
  return (
    `at ${n(costs.volumes[at] ?? 0)} events a month, ${usd(objects)} for S3 objects (one per partition per ` +
    `${results.freshness.bufferSeconds} s flush instead of 300 s: the price of freshness) and ${usd(lambda)} for Lambda ` +
    `time (${results.memoryMb} MB instead of 256 MB: the price of draining at the request budget); ` +
    'firehoseBufferSeconds=300 and collector.functionProps.memorySize 256 restore the old cost'
  );
}

export function catchUpSection(results: CatchUpResults): string {
  const { drain, drainBefore, freshness, memorySizes, costs, costsBefore } = results;
  const types = EVENT_TYPES.length;
  const simBound = drainBound(results, drain.options.pageSize, types);
  const ratio = perMinute(drain) / simBound.least;
  const atDefaults = drainBound(results, results.counts.pageSize, types);
  const alone = drainBound(results, results.counts.pageSize, 1);
  const minutesFor = (events: number, bound: Bound) => events / (ratio * bound.least);
  const objectsLine = (c: MonthlyCosts) => c.usage.map((u) => n(u.s3Objects)).join(' / ');
  const sizeRows = memorySizes.rows.map((row) => [
    `${row.memoryMb} MB${row.memoryMb === results.memoryMb ? ' (stack)' : ''}`,
    n(row.ms),
    n(row.cpuMs),
    n(row.lambdaMs),
    n(row.eventsPerSecond),
    n(row.eventsPerRunMinute),
    n(row.secondsPerMillion),
    usd(row.usdPerMillion),
  ]);
  return [
    '## 7. Catching up, freshness and memory size (bench/shared-budget.ts, bench/freshness.ts, bench/memory-sizes.ts)',
    '',
    '### Backlog drain, three types',
    '',
    `The three-type run of section 2 is this measurement: the collectors with the stack's settings (MAX_EVENTS_PER_RUN ` +
      `${n(drain.options.maxEventsPerRun)}, the stack's timeout as each run's deadline, REQUEST_BUDGET_PER_MINUTE ` +
      `${drain.options.budgetPerMinute}, the region's Firehose quota) on a clock ${drain.options.timeScale}x faster than real time, ` +
      `every type behind for all ${drain.options.minutes} simulated minutes. Pages hold ${drain.options.pageSize} events ` +
      '(1,000 at ' +
      `${drain.options.timeScale}x would need more CPU than this machine has), so the bound is the same formula at that page size; ` +
      `the CPU term is the stack's memory size from the sweep below (each type has its own function), times ${types}.`,
    '',
    table(
      [
        'Cap per run',
        'Events',
        'Simulated minutes',
        'Events per minute',
        'Bound',
        'Share of the bound',
        'Runs ended by the budget',
      ],
      [
        [
          `${n(drain.options.maxEventsPerRun)} (default)`,
          n(drain.events),
          drain.options.minutes,
          n(perMinute(drain)),
          `${n(simBound.least)} (${simBound.binding})`,
          `${n(ratio * 100, 1)}%`,
          `${drain.runsStoppedByBudget} of ${drain.runs}`,
        ],
        [
          `${n(drainBefore.options.maxEventsPerRun)} (ten pages, as the old default)`,
          n(drainBefore.events),
          drainBefore.options.minutes,
          n(perMinute(drainBefore)),
          `${n(simBound.least)} (${simBound.binding})`,
          `${n((perMinute(drainBefore) / simBound.least) * 100, 1)}%`,
          `${drainBefore.runsStoppedByBudget} of ${drainBefore.runs}`,
        ],
      ],
    ),
    '',
    `With the defaults (pages of ${n(results.counts.pageSize)}) the bound for three types behind is ` +
      `min(${n(atDefaults.budget)} budget, ${n(atDefaults.firehose)} Firehose at ${n(results.quotaBytesPerSecond / 2 ** 20)} MiB/s per stream, ` +
      `${n(atDefaults.cpu)} CPU at ${results.memoryMb} MB) = ${n(atDefaults.least)} events a minute (${atDefaults.binding}); ` +
      `at the measured ${n(ratio * 100, 1)}% of it, 1,000,000 events per type drain in ${n(minutesFor(types * 1e6, atDefaults), 1)} ` +
      `simulated minutes (computed from the measured rate; a full drain at pages of 1,000 would take this machine longer than the bench). ` +
      `One type behind alone: bound ${n(alone.least)} a minute (${alone.binding}), 1,000,000 in ${n(minutesFor(1e6, alone), 1)} minutes. ` +
      `With the old cap (10,000 a run) it took 100 minutes per million and type.`,
    '',
    '### Freshness',
    '',
    `Events arrive at the API simulator ${freshness.options.eventsPerSecond} a second per type for ${freshness.options.minutes} simulated minutes ` +
      `(${freshness.options.timeScale}x); the collectors run at every tick of the default schedule (${freshness.scheduleSeconds} s) with ` +
      `the stack's settings; the Firehose stand-in buffers each partition with the stack's hints (${freshness.bufferSeconds} s, ` +
      `${freshness.bufferMiB} MiB) on the same clock and writes a buffer 1.5 intervals after its first record, the worst case ` +
      'the Firehose guide gives for dynamic partitioning ("Buffer data for dynamic partitioning", ' +
      'https://docs.aws.amazon.com/firehose/latest/dev/buffering.html; size or interval, whichever first: ' +
      '"Understand buffering hints", https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html).',
    '',
    table(
      ['Events', 'Not in S3', 'p50', 'p95', 'Max', 'Objects per stream per hour'],
      [
        [
          n(freshness.events),
          n(freshness.missing),
          `${n(freshness.p50Seconds)} s`,
          `${n(freshness.p95Seconds)} s`,
          `${n(freshness.maxSeconds)} s`,
          n(freshness.objectsPerStreamHour),
        ],
      ],
    ),
    '',
    plotImage(
      'Histogram of the seconds from arrival at the API to the object in S3, with p50, p95 and the p95 target',
      PLOT_FILES.freshness,
    ),
    '',
    'The wait is the time to the next tick (up to the schedule interval) plus the buffer (up to 1.5 intervals); ' +
      `the run itself takes well under a second. S3 objects a month in the cost model (10k / 1M / 100M events): ` +
      `${objectsLine(costs)} with ${freshness.bufferSeconds} s buffers, ${objectsLine(costsBefore)} with 300 s; each is an ` +
      'S3 PUT and a dynamic-partitioning object charge, and one more small file for Athena to open.',
    '',
    '### Memory size',
    '',
    `A warm run of ${n(memorySizes.eventsPerRun)} events (pages of ${memorySizes.pageSize}, API latency 50 ms, Firehose 30 ms) of the ` +
      "deployed artifact started with the Lambda runtime's heap flags for each size, median of three; its CPU time stretched to the " +
      `share Lambda gives the size (1,769 MB = 1 vCPU). Events per run-minute: what a run behind pages in its ${n(memorySizes.runSeconds)} s ` +
      `on the default schedule, against the ${n(memorySizes.budgetEventsPerMinute)} events the whole request budget lets one type fetch.`,
    '',
    table(
      [
        'Memory',
        'ms here',
        'CPU ms',
        'ms on Lambda',
        'Events/s',
        'Events per run-minute',
        'Lambda s per million',
        'Lambda cost per million',
      ],
      sizeRows,
    ),
    '',
    plotImage(
      'Events a run behind drains per minute at each memory size, against the request budget of one type',
      PLOT_FILES.memorySizes,
    ),
    '',
    memoryChoice(results),
  ].join('\n');
}

function memoryChoice(results: CatchUpResults): string {
  const { memorySizes } = results;
  const stack = memorySizes.rows.find((row) => row.memoryMb === results.memoryMb);
  const smallest = memorySizes.smallestKeepingUp;
  const cheapest = memorySizes.rows.reduce((a, b) => (b.usdPerMillion < a.usdPerMillion ? b : a));
  const why =
    smallest === undefined
      ? 'No size keeps up with the whole request budget: a run behind is CPU-bound at every size.'
      : smallest === results.memoryMb
        ? `${smallest} MB is the smallest size whose run keeps up with the whole request budget, so a type behind alone ` +
          'drains at the account limit rather than at its CPU; a smaller size would leave it CPU-bound.'
        : `The smallest size that keeps up with the whole request budget is ${smallest} MB; the stack sets ${results.memoryMb} MB.`;
  return (
    `The stack sets ${results.memoryMb} MB. ${why} Draining costs ${usd(stack?.usdPerMillion ?? Number.NaN)} of Lambda ` +
    `time per million events there (the cheapest size, ${cheapest.memoryMb} MB, ${usd(cheapest.usdPerMillion)}): while CPU-bound, ` +
    'more memory runs proportionally faster for about the same GB-seconds; what grows with memory is the idle and waiting ' +
    'time of caught-up runs, which the caught-up cost row shows.'
  );
}
