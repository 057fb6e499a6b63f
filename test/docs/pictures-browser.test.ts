import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLOT_FILES } from '../../bench/report-format';
import { mermaidBlocks } from '../support/mermaid';
import { CHROMIUM, CHROMIUM_FLAGS } from '../support/report-browser';

/**
 * The pictures of the docs as a reader's browser shows them, in Debian's Chromium (headless, offline,
 * test/support/report-browser.ts): each Mermaid block of the README drawn by Mermaid's own browser
 * bundle, as GitHub draws it, and each bench plot of bench/RESULTS.md opened as an image. Screenshots
 * go to test-output/pictures/.
 */

const REPO = resolve(import.meta.dirname, '../..');
const OUTPUT = join(REPO, 'test-output', 'pictures');
const MERMAID_BUNDLE = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

let context: BrowserContext;
let profile: string;
beforeAll(async () => {
  profile = mkdtempSync(join(tmpdir(), 'pictures-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 900, height: 900 },
    offline: true,
  });
  mkdirSync(OUTPUT, { recursive: true });
});
afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
});

async function openPage() {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

describe("the README's Mermaid diagrams in Chromium", () => {
  const blocks = mermaidBlocks(readFileSync(join(REPO, 'README.md'), 'utf8'));

  it.each(blocks.map((text, index) => [index + 1, text] as const))(
    'diagram %i: Mermaid draws every node and arrow, without an error',
    async (index, text) => {
      const { page, errors } = await openPage();
      await page.setContent('<!doctype html><html><body style="margin:0;background:#fff"></body></html>');
      await page.addScriptTag({ path: MERMAID_BUNDLE });
      const svg = await page.evaluate(async (source) => {
        const mermaid = (globalThis as unknown as { mermaid: MermaidApi }).mermaid;
        mermaid.initialize({ startOnLoad: false });
        return (await mermaid.render('diagram', source)).svg;
      }, text);
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`,
      );
      const drawn = {
        nodes: await page.locator('g.node').count(),
        arrows: await page.locator('path.flowchart-link').count(),
        errorText: (await page.locator('body').innerText()).includes('Syntax error'),
      };
      const nodes = [...text.matchAll(/^\s+\w+(\[|\(\[|\[\()/gm)].length;
      const arrows = [...text.matchAll(/^\s+\w+ (-->|<-->|-\.->)/gm)].length;
      expect(drawn).toEqual({ nodes, arrows, errorText: false });
      expect(errors).toEqual([]);
      await page
        .locator('svg')
        .first()
        .screenshot({ path: join(OUTPUT, `readme-diagram-${index}.png`) });
      await page.close();
    },
  );
});

interface MermaidApi {
  initialize(config: { startOnLoad: boolean }): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

/** What the test reads of an <img> (the DOM's own types are not in this project's lib). */
interface LoadedImage {
  decode(): Promise<void>;
  readonly naturalWidth: number;
  readonly naturalHeight: number;
}

describe('the bench plots in Chromium', () => {
  it.each(Object.values(PLOT_FILES))('%s shows as an image of its full size', async (file) => {
    const { page, errors } = await openPage();
    const svg = readFileSync(join(REPO, 'bench', 'plots', file), 'utf8');
    // As RESULTS.md shows it: an <img> of the file, which runs no script and loads nothing else.
    await page.setContent(
      `<img id="plot" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`,
    );
    const size = await page
      .locator('#plot')
      .evaluate((image: LoadedImage) =>
        image.decode().then(() => ({ width: image.naturalWidth, height: image.naturalHeight })),
      );
    const declared = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
    expect(size).toEqual({ width: Number(declared?.[1]), height: Number(declared?.[2]) });
    expect(errors).toEqual([]);
    await page.locator('#plot').screenshot({ path: join(OUTPUT, file.replace('.svg', '.png')) });
    await page.close();
  });
});
