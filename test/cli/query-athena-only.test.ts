import { afterAll, describe, expect, it, vi } from 'vitest';
import { removeTempDirs, runCli, tempDir } from './cli-harness';

vi.mock('../../shared/sql/named-queries', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../shared/sql/named-queries')>();
  return {
    ...actual,
    NAMED_QUERIES: [
      ...actual.NAMED_QUERIES,
      {
        name: 'Athena only: sign-ins per hour',
        description: 'Uses a Trino function DuckDB lacks.',
        kind: 'investigation',
        eventTypes: ['signinattempts'],
        sql: 'SELECT date_trunc(\'hour\', from_iso8601_timestamp("timestamp")) AS hour, count(*) AS n FROM signinattempts GROUP BY 1',
      },
    ],
  };
});

afterAll(() => removeTempDirs());

describe('op-events query --named with a query DuckDB cannot run', () => {
  it('reports which query and why, and does not rewrite it (exit 1)', async () => {
    const result = await runCli(['query', '--named', 'Athena only', '--state-dir', tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'The named query "Athena only: sign-ins per hour" did not run on DuckDB: ',
    );
    expect(result.stderr).toContain('from_iso8601_timestamp');
    expect(result.stderr).toContain('It is kept as written for Athena (it is not rewritten for DuckDB).');
  });
});
