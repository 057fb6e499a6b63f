import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NAMED_QUERIES } from '../shared/sql/named-queries';
import type { NamedQuery } from '../shared/sql/query-definition';
import { findSection, replaceSection } from './generated-section';
import { cell, row } from './markdown-table';

/** docs/local-and-cli.md lists the saved queries in a table generated from shared/sql/named-queries.ts. */
export const QUERIES_DOC = fileURLToPath(new URL('../docs/local-and-cli.md', import.meta.url));
const MARKERS = {
  begin: '<!-- BEGIN GENERATED from shared/sql/named-queries.ts by `npm run docs:queries` -->',
  end: '<!-- END GENERATED named queries -->',
};

function queryRow(query: NamedQuery): string {
  const reads = query.eventTypes.map((type) => `\`${type}\``).join(', ');
  return row(cell(query.name), reads, cell(query.description));
}

/** The generated table of every saved query, markers included. */
export function renderNamedQueriesTable(queries: readonly NamedQuery[] = NAMED_QUERIES): string {
  return [
    MARKERS.begin,
    `The ${queries.length} saved queries (\`--named\` takes the full name or a unique part of it):`,
    '',
    '| Name | Reads | What it shows |',
    '| --- | --- | --- |',
    ...queries.map(queryRow),
    MARKERS.end,
  ].join('\n');
}

/** The generated part of the page's text, markers included (undefined when the markers are missing). */
export function namedQueriesSection(text: string): string | undefined {
  return findSection(text, MARKERS);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = readFileSync(QUERIES_DOC, 'utf8');
  writeFileSync(QUERIES_DOC, replaceSection(text, MARKERS, renderNamedQueriesTable(), QUERIES_DOC));
  console.log(`Updated ${QUERIES_DOC} (${NAMED_QUERIES.length} named queries).`);
}
