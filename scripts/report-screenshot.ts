/**
 * `npm run docs:screenshot`: docs/images/report.png, the top of the report over the demo data, made
 * the way the browser test makes its screenshot (test/support/report-browser.ts): `op-events start`
 * and `op-events report` in a fresh state folder, the page opened from file:// in Debian's Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SECTION_IDS } from '../cli/report/report-html';
import { visitReport, writeDemoReport } from '../test/support/report-browser';

const IMAGE = fileURLToPath(new URL('../docs/images/report.png', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'op-events-docs-screenshot-'));
try {
  // The demo data spans the last five days: a week shows them without an empty month beside them.
  const page = await writeDemoReport(dir, ['--since', '7d']);
  const visit = await visitReport(page, SECTION_IDS, {
    screenshot: IMAGE,
    fullPage: false,
    width: 1300,
    height: 1000,
  });
  const problems = [
    ...visit.consoleErrors,
    ...visit.pageErrors,
    ...visit.failedRequests,
    ...visit.blockedRequests,
  ];
  if (problems.length > 0) throw new Error(`the page did not render cleanly: ${problems.join('; ')}`);
  process.stdout.write(`Wrote ${IMAGE}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
