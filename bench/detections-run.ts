/**
 * `npm run bench:detections`: the detection rows of issue 22 item 8, measured and spliced into
 * bench/RESULTS.md (its other rows and sections are left as the last full bench wrote them).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runBenchCommand, step } from './bench-step';
import {
  detectionsSection,
  measureDetectionLatency,
  measureRulesHotPath,
  measureScheduledCost,
  spliceDetections,
} from './detections';
import { isolateFromAws } from './loopback-aws';

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

async function main(): Promise<void> {
  isolateFromAws();
  const loadAverage = loadavg()[0] ?? 0;
  // CPU-only first, before any stand-in exists.
  const hotPath = await step('hot path with every one-event rule on', () => measureRulesHotPath());
  const latency = await step('detection latency', () => measureDetectionLatency());
  const cost = await step('scheduled rules cost', () => measureScheduledCost());
  const results = { loadAverage, hotPath, latency, cost };
  writeFileSync(RESULTS, spliceDetections(readFileSync(RESULTS, 'utf8'), results));
  process.stdout.write(`${detectionsSection(results)}\n`);
}

runBenchCommand('bench:detections', main);
