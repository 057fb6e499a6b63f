import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_EVENTS_ID, SECTION_IDS } from '../../cli/report/report-html';
import { visitReport, writeDemoReport } from '../support/report-browser';
import { REPO, runBin } from './cli-harness';

/**
 * The report page in a real browser: Debian's Chromium, headless (test/support/report-browser.ts),
 * loaded from file:// with every other request blocked. The demo data's page shows every section
 * with its charts and tables and no console error; an empty store's page says there is nothing.
 * Screenshots go to test-output/report/.
 */

const OUTPUT = join(REPO, 'test-output', 'report');
const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'op-events-report-browser-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Sections that hold a chart whenever the period has events and detections (the health is a table). */
const CHARTED = SECTION_IDS.filter((id) => id !== 'collector-health');

describe('op-events report in Chromium', () => {
  it('after npm start and detections run (demo data): every section visible, charts drawn, no console error, nothing fetched', async () => {
    const page = await writeDemoReport(fresh());
    const screenshot = join(OUTPUT, 'report-demo.png');
    const visit = await visitReport(page, SECTION_IDS, { screenshot });
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
    expect(visit.failedRequests).toEqual([]);
    expect(visit.blockedRequests).toEqual([]);
    for (const id of SECTION_IDS) {
      expect({ id, visible: visit.sections[id]?.visible }).toEqual({ id, visible: true });
      expect(visit.sections[id]?.text.length).toBeGreaterThan(20);
    }
    for (const id of CHARTED) {
      const section = visit.sections[id];
      expect({ id, charts: section?.visibleCharts }).toEqual({ id, charts: section?.charts });
      expect(section?.visibleCharts).toBeGreaterThan(0);
      // Every chart has its numbers as a table.
      expect(section?.tables).toBeGreaterThanOrEqual(section?.charts ?? 1);
    }
    expect(visit.sections.detections?.text).toMatch(/vault-export\s+\S.*\s+HIGH\s+\d+/);
    expect(visit.sections['collector-health']?.text).toMatch(/signinattempts\s+\d{4}-\d{2}-\d{2}/);
    expect(visit.text).not.toContain('No events in this period');
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
  });

  it('on an empty store: a clear "no events in this period" page, no chart', async () => {
    const dir = fresh();
    const file = join(dir, 'empty.html');
    const made = await runBin(['report', '--out', file], {
      env: { OP_EVENTS_STATE_DIR: join(dir, 'state') },
    });
    expect(made.code).toBe(0);
    const visit = await visitReport(
      file,
      [NO_EVENTS_ID, 'detections', 'collector-health', 'events-per-day'],
      {
        screenshot: join(OUTPUT, 'report-empty.png'),
      },
    );
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
    expect(visit.failedRequests).toEqual([]);
    expect(visit.blockedRequests).toEqual([]);
    expect(visit.sections[NO_EVENTS_ID]?.visible).toBe(true);
    expect(visit.sections[NO_EVENTS_ID]?.text).toContain('No events in this period');
    expect(visit.sections[NO_EVENTS_ID]?.charts).toBe(0);
    expect(visit.sections['events-per-day']?.visible).toBe(false);
    expect(visit.sections.detections?.visible).toBe(true);
    expect(visit.sections['collector-health']?.text).toContain('has not run there');
  });
});

describe('the browser harness', () => {
  it('blocks and reports a request to anywhere but the page file, and reports console errors', async () => {
    const file = join(fresh(), 'fetches.html');
    writeFileSync(
      file,
      '<!DOCTYPE html><html><body><section id="s">x<img src="http://192.0.2.1/pixel.png"></section>' +
        '<script>console.error("boom")</script></body></html>',
    );
    const visit = await visitReport(file, ['s', 'missing']);
    expect(visit.blockedRequests).toContain('http://192.0.2.1/pixel.png');
    expect(visit.consoleErrors).toContain('boom');
    expect(visit.sections.s?.visible).toBe(true);
    expect(visit.sections.missing?.visible).toBe(false);
    expect(existsSync(file)).toBe(true);
  });
});
