import { describe, expect, it } from 'vitest';
import { REPORT_ROW_TITLE, REPORT_SECTION_TITLE, withReportTiming } from '../../bench/report-timing';

/** npm run bench:report writes its row and section into RESULTS.md and leaves the rest as it was. */

const RESULTS = [
  '# Benchmarks',
  '',
  '## Summary',
  '',
  '| Figure | Measured |',
  '|---|---|',
  '| Hot path | 4 µs |',
  '| Athena bytes | 15.9 MiB |',
  '',
  '## 8. Athena bytes',
  '',
  'text',
  '',
  '## Left to do (found by these measurements)',
  '',
  '- more',
].join('\n');

const section = (text: string) => `${REPORT_SECTION_TITLE}\n\n${text}`;

describe('withReportTiming', () => {
  it('adds the row at the end of the summary table and the section before "Left to do"', () => {
    const updated = withReportTiming(RESULTS, [REPORT_ROW_TITLE, '6.1 s'], section('first'));
    expect(updated).toContain(`| Athena bytes | 15.9 MiB |\n| ${REPORT_ROW_TITLE} | 6.1 s |\n\n## 8.`);
    expect(updated).toContain(`text\n\n${REPORT_SECTION_TITLE}\n\nfirst\n\n## Left to do`);
  });

  it('replaces them on the next run, changing nothing else', () => {
    const once = withReportTiming(RESULTS, [REPORT_ROW_TITLE, '6.1 s'], section('first'));
    const twice = withReportTiming(once, [REPORT_ROW_TITLE, '5.0 s'], section('second'));
    expect(twice).toBe(withReportTiming(RESULTS, [REPORT_ROW_TITLE, '5.0 s'], section('second')));
    expect(twice.split(REPORT_ROW_TITLE)).toHaveLength(2);
    expect(twice).not.toContain('first');
    expect(twice.replace(/\| op-events report[^\n]*\n/, '').replace(/## 9\.[\s\S]*?(?=## Left)/, '')).toBe(
      RESULTS,
    );
  });
});
