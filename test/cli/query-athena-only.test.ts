import { afterAll, describe, expect, it, vi } from 'vitest';
import { removeTempDirs, runCli, tempDir } from './cli-harness';

vi.mock('../../shared/sql/named-queries', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../shared/sql/named-queries')>();
  return {
    ...actual,
    NAMED_QUERIES: [
      ...actual.NAMED_QUERIES,
      {
        name: 'Broken on DuckDB: sign-ins per hour',
        description: 'Its DuckDB text calls a Trino function DuckDB lacks.',
        eventTypes: ['signinattempts'],
        sql: {
          athena: 'SELECT 1',
          duckdb:
            'SELECT date_trunc(\'hour\', from_iso8601_timestamp("timestamp")) AS hour, count(*) AS n FROM signinattempts GROUP BY 1',
        },
      },
    ],
  };
});

afterAll(() => removeTempDirs());

describe('op-events query --named with a query DuckDB cannot run', () => {
  it('reports which query and why (exit 1)', async () => {
    const result = await runCli(['query', '--named', 'Broken on DuckDB', '--state-dir', tempDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'The named query "Broken on DuckDB: sign-ins per hour" did not run on DuckDB: ',
    );
    expect(result.stderr).toContain('from_iso8601_timestamp');
  });
});
