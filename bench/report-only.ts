/**
 * `npm run bench:report`: measures `op-events report` at 1M events a month (bench/report-timing.ts)
 * and writes its summary row and its section into bench/RESULTS.md in place, leaving the other
 * measurements as the last `npm run bench` wrote them (which measures this too).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  measureReportTiming,
  reportTimingSection,
  reportTimingSummaryRow,
  withReportTiming,
} from './report-timing';

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const timing = await measureReportTiming();
const section = reportTimingSection(timing);
const row = reportTimingSummaryRow(timing);
writeFileSync(RESULTS, withReportTiming(readFileSync(RESULTS, 'utf8'), row, section));
process.stdout.write(`| ${row.join(' | ')} |\n\n${section}\n`);
