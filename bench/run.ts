/**
 * `npm run bench`: every measurement of issue 5 against its floor, printed and written to
 * bench/RESULTS.md. Everything runs on loopback stand-ins; the whole bench stops by itself.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unitsPerBudgetWrite } from '../shared/collector/events-api/request-budget';
import { firehoseDirectPutQuota } from '../shared/contracts/aws-limits';
import { measureAthenaBytes } from './athena-bytes';
import { createBenchContext, withBenchContext } from './bench-context';
import { runBenchCommand, step } from './bench-step';
import { countCalls } from './call-counts';
import type { CatchUpResults } from './catch-up-report';
import { measureColdStart } from './cold-start';
import { monthlyCosts } from './cost-model';
import {
  measureDetectionLatency,
  measureRulesHotPath,
  measureScheduledCost,
  spliceDetections,
} from './detections';
import { measureDrain } from './drain';
import { measureFreshness } from './freshness';
import { measureHotPath } from './hot-path';
import { FAKE_AWS_ENV, isolateFromAws } from './loopback-aws';
import { machineInfo } from './machine';
import { measureMemory } from './memory';
import { MEMORY_SIZES_MB, measureMemorySizes } from './memory-sizes';
import { writeBenchPlots } from './plots';
import { type BenchResults, renderReport } from './report';
import { measureReportTiming } from './report-timing';
import { measureSharedBudget } from './shared-budget';

/** The bench gives up (and exits non-zero) after this long, whatever is still running. */
const BENCH_TIMEOUT_MS = 15 * 60_000;
const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

async function main(): Promise<void> {
  const started = Date.now();
  setTimeout(() => {
    process.stderr.write(`bench: still running after ${BENCH_TIMEOUT_MS / 60_000} minutes; giving up\n`);
    process.exit(2);
  }, BENCH_TIMEOUT_MS).unref();
  isolateFromAws();
  const machine = machineInfo();

  // CPU-only measurement first, before any stand-in or child process exists.
  const hotPath = await step('hot path', () => measureHotPath());
  const rulesHotPath = await step('hot path with every one-event rule on', () => measureRulesHotPath());
  const createContext = () => step('cdk synth and bench runtime', createBenchContext);
  await withBenchContext(async (context) => {
    const coldStart = await step('cold start', () => measureColdStart(context));
    const drain = await step('drain', () => measureDrain(context));
    const budget = await step('shared budget and backlog drain', () => measureSharedBudget(context));
    const oldCap = 10 * budget.options.pageSize;
    const budgetOldCap = await step('backlog drain with the old cap', () =>
      measureSharedBudget(context, { maxEventsPerRun: oldCap, minutes: 2 }),
    );
    const freshness = await step('freshness', () => measureFreshness(context));
    const memorySizes = await step('memory sizes', () => measureMemorySizes(context));
    // Growth is checked with the heap of the smallest size measured, where V8 collects soonest; the
    // stack's own size is the second sequence.
    const memory = await step('memory', () =>
      measureMemory({ ...context, memoryMb: MEMORY_SIZES_MB[0] }, undefined, undefined, context.memoryMb),
    );
    const counts = await step('call counts', () => countCalls(context));
    const athenaBytes = await step('Athena bytes per saved query', () => measureAthenaBytes());
    const reportTiming = await step('op-events report at 1M events a month', () => measureReportTiming());
    const detections = {
      loadAverage: machine.loadAverage,
      hotPath: rulesHotPath,
      latency: await step('detection latency', () => measureDetectionLatency()),
      cost: await step('scheduled rules cost', () => measureScheduledCost()),
    };
    const collectorStart = coldStart.timings[0];
    const costInputs = {
      counts,
      memoryMb: context.memoryMb,
      initMs: collectorStart?.importMs ?? counts.initMs,
      firstInvocationExtraMs: collectorStart ? collectorStart.firstInvokeMs - collectorStart.warmInvokeMs : 0,
      stackResources: context.stackResources,
      unitsPerBudgetWrite: unitsPerBudgetWrite(context.settings.requestBudgetPerMinute),
    };
    const costs = monthlyCosts(costInputs);
    const region = FAKE_AWS_ENV.AWS_REGION;
    const catchUp: CatchUpResults = {
      drain: budget,
      drainBefore: budgetOldCap,
      freshness,
      memorySizes,
      costs,
      // The defaults before catch-up: 300 s buffers and 256 MB.
      costsBefore: monthlyCosts({ ...costInputs, memoryMb: 256, bufferIntervalSeconds: 300 }),
      counts,
      memoryMb: context.memoryMb,
      quotaBytesPerSecond: firehoseDirectPutQuota(region).bytesPerSecond,
      region,
    };
    const results: BenchResults = {
      machine,
      runtimeSeconds: (Date.now() - started) / 1000,
      hotPath,
      drain,
      budget,
      memory,
      coldStart,
      counts,
      costs,
      catchUp,
      athenaBytes,
      reportTiming,
    };
    const report = spliceDetections(renderReport(results), detections);
    writeFileSync(RESULTS, `${report}\n`);
    writeBenchPlots(
      { drain, freshness, memorySizes, stackMemoryMb: context.memoryMb },
      'npm run bench',
      machine,
    );
    process.stdout.write(`${report}\n`);
  }, createContext);
}

runBenchCommand('bench', main);
