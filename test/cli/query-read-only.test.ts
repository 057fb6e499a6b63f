import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventDatabase } from '../../cli/event-database';
import { RAW_CONTROL } from '../support/hostile-text';
import { fileSnapshot, output, removeTempDirs, runCli, tempDir } from './cli-harness';
import { signInFixture, writeEvents } from './query-fixtures';

let state: string;
let secretOutsideEvents: string;
/** An event file of the fixture: the review's form rewrote one like it. */
let eventFile: string;
/** A folder outside the state folder that a query must not write into. */
let outside: string;
const SECRET_TEXT = 'not-for-query-eyes';
const ESCAPES = '\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u009b1m\u202eevil\r';

beforeAll(() => {
  state = tempDir();
  outside = tempDir();
  const [first, ...rest] = signInFixture(Date.now());
  writeEvents(join(state, 's3'), 'signinattempts', [
    { ...first, client: { app_name: `Chrome${ESCAPES}`, ip_address: '192.0.2.1' } },
    ...rest,
  ]);
  const eventsDir = join(state, 's3', 'events', 'signinattempts');
  const gz = readdirSync(eventsDir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.gz'));
  eventFile = join(eventsDir, gz as string);
  // A file in the state folder but outside the event files, and one beside the state folder.
  secretOutsideEvents = join(state, 'source.json');
  writeFileSync(secretOutsideEvents, SECRET_TEXT);
  mkdirSync(`${join(state, 's3')}-other`);
  writeFileSync(join(`${join(state, 's3')}-other`, 'x.txt'), SECRET_TEXT);
});
afterAll(() => removeTempDirs());

const query = (...args: string[]) => runCli(['query', ...args, '--state-dir', state]);

const fill = (template: string) =>
  template
    .replaceAll('__FILE__', eventFile)
    .replaceAll('__OUT__', outside)
    .replaceAll('__SECRET__', secretOutsideEvents)
    .replaceAll('__S3__', join(state, 's3'));

/** The review's form: one forged line written over an event file, gzip and all. */
const FORGE = `COPY (SELECT '{"uuid":"forged","category":"success"}' AS l) TO '__FILE__' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', COMPRESSION gzip)`;

describe('op-events query cannot change anything, whatever the form of the statement', () => {
  it.each([
    ["the review's EXPLAIN ANALYZE COPY over an event file", `EXPLAIN ANALYZE ${FORGE}`, 'EXPLAIN ANALYZE'],
    [
      'EXPLAIN ANALYZE INSERT',
      "EXPLAIN ANALYZE INSERT INTO signinattempts_raw VALUES ('{}', 'x')",
      'EXPLAIN',
    ],
    ['EXPLAIN ANALYZE DELETE', 'EXPLAIN ANALYZE DELETE FROM signinattempts_raw', 'EXPLAIN'],
    ['EXPLAIN ANALYZE CREATE', 'EXPLAIN ANALYZE CREATE TABLE t AS SELECT 1', 'EXPLAIN'],
    ['EXPLAIN ANALYZE DROP', 'EXPLAIN ANALYZE DROP VIEW signinattempts', 'EXPLAIN'],
    ['EXPLAIN with options', `EXPLAIN (ANALYZE) ${FORGE}`, 'EXPLAIN ANALYZE'],
    ['EXPLAIN ANALYZE after a comment', '/* x */ EXPLAIN ANALYZE SELECT 1', 'EXPLAIN ANALYZE'],
    [
      'EXPLAIN ANALYZE of a SELECT that acts',
      'EXPLAIN ANALYZE SELECT * FROM enable_logging()',
      'enable_logging()',
    ],
    [
      'EXPLAIN ANALYZE of a SELECT, then a write',
      'EXPLAIN ANALYZE SELECT 1; DELETE FROM lookup_users',
      'EXPLAIN',
    ],
    ['EXPLAIN of a SELECT then a write', 'EXPLAIN SELECT 1; DELETE FROM lookup_users', 'EXPLAIN'],
    ['COPY over an event file', FORGE, 'COPY'],
    // A file outside the events folder is refused while DuckDB prepares the statement.
    [
      'COPY to a new file outside',
      "COPY (SELECT 1) TO '__OUT__/new.csv'",
      'access to "__OUT__/new.csv" is refused',
    ],
    ['COPY into a table from a file', "COPY lookup_users FROM '__FILE__'", ''],
    ['a write after a read', `SELECT 1; ${FORGE}`, 'COPY'],
    ['a write after a read', 'SELECT 1; DELETE FROM lookup_users', 'DELETE'],
    ['a write to a view after a read', 'SELECT 1; DELETE FROM signinattempts_raw', 'only SELECT'],
    ['EXPLAIN ANALYZE after a read', 'SELECT 1; EXPLAIN ANALYZE DELETE FROM lookup_users', 'EXPLAIN'],
    ['a write behind a block comment', '/* SELECT 1; */ DELETE FROM lookup_users', 'DELETE'],
    ['a write behind a line comment', '\n-- SELECT 1\nDELETE FROM lookup_users', 'DELETE'],
    ['a write after a semicolon inside a comment', 'SELECT 1 /* ; */; DROP VIEW signinattempts', 'DROP'],
    ['a write after a semicolon inside a string', "SELECT ';'; DROP VIEW signinattempts", 'DROP'],
    [
      'a CTE feeding an INSERT',
      "WITH x AS (SELECT 'x' AS id) INSERT INTO lookup_users (id) SELECT id FROM x",
      'INSERT',
    ],
    ['UPDATE', "UPDATE lookup_users SET name = 'x'", 'UPDATE'],
    ['CREATE TABLE', 'CREATE TABLE t AS SELECT 1', 'CREATE'],
    [
      'CREATE OR REPLACE VIEW over a table',
      'CREATE OR REPLACE VIEW signinattempts AS SELECT 1 AS x',
      'CREATE',
    ],
    ['DROP', 'DROP VIEW signinattempts', 'DROP'],
    ['ALTER', 'ALTER TABLE signinattempts_raw RENAME TO gone', 'ALTER'],
    ['a macro', 'CREATE MACRO twice(x) AS x * 2', 'CREATE'],
    ['a table macro', 'CREATE TEMP MACRO everything() AS TABLE SELECT 1', 'CREATE'],
    [
      'PRAGMA enable_profiling (DuckDB prints profiles to stdout itself)',
      'PRAGMA enable_profiling',
      'PRAGMA',
    ],
    ['PRAGMA with a setting', "PRAGMA profiling_output = '__OUT__/profile.json'", ''],
    ['CALL', 'CALL enable_logging()', 'CALL'],
    ['SET', 'SET threads = 1', 'SET/RESET/USE'],
    ['unlocking the configuration', 'SET enable_external_access = true', 'SET/RESET/USE'],
    ['switching the file system back on', "SET disabled_filesystems = ''", 'SET/RESET/USE'],
    ['RESET', 'RESET threads', 'SET/RESET/USE'],
    ['SET VARIABLE', 'SET VARIABLE v = 1', ''],
    ['INSTALL', 'INSTALL httpfs', 'INSTALL/LOAD'],
    ['LOAD', 'LOAD httpfs', 'INSTALL/LOAD'],
    ['UPDATE EXTENSIONS', 'UPDATE EXTENSIONS', ''],
    ['ATTACH a database file', "ATTACH '__OUT__/x.duckdb' AS other", 'ATTACH'],
    ['ATTACH in memory', "ATTACH ':memory:' AS other", 'ATTACH'],
    ['EXPORT DATABASE', "EXPORT DATABASE '__OUT__/export'", ''],
    ['EXPORT DATABASE into the events folder', "EXPORT DATABASE '__S3__/export'", 'EXPORT DATABASE'],
    ['a transaction', 'BEGIN TRANSACTION', 'BEGIN/COMMIT/ROLLBACK'],
    ['CHECKPOINT', 'CHECKPOINT', ''],
    ['a table function that changes a setting', 'SELECT * FROM enable_logging()', 'enable_logging()'],
    ['profiling switched on from a SELECT', 'FROM enable_profiling()', 'enable_profiling()'],
    [
      'that function in a subquery',
      'SELECT (SELECT count(*) FROM enable_logging()) AS n',
      'enable_logging()',
    ],
    [
      'that function in a CTE',
      'WITH x AS (FROM disable_peg_parser()) SELECT * FROM x',
      'disable_peg_parser()',
    ],
    ['SQL text run by query()', "SELECT * FROM query('SELECT * FROM enable_logging()')", 'query()'],
    ['SQL text run by query_table()', "FROM query_table('signinattempts')", 'query_table()'],
    ['checkpoint()', 'FROM checkpoint()', 'checkpoint()'],
  ])('refuses %s: nothing runs and no file changes', async (_, template, kind) => {
    const before = fileSnapshot(state);
    const result = await query(fill(template));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('op-events query: op-events query is read-only');
    if (kind) expect(result.stderr).toContain(fill(kind));
    expect(result.stdout).toBe('');
    expect(fileSnapshot(state)).toEqual(before);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('still answers queries of every reading form', async () => {
    for (const sql of [
      'SELECT count(*) AS n FROM signinattempts',
      'FROM signinattempts SELECT count(*) AS n',
      'WITH s AS (SELECT * FROM signinattempts_raw) SELECT count(*) AS n FROM s',
      'SELECT 1 AS a; SELECT count(*) AS n FROM signinattempts -- a comment',
      'SELECT count(*) AS n FROM range(6)',
      "SELECT count(*) AS n FROM (SELECT unnest([1, 2, 3, 4, 5, 6])) JOIN duckdb_tables() ON table_name = 'lookup_users' OR true GROUP BY ALL HAVING n > 0 LIMIT 1",
    ]) {
      const result = await query(sql, '--json');
      expect(result.stderr).not.toContain('read-only');
      expect(JSON.parse(result.stdout.trim().split('\n')[0] ?? '')).toMatchObject({ n: expect.anything() });
    }
    for (const sql of ['DESCRIBE signinattempts', 'SHOW TABLES', 'SUMMARIZE signinattempts_raw']) {
      expect((await query(sql)).code).toBe(0);
    }
  });

  it('DuckDB itself opens no file outside the events folder, even for statements the check would refuse', async () => {
    const before = fileSnapshot(state);
    const db = await openEventDatabase(join(state, 's3'));
    try {
      for (const sql of [
        "COPY (SELECT 1) TO '__OUT__/x.csv'",
        "EXPLAIN ANALYZE COPY (SELECT 1) TO '__OUT__/x.csv'",
        "COPY (SELECT 1) TO '__SECRET__'",
        "ATTACH '__OUT__/x.duckdb' AS other",
        "EXPORT DATABASE '__OUT__/export'",
        "SELECT * FROM read_text('__SECRET__')",
      ]) {
        await expect(db.connection.run(fill(sql))).rejects.toThrow(/Permission Error/);
      }
      for (const sql of [
        'SET enable_external_access = true',
        "SET allowed_directories = ['/']",
        'SET lock_configuration = false',
      ]) {
        await expect(db.connection.run(sql)).rejects.toThrow(/configuration has been locked/);
      }
    } finally {
      db.close();
    }
    expect(fileSnapshot(state)).toEqual(before);
    expect(readdirSync(outside)).toEqual([]);
  });

  it.each([
    ['read_text of /etc/passwd', "SELECT content FROM read_text('/etc/passwd')", '/etc/passwd'],
    ['read_csv of /etc/passwd', "SELECT * FROM read_csv('/etc/passwd', sep = ':')", '/etc/passwd'],
    ['a state file outside the events folder', "SELECT content FROM read_text('__SECRET__')", '__SECRET__'],
    [
      'a folder whose name extends the events folder',
      "SELECT content FROM read_text('__S3__-other/x.txt')",
      '__S3__-other/x.txt',
    ],
    [
      'a path that climbs out of the events folder',
      "SELECT content FROM read_text('__S3__/../source.json')",
      '__S3__/../source.json',
    ],
    ['a glob of another folder', "SELECT * FROM glob('/etc/*')", '/etc/*'],
    ['a file named as a table', "SELECT * FROM '__SECRET__'", '__SECRET__'],
  ])(
    'reads no file outside the events folder (%s), naming the path and what it may read',
    async (_, template, path) => {
      const result = await query(fill(template), '--json');
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `op-events query is read-only and reads only the event files under ${join(state, 's3')}: access to "${fill(path)}" is refused`,
      );
      expect(output(result)).not.toContain('root:');
      expect(output(result)).not.toContain(SECRET_TEXT);
    },
  );

  it('reads the event files by path and explains a SELECT, analyzed or not', async () => {
    const files = await query(
      `SELECT count(*) AS n FROM read_text('${join(state, 's3')}/**/*.gz')`,
      '--json',
    );
    expect(files.code).toBe(0);
    // One file per event date in the fixture.
    expect(JSON.parse(files.stdout)).toEqual({ n: '3' });
    for (const explain of ['EXPLAIN', 'EXPLAIN ANALYZE', '  explain\n  analyze ']) {
      const plan = await query(`${explain} SELECT count(*) FROM signinattempts WHERE dt >= '2999-01-01'`);
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('UNGROUPED_AGGREGATE');
    }
  });

  it('reaches no network', async () => {
    const result = await query("SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')", '--json');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('installs and loads no extension on demand, and its configuration is locked', async () => {
    const settings = await query(
      "SELECT current_setting('autoinstall_known_extensions') AS install, current_setting('autoload_known_extensions') AS autoload, current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked",
      '--json',
    );
    expect(JSON.parse(settings.stdout)).toEqual({
      install: false,
      autoload: false,
      external: false,
      locked: true,
    });
  });

  it('--allow-write is for Athena only', async () => {
    const result = await query('SELECT 1', '--allow-write');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--allow-write is for --stack (Athena)');
  });
});

describe('op-events query output', () => {
  const sql = "SELECT client.app_name AS app FROM signinattempts WHERE uuid = 'S1'";

  it('shows control and escape characters in the table as visible escapes', async () => {
    const result = await query(sql);
    expect(result.code).toBe(0);
    // Nothing a terminal would act on: no C0/C1 controls, no bidi overrides.
    for (const line of result.stdout.split('\n')) {
      expect(line).not.toMatch(RAW_CONTROL);
    }
    // (The cell is cut at 60 characters.)
    expect(result.stdout).toContain('Chrome\\u001b]0;owned\\u0007\\u001b[2J\\u001b[31mred\\u009b1m');
  });

  it('does so in column names too', async () => {
    const result = await query(`SELECT 1 AS "a${'\u001b'}[2Jb"`);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u001b');
    expect(result.stdout).toMatch(/^a\\u001b\[2Jb\n/);
  });

  it("shows DuckDB's error text, which quotes event fields, with the same escapes", async () => {
    const result = await query(
      "SELECT CAST(client.app_name AS INTEGER) FROM signinattempts WHERE uuid = 'S1'",
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Chrome\\u001b]0;owned\\u0007');
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  it('keeps --json exact: the same value, with no raw control, C1 or bidi character', async () => {
    const result = await query(sql, '--json');
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(result.stdout)).toEqual({ app: `Chrome${ESCAPES}` });
  });
});
