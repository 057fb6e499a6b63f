import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  namedQueriesSection,
  QUERIES_DOC,
  renderNamedQueriesTable,
} from '../../../scripts/named-queries-doc';
import { NAMED_QUERIES } from '../../../shared/sql/named-queries';

describe('the saved queries in docs/local-and-cli.md', () => {
  const section = namedQueriesSection(readFileSync(QUERIES_DOC, 'utf8'));

  it('are the generated list (run "npm run docs:queries" after changing shared/sql/named-queries.ts)', () => {
    expect(section).toBe(renderNamedQueriesTable());
  });

  it('name every query the CLI offers, each once, with the tables it reads', () => {
    const rows = (section ?? '')
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Name') && !line.startsWith('| ---'));
    expect(rows).toHaveLength(NAMED_QUERIES.length);
    for (const query of NAMED_QUERIES) {
      const row = rows.find((line) => line.startsWith(`| ${query.name} |`));
      expect(row, query.name).toBeDefined();
      for (const type of query.eventTypes) expect(row).toContain(`\`${type}\``);
    }
  });

  it('would fail on a list that left one out', () => {
    expect(renderNamedQueriesTable(NAMED_QUERIES.slice(1))).not.toBe(section);
  });
});
