import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runBin } from '../cli/cli-harness';

/**
 * Opens an `op-events report` page in Debian's Chromium, headless, driven by playwright-core (the
 * driver alone: it downloads no browser). The browser test (test/cli/report-browser.test.ts) and
 * `npm run docs:screenshot` (scripts/report-screenshot.ts) both look at the page through here.
 *
 * The page is loaded from file://; any other request (http, https, ws, anything not file:, data: or
 * about:) is aborted and recorded, and so is every console error, page error and failed request.
 */
export const CHROMIUM = '/usr/bin/chromium';

/** The flags the browser runs with: headless, no sandbox (CI runs as root), nothing phoning home. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PageVisit {
  /** Requests other than the page's own file, each aborted. */
  readonly blockedRequests: readonly string[];
  readonly failedRequests: readonly string[];
  readonly consoleErrors: readonly string[];
  readonly pageErrors: readonly string[];
  /** Per id asked for: whether the element exists and is visible, with what it holds. */
  readonly sections: Readonly<
    Record<string, { visible: boolean; charts: number; visibleCharts: number; tables: number; text: string }>
  >;
  /** The page's visible text. */
  readonly text: string;
}

const ALLOWED = /^(file|data|about):/;

/**
 * Loads `file` and reports what the browser saw of the sections with the given ids; with
 * `screenshot`, saves a full-page PNG there.
 */
export async function visitReport(
  file: string,
  sectionIds: readonly string[],
  options: { screenshot?: string; fullPage?: boolean; width?: number; height?: number } = {},
): Promise<PageVisit> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium).`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'op-events-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: options.width ?? 1100, height: options.height ?? 900 },
    offline: true,
  });
  const blockedRequests: string[] = [];
  const failedRequests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  try {
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (ALLOWED.test(url)) return route.continue();
      blockedRequests.push(url);
      return route.abort('blockedbyclient');
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('requestfailed', (request) =>
      failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`),
    );
    page.on('request', (request) => {
      if (!ALLOWED.test(request.url())) blockedRequests.push(request.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const sections: Record<string, PageVisit['sections'][string]> = {};
    for (const id of sectionIds) {
      const section = page.locator(`[id="${id}"]`);
      const exists = (await section.count()) === 1;
      const charts = exists ? section.locator('svg') : undefined;
      let visibleCharts = 0;
      for (const chart of (await charts?.all()) ?? []) if (await chart.isVisible()) visibleCharts += 1;
      sections[id] = {
        visible: exists && (await section.isVisible()),
        charts: (await charts?.count()) ?? 0,
        visibleCharts,
        tables: exists ? await section.locator('table').count() : 0,
        text: exists ? await section.innerText() : '',
      };
    }
    const text = await page.locator('body').innerText();
    if (options.screenshot) {
      mkdirSync(dirname(options.screenshot), { recursive: true });
      await page.screenshot({ path: options.screenshot, fullPage: options.fullPage ?? true });
    }
    return { blockedRequests, failedRequests, consoleErrors, pageErrors, sections, text };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * The README's first command and the report after it: `op-events start` (demo data, which acts out
 * every detection rule) into a fresh state folder under `dir`, `op-events detections run`, then
 * `op-events report --out <dir>/report.html`; returns the page's path.
 */
export async function writeDemoReport(dir: string, reportArgs: readonly string[] = []): Promise<string> {
  const env = { OP_EVENTS_STATE_DIR: join(dir, 'state') };
  const start = await runBin(['start'], { env });
  if (start.code !== 0) throw new Error(`op-events start failed (${start.code}): ${start.stderr}`);
  const detections = await runBin(['detections', 'run'], { env });
  if (detections.code !== 0) {
    throw new Error(`op-events detections run failed (${detections.code}): ${detections.stderr}`);
  }
  const file = join(dir, 'report.html');
  const report = await runBin(['report', '--out', file, ...reportArgs], { env });
  if (report.code !== 0) throw new Error(`op-events report failed (${report.code}): ${report.stderr}`);
  return file;
}
