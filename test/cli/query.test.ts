import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS } from '../../shared/contracts/table-schema';
import { NAMED_QUERIES } from '../../shared/sql/named-queries';
import { removeTempDirs, runCli, tempDir } from './cli-harness';
import { signInFixture, writeEvents } from './query-fixtures';

let state: string;
const now = Date.now();

beforeAll(() => {
  state = tempDir();
  const events = signInFixture(now);
  writeEvents(join(state, 's3'), 'signinattempts', events, 'run-1');
  // A repeated page after a crash: S1 and S2 delivered twice.
  writeEvents(join(state, 's3'), 'signinattempts', events.slice(0, 2), 'run-2');
  writeEvents(join(state, 's3'), 'itemusages', [
    {
      uuid: 'I1',
      timestamp: new Date(now - 3_600_000).toISOString(),
      action: 'reveal',
      vault_uuid: 'V1',
      item_uuid: 'IT1',
      user: { email: 'ann@example.com', uuid: 'U-ann' },
    },
  ]);
});
afterAll(() => removeTempDirs());

const query = (...args: string[]) => runCli(['query', ...args, '--state-dir', state]);

describe('op-events query', () => {
  it('lists the stack named queries', async () => {
    const result = await runCli(['query', '--list']);
    expect(result.code).toBe(0);
    for (const named of NAMED_QUERIES) expect(result.stdout).toContain(named.name);
  });

  it('exposes the Athena tables with the Glue columns and dt from the folders', async () => {
    const result = await query(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'signinattempts'",
      '--json',
    );
    const columns = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { column_name: string; data_type: string });
    expect(columns.map((c) => c.column_name)).toEqual([
      ...EVENT_COLUMNS.signinattempts.map((f) => f.name),
      'dt',
    ]);
    expect(columns.at(-1)?.data_type).toBe('VARCHAR');
    const auditevents = await query('SELECT count(*) AS n FROM auditevents', '--json');
    expect(auditevents.stdout.trim()).toBe('{"n":"0"}');
  });

  it('answers plain SQL as a table, and the *_unique views drop repeated deliveries', async () => {
    const table = await query(
      'SELECT dt, count(*) AS lines, count(DISTINCT uuid) AS events FROM signinattempts GROUP BY dt ORDER BY dt',
    );
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^dt\s+lines\s+events\n/);
    expect(table.stdout).toContain('(3 rows)');
    const unique = await query('SELECT count(*) AS n FROM signinattempts_unique', '--json');
    const all = await query('SELECT count(*) AS n FROM signinattempts', '--json');
    expect([JSON.parse(all.stdout).n, JSON.parse(unique.stdout).n]).toEqual(['8', '6']);
  });

  it('draws an EXPLAIN plan whole: a dt filter on a view reaches the scan and opens only its day', async () => {
    const day = new Date(now - 86_400_000).toISOString().slice(0, 10);
    const view = await query(`EXPLAIN SELECT count(*) FROM signinattempts_ecs WHERE dt >= '${day}'`);
    expect(view.code).toBe(0);
    expect(view.stdout).toContain('READ_CSV');
    expect(view.stdout).toMatch(new RegExp(`File Filters:[^']*\\(dt BETWEEN '${day}'`));
    // One of the five sign-in objects (three days, two runs) holds that day's events.
    expect(view.stdout).toMatch(/Scanning Files: 1\/1\b/);
    const table = await query(`EXPLAIN SELECT count(*) FROM signinattempts_raw WHERE dt >= '${day}'`);
    expect(table.stdout).toMatch(/Scanning Files: 1\/5\b/);
  });

  it('runs a SOC named query by a unique part of its name, as Athena would', async () => {
    const result = await query('--named', 'failed sign-ins', '--json');
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((r) => [r.user_email, r.sign_in_country, r.category, r.attempts])).toEqual([
      ['ann@example.com', 'NL', 'credentials_failed', '2'],
      ['ann@example.com', 'BR', 'credentials_failed', '1'],
      ['bob@example.com', 'US', 'mfa_failed', '1'],
    ]);
  });

  it('runs every named query of the stack on DuckDB', async () => {
    for (const named of NAMED_QUERIES) {
      const result = await query('--named', named.name);
      expect(result.code, `${named.name}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(`-- ${named.name}`);
    }
  });

  it('refuses an ambiguous or unknown name, bad SQL, and SQL with --named (exit 2)', async () => {
    const ambiguous = await query('--named', 'sign-ins');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('--named "sign-ins" matches 2 queries');
    const unknown = await query('--named', 'lateral movement');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Run "op-events query --list"');
    const bad = await query('SELEC 1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('DuckDB could not run the query: ');
    const both = await query('SELECT 1', '--named', 'failed');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give either SQL or --named NAME, not both.');
    const none = await query();
    expect(none.code).toBe(2);
  });

  it('on a folder without events says so and answers from empty tables', async () => {
    const result = await runCli([
      'query',
      'SELECT count(*) AS n FROM itemusages_unique',
      '--state-dir',
      join(tempDir(), 'none'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('No event files in');
    expect(result.stdout).toMatch(/n\n-+\n0\n\(1 row\)/);
  });
});

describe('op-events query output, pinned as it is printed', () => {
  const SQL = 'SELECT uuid, category, location.country AS country FROM signinattempts_unique ORDER BY uuid';

  it('rows as a table (cut at --max-rows) and as --json lines (all of them)', async () => {
    const table = await query(SQL, '--max-rows', '4');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatchInlineSnapshot(`
      "uuid  category            country
      ----  ------------------  -------
      S1    credentials_failed  NL
      S2    credentials_failed  NL
      S3    credentials_failed  BR
      S4    success             NL
      (6 rows) (showing 4; --max-rows to see more, --json for all)
      "
    `);
    const json = await query(SQL, '--max-rows', '4', '--json');
    expect(json.code).toBe(0);
    expect(json.stdout).toMatchInlineSnapshot(`
      "{"uuid":"S1","category":"credentials_failed","country":"NL"}
      {"uuid":"S2","category":"credentials_failed","country":"NL"}
      {"uuid":"S3","category":"credentials_failed","country":"BR"}
      {"uuid":"S4","category":"success","country":"NL"}
      {"uuid":"S5","category":"mfa_failed","country":"US"}
      {"uuid":"S6","category":"success","country":"US"}
      "
    `);
  });
});
