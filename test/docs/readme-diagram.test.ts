import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrowsByTitle, mermaidBlocks, parseFlowchart } from '../support/mermaid';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

/** The README's section "How a run works", where the architecture diagram stands. */
function howARunWorks(): string {
  const start = README.indexOf('## How a run works');
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end);
}

describe("the README's architecture diagram", () => {
  it('is a Mermaid flowchart that Mermaid reads, with the path an event takes and the alert path', async () => {
    const [diagram] = mermaidBlocks(howARunWorks());
    expect(diagram).toBeDefined();
    const chart = await parseFlowchart(diagram as string);
    expect(chart.type).toBe('flowchart-v2');
    expect(arrowsByTitle(chart)).toEqual(
      expect.arrayContaining([
        // An event's way from the API to a query.
        'EventBridge Scheduler -> Collector Lambda',
        '1Password Events API v2 -> Collector Lambda',
        'Secrets Manager -> Collector Lambda',
        'Collector Lambda -> DynamoDB',
        'DynamoDB -> Collector Lambda',
        'Collector Lambda -> Data Firehose',
        'Data Firehose -> S3 events bucket',
        'S3 events bucket -> Glue Data Catalog',
        'Glue Data Catalog -> Athena',
        // The collector's health.
        'Collector Lambda -> CloudWatch',
        'CloudWatch -> SNS alarm topic',
        // Detections: one-event rules in the collector, window rules on a schedule over Athena.
        'Collector Lambda -> Amazon EventBridge',
        'Athena -> Scheduled window rules',
        'Scheduled window rules -> Amazon EventBridge',
        'Amazon EventBridge -> SNS alert notification',
        'Amazon EventBridge -> Your own EventBridge rules',
        'Amazon EventBridge -> AWS Security Hub',
      ]),
    );
  });

  it('is the only drawing of the flow: the section has no other fenced block (the ASCII one it replaced)', () => {
    const section = howARunWorks();
    expect(mermaidBlocks(section)).toHaveLength(1);
    expect(section.match(/^```/gm)).toHaveLength(2);
  });
});

describe('the Mermaid check', () => {
  it('refuses a diagram Mermaid cannot read with its parse error', async () => {
    await expect(parseFlowchart('flowchart TB\n  a["open label --> b\n')).rejects.toThrow(
      /Parse error on line \d+/,
    );
  });

  it('finds every mermaid block of a page and nothing else', () => {
    const page =
      '# t\n\n```mermaid\nflowchart LR\n  a --> b\n```\n\n```sh\nls\n```\n\n```mermaid\npie\n```\n';
    expect(mermaidBlocks(page)).toEqual(['flowchart LR\n  a --> b\n', 'pie\n']);
  });
});
