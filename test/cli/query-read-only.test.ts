import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventDatabase } from '../../cli/event-database';
import { RAW_CONTROL } from '../support/hostile-text';
import { output, removeTempDirs, runCli, tempDir } from './cli-harness';
import { signInFixture, writeEvents } from './query-fixtures';

let state: string;
let secretOutsideEvents: string;
const SECRET_TEXT = 'not-for-query-eyes';
const ESCAPES = '\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u009b1m\u202eevil\r';

beforeAll(() => {
  state = tempDir();
  const [first, ...rest] = signInFixture(Date.now());
  writeEvents(join(state, 's3'), 'signinattempts', [
    { ...first, client: { app_name: `Chrome${ESCAPES}`, ip_address: '192.0.2.1' } },
    ...rest,
  ]);
  // A file in the state folder but outside the event files, and one beside the state folder.
  secretOutsideEvents = join(state, 'source.json');
  writeFileSync(secretOutsideEvents, SECRET_TEXT);
  mkdirSync(`${join(state, 's3')}-other`);
  writeFileSync(join(`${join(state, 's3')}-other`, 'x.txt'), SECRET_TEXT);
});
afterAll(() => removeTempDirs());

const query = (...args: string[]) => runCli(['query', ...args, '--state-dir', state]);

describe('op-events query is read-only', () => {
  const kindRefused = (kind: string) => `op-events query is read-only: ${kind} statements are refused.`;
  // A write outside the events folder is refused while DuckDB binds it, before its kind is known.
  const fileRefused = (path: string) => `: access to "${path}`;
  const outside = (name: string) => join(tempDir(), name);
  const outsideCsv = outside('out.csv');
  const outsideDb = outside('x.duckdb');
  const outsideExport = outside('export');
  const lateCsv = outside('late.csv');

  it.each([
    [
      'COPY to a file outside the state folder',
      `COPY (SELECT 1) TO '${outsideCsv}'`,
      fileRefused(outsideCsv),
    ],
    ['COPY into the events folder', "COPY (SELECT 1) TO '__S3__/copied.csv'", kindRefused('COPY')],
    ['ATTACH a database file', `ATTACH '${outsideDb}' AS other`, kindRefused('ATTACH')],
    ['ATTACH in memory', "ATTACH ':memory:' AS other", kindRefused('ATTACH')],
    ['INSTALL an extension', 'INSTALL httpfs', kindRefused('INSTALL/LOAD')],
    ['LOAD an extension', 'LOAD httpfs', kindRefused('INSTALL/LOAD')],
    ['unlocking the configuration', 'SET enable_external_access = true', kindRefused('SET/RESET/USE')],
    ['EXPORT DATABASE', `EXPORT DATABASE '${outsideExport}'`, fileRefused(outsideExport)],
    ['a write after a read', `SELECT 1; COPY (SELECT 1) TO '${lateCsv}'`, fileRefused(lateCsv)],
    [
      'a write into the events folder after a read',
      "SELECT 1; COPY (SELECT 1) TO '__S3__/late.csv'",
      kindRefused('COPY'),
    ],
    ['CREATE TABLE', 'CREATE TABLE t AS SELECT 1', kindRefused('CREATE')],
  ])('refuses %s before running anything', async (_, sqlTemplate, message) => {
    const sql = sqlTemplate.replace('__S3__', join(state, 's3'));
    const result = await query(sql);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
    const target = /'([^']+\.(?:csv|duckdb))'/.exec(sql)?.[1];
    if (target) expect(existsSync(target)).toBe(false);
    expect(existsSync(outsideExport)).toBe(false);
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
    ['glob of another folder', "SELECT * FROM glob('/etc/*')", '/etc/*'],
    ['the network', "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')", 'http://127.0.0.1:9/x.csv'],
  ])('refuses to read %s, naming the path and what it may read', async (_, sqlTemplate, pathTemplate) => {
    const fill = (text: string) =>
      text.replaceAll('__SECRET__', secretOutsideEvents).replaceAll('__S3__', join(state, 's3'));
    const result = await query(fill(sqlTemplate), '--json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `op-events query reads only the event files under ${join(state, 's3')}: access to "${fill(pathTemplate)}" is refused`,
    );
    expect(output(result)).not.toContain('root:');
    expect(output(result)).not.toContain(SECRET_TEXT);
  });

  it('reads the event files, and extensions are neither installed nor loaded on demand', async () => {
    const files = await query(
      `SELECT count(*) AS n FROM read_text('${join(state, 's3')}/**/*.gz')`,
      '--json',
    );
    expect(files.code).toBe(0);
    // One file per event date in the fixture.
    expect(JSON.parse(files.stdout)).toEqual({ n: '3' });
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

  it('locks the configuration of the connection it opens', async () => {
    const db = await openEventDatabase(join(state, 's3'));
    try {
      await expect(db.connection.run('SET enable_external_access = true')).rejects.toThrow(
        /configuration has been locked/,
      );
      await expect(db.connection.run("SET allowed_directories = ['/']")).rejects.toThrow(
        /configuration has been locked/,
      );
    } finally {
      db.close();
    }
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

  it('keeps --json exact: the same value, with no raw control, C1 or bidi character', async () => {
    const result = await query(sql, '--json');
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(result.stdout)).toEqual({ app: `Chrome${ESCAPES}` });
  });
});
