import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AWS_LIMITS, type AwsLimit } from './aws-limits-table';
import { findSection, replaceSection } from './generated-section';
import { cell, row } from './markdown-table';

/** docs/aws-limits.md: hand-written text around a table generated from scripts/aws-limits-table.ts. */
export const LIMITS_DOC = fileURLToPath(new URL('../docs/aws-limits.md', import.meta.url));
export const BEGIN_MARKER =
  '<!-- BEGIN GENERATED from scripts/aws-limits-table.ts by `npm run docs:limits` -->';
export const END_MARKER = '<!-- END GENERATED -->';

function limitRow(limit: AwsLimit): string {
  const source = `[${limit.source.title}](${limit.source.url}): “${limit.source.says}”`;
  return row(
    ...[limit.service, limit.limit, limit.value, source, limit.standIn, limit.code, limit.test].map(cell),
  );
}

/** The generated table, markers included. */
export function renderLimitsTable(limits: readonly AwsLimit[] = AWS_LIMITS): string {
  return [
    BEGIN_MARKER,
    '| Service | Limit | Value | Source | Stand-in | Code | Test |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...limits.map(limitRow),
    END_MARKER,
  ].join('\n');
}

const MARKERS = { begin: BEGIN_MARKER, end: END_MARKER };

/** The generated part of a docs page's text, markers included (undefined when the markers are missing). */
export function generatedSection(text: string): string | undefined {
  return findSection(text, MARKERS);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = readFileSync(LIMITS_DOC, 'utf8');
  writeFileSync(LIMITS_DOC, replaceSection(text, MARKERS, renderLimitsTable(), LIMITS_DOC));
  console.log(`Updated ${LIMITS_DOC} (${AWS_LIMITS.length} limits).`);
}
