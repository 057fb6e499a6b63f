import { describe, expect, it } from 'vitest';
import {
  DETECTIONS_ROW_TITLES,
  DETECTIONS_SECTION_TITLE,
  type DetectionResults,
  p95WithScheduleWait,
  spliceDetections,
} from '../../bench/detections';

describe('p95WithScheduleWait', () => {
  it('adds a wait uniform over the schedule interval to the runs', () => {
    // Runs of 0 ms: the p95 is 95% of the interval; runs of 2 s move it by 2 s.
    expect(p95WithScheduleWait([0], 60_000)).toBeCloseTo(57_000, -2);
    expect(p95WithScheduleWait([2_000, 2_000], 60_000)).toBeCloseTo(59_000, -2);
  });
});

const results = (ratio: number): DetectionResults => ({
  loadAverage: 1,
  hotPath: [
    {
      type: 'auditevents',
      ratioWithout: 1.3,
      ratioWith: ratio,
      usWithout: 5,
      usWith: 6,
      usFloor: 4,
      alertsPerPage: 2,
    },
  ],
  latency: { inRunMs: [100, 200], inRunP95Ms: 200, p95Seconds: 57.2, published: 2 },
  cost: {
    rules: [{ rule: 'r', partitions: 1, bytes: 1, billedBytes: 10 * 2 ** 20 }],
    billedBytesPerRun: 10 * 2 ** 20,
    athenaUsdPerMonth: 0.14,
    lambdaUsdCeiling: 2.88,
    runsPerMonth: 2880,
  },
});

const RESULTS = [
  '## Summary',
  '',
  '| Figure | Measured |',
  '|---|---|',
  '| Hot path | 4 µs |',
  '',
  '## Left to do',
  '',
].join('\n');

describe('spliceDetections', () => {
  it('puts the three rows in the summary and the section before "Left to do", once', () => {
    const once = spliceDetections(RESULTS, results(1.4));
    const twice = spliceDetections(once, results(1.6));
    for (const title of DETECTIONS_ROW_TITLES) expect(twice.split(`| ${title} |`)).toHaveLength(2);
    expect(twice.split(DETECTIONS_SECTION_TITLE)).toHaveLength(2);
    expect(twice).toMatch(/\| Hot path with every one-event rule on \|[^\n]*1\.60x[^\n]*\*\*not met\*\*/);
    expect(twice.indexOf(DETECTIONS_SECTION_TITLE)).toBeLessThan(twice.indexOf('## Left to do'));
    expect(twice).toContain('| Hot path | 4 µs |');
  });
});
