import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSinceDays, reportWindow } from '../../cli/commands/report';
import type { ReportResult } from '../../cli/commands/report-view';
import { flagOf, NO_EVENTS_ID, SECTION_IDS } from '../../cli/report/report-html';
import { lookupKeyFor } from '../../shared/contracts/lookup-schema';
import { HOSTILE, RAW_CONTROL } from '../support/hostile-text';
import { removeTempDirs, runCli, tempDir } from './cli-harness';
import { writeEvents } from './query-fixtures';

/**
 * `op-events report` over a local store of known events: the numbers of every section, names from
 * the lookups, repeats counted once, the window, hostile text shown as text, and the page's form.
 * The page in a real browser: report-browser.test.ts.
 */

afterAll(() => removeTempDirs());

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-12-06T12:00:00Z');
const at = (daysAgo: number, hour = 10) =>
  new Date(NOW - daysAgo * DAY_MS + (hour - 12) * 3_600_000).toISOString();

const ann = { uuid: 'UANN', email: 'ann@example.com', name: 'Ann' };
const bob = { uuid: 'UBOB', email: `bob${HOSTILE}@example.com`, name: '<script>alert(1)</script>' };

function writeLookup(s3: string, kind: 'vaults' | 'items' | 'users', rows: object[]): void {
  const path = join(s3, lookupKeyFor(kind));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    gzipSync(`${rows.map((r) => JSON.stringify({ ...r, loaded_at: at(0) })).join('\n')}\n`),
  );
}

/** A state folder with sign-ins, item usages and audit events over the last days (and one too old). */
function knownStore(): string {
  const root = tempDir('op-events-report-');
  const s3 = join(root, 's3');
  const signIn = (uuid: string, daysAgo: number, category: string, country: string, user = ann) => ({
    uuid,
    timestamp: at(daysAgo),
    category,
    type: category === 'success' ? 'credentials_ok' : 'password_incorrect',
    country,
    target_user: user,
    location: { country },
  });
  const signIns = [
    signIn('S1', 0, 'success', 'CA'),
    signIn('S2', 0, 'credentials_failed', 'FR'),
    signIn('S3', 1, 'credentials_failed', 'France'),
    signIn('S4', 1, 'mfa_failed', 'FR', bob),
    signIn('S5', 2, 'firewall_reported_success', 'CA'),
    signIn('S6', 40, 'credentials_failed', 'RU'),
  ];
  writeEvents(s3, 'signinattempts', signIns, 'run-1');
  writeEvents(s3, 'signinattempts', signIns.slice(0, 2), 'run-2'); // delivered again: counted once
  const usage = (uuid: string, daysAgo: number, action: string, vault: string, item: string, user = ann) => ({
    uuid,
    timestamp: at(daysAgo),
    action,
    vault_uuid: vault,
    item_uuid: item,
    user,
  });
  writeEvents(s3, 'itemusages', [
    usage('I1', 0, 'reveal', 'VFIN', 'IBANK'),
    usage('I2', 0, 'export', 'VFIN', 'IBANK'),
    usage('I3', 1, 'fill', 'VFIN', 'IPAY'),
    usage('I4', 1, 'secure-copy', 'VOPS', 'IROOT', bob),
    usage('I5', 3, 'reveal', `V${HOSTILE}`, 'IX', bob),
  ]);
  writeEvents(s3, 'auditevents', [
    {
      uuid: 'A1',
      timestamp: at(0),
      action: 'suspend',
      actor_uuid: 'UBOB',
      object_type: 'user',
      object_uuid: 'UANN',
    },
    {
      uuid: 'A2',
      timestamp: at(1),
      action: 'grant',
      actor_uuid: 'UBOB',
      object_type: 'uva',
      object_uuid: 'VFIN',
    },
    {
      uuid: 'A3',
      timestamp: at(1),
      action: 'grant',
      actor_uuid: 'UBOB',
      object_type: 'uva',
      object_uuid: 'VOPS',
    },
  ]);
  writeLookup(s3, 'vaults', [
    { id: 'VFIN', name: 'Finance' },
    { id: 'VOPS', name: `Ops ${HOSTILE}` },
  ]);
  writeLookup(s3, 'items', [{ id: 'IBANK', title: 'Bank login', vault_id: 'VFIN', vault_name: 'Finance' }]);
  return root;
}

async function report(root: string, extra: string[] = []) {
  const out = join(root, 'report.html');
  const result = await runCli(
    ['report', '--state-dir', root, '--out', out, '--json', ...extra],
    {},
    () => NOW,
  );
  return {
    ...result,
    out,
    json: result.code === 0 ? (JSON.parse(result.stdout) as ReportResult) : undefined,
  };
}

describe('op-events report over a local store', () => {
  it('counts every section from the events of the window, each event once', async () => {
    const root = knownStore();
    const { code, stderr, json } = await report(root, ['--since', '7d']);
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const data = json?.data;
    expect(json?.firstDay).toBe('2026-11-30');
    expect(json?.lastDay).toBe('2026-12-06');
    expect(data?.days).toHaveLength(7);
    // S6 is 40 days old; S1 and S2 came twice.
    expect(data?.totals).toEqual({ signinattempts: 5, itemusages: 5, auditevents: 3 });
    expect(data?.eventsPerDay.at(-1)).toEqual({
      day: '2026-12-06',
      counts: { signinattempts: 2, itemusages: 2, auditevents: 1 },
    });
    expect(data?.signInsPerDay.slice(-3)).toEqual([
      { day: '2026-12-04', successes: 1, failures: 0 },
      { day: '2026-12-05', successes: 0, failures: 2 },
      { day: '2026-12-06', successes: 1, failures: 1 },
    ]);
    expect(data?.signInFailures).toEqual([
      { reason: 'credentials_failed', attempts: 2 },
      { reason: 'mfa_failed', attempts: 1 },
    ]);
    // 'FR' and 'France' are one country.
    expect(data?.countries).toEqual([
      { country: 'FR', name: 'France', attempts: 3, successes: 0, failures: 3, users: 2 },
      { country: 'CA', name: 'Canada', attempts: 2, successes: 2, failures: 0, users: 1 },
    ]);
    expect(data?.topUsers.map((u) => [u.id, u.usages, u.items, u.vaults])).toEqual([
      ['UANN', 3, 2, 1],
      ['UBOB', 2, 2, 2],
    ]);
    expect(data?.topVaults[0]).toEqual({ id: 'VFIN', name: 'Finance', usages: 3 });
    expect(data?.topItems[0]).toEqual({
      id: 'IBANK',
      name: 'Bank login',
      vault: { id: 'VFIN', name: 'Finance' },
      usages: 2,
      users: 1,
    });
    expect(data?.secretUseByVault.find((v) => v.id === 'VFIN')).toEqual({
      id: 'VFIN',
      name: 'Finance',
      counts: { reveal: 1, 'secure-copy': 0, export: 1 },
      total: 2,
    });
    expect(data?.adminActions).toEqual([
      { action: 'grant', objectType: 'uva', events: 2 },
      { action: 'suspend', objectType: 'user', events: 1 },
    ]);
    expect(json?.detections.status).toBe('none');
    expect(json?.health).toEqual({
      status: 'unavailable',
      why: expect.stringContaining('has not run there'),
    });
  });

  it('writes one page with every section, readable by its owner only, loading nothing', async () => {
    const root = knownStore();
    const { code, out } = await report(root);
    expect(code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const page = readFileSync(out, 'utf8');
    for (const id of SECTION_IDS) expect(page).toContain(`<section id="${id}"`);
    expect(page).not.toContain(`id="${NO_EVENTS_ID}"`);
    expect(page).toContain('Content-Security-Policy" content="default-src \'none\'');
    // Nothing that loads: no script, no external reference.
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(page).not.toMatch(/(src|href)=/i);
    expect(page).toContain('Bank login');
    expect(page).toContain(flagOf('FR'));
  });

  it('shows text from events as text: no markup, no control or bidi character', async () => {
    const root = knownStore();
    const { code, out } = await report(root);
    expect(code).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(page).not.toMatch(RAW_CONTROL);
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('bob\\u001b]0;owned\\u0007');
    expect(page).toContain('Ops \\u001b]0;owned');
  });

  it('says "no events in this period" on an empty store, with no chart', async () => {
    const root = tempDir('op-events-report-empty-');
    const { code, out, json } = await report(root);
    expect(code).toBe(0);
    expect(json?.data.totalEvents).toBe(0);
    const page = readFileSync(out, 'utf8');
    expect(page).toContain(`<section id="${NO_EVENTS_ID}"`);
    expect(page).toContain('No events in this period');
    expect(page).not.toContain('<svg');
    expect(page).toContain('<section id="detections"');
    expect(page).toContain('<section id="collector-health"');
  });

  it('counts detections under the state folder by rule, highest severity first, within the window', async () => {
    const root = knownStore();
    mkdirSync(join(root, 'detections'));
    const detection = (rule_id: string, severity: string, last_seen: string) =>
      JSON.stringify({ rule_id, severity, title: `${rule_id} title`, last_seen, event_uuids: ['x'] });
    writeFileSync(
      join(root, 'detections', 'detections.ndjson'),
      [
        detection('vault-export', 'HIGH', at(1)),
        detection('vault-export', 'HIGH', at(2)),
        detection('unusual-client', 'MEDIUM', at(0)),
        detection('account-mfa-disabled', 'CRITICAL', at(0)),
        detection('old', 'LOW', at(90)),
        'not json',
      ].join('\n'),
    );
    const { code, json } = await report(root);
    expect(code).toBe(0);
    expect(json?.detections).toEqual({
      status: 'recorded',
      where: join(root, 'detections', 'detections.ndjson'),
      byRule: [
        {
          ruleId: 'account-mfa-disabled',
          title: 'account-mfa-disabled title',
          severity: 'CRITICAL',
          detections: 1,
        },
        { ruleId: 'vault-export', title: 'vault-export title', severity: 'HIGH', detections: 2 },
        { ruleId: 'unusual-client', title: 'unusual-client title', severity: 'MEDIUM', detections: 1 },
      ],
    });
  });

  it('prints where the page is and what it holds', async () => {
    const root = knownStore();
    const out = join(root, 'r.html');
    const result = await runCli(['report', '--state-dir', root, '--out', out], {}, () => NOW);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Wrote ${out}: 2026-11-07 to 2026-12-06 (UTC)`);
    expect(result.stdout).toContain('13 events (3 auditevents, 5 itemusages, 5 signinattempts)');
  });
});

describe('bad input is refused, nothing written', () => {
  it.each([['0d'], ['30'], ['1w'], ['367d'], ['3 days']])('--since %s', async (since) => {
    const root = tempDir();
    const out = join(root, 'r.html');
    const result = await runCli(['report', '--state-dir', root, '--since', since, '--out', out]);
    expect(result.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(result.stderr).toContain(
      `--since ${JSON.stringify(since)}: give a number of days from 1d to 366d, such as --since 30d ` +
        '(today, UTC, counts as one).',
    );
  });

  it('--out a folder', async () => {
    const root = tempDir();
    const result = await runCli(['report', '--state-dir', root, '--out', root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `--out ${JSON.stringify(root)} is a folder: give a file name, such as ${join(root, 'op-events-report.html')}.`,
    );
  });

  it('--out with no file name, or in a folder that does not exist', async () => {
    const root = tempDir();
    const empty = await runCli(['report', '--state-dir', root, '--out', ' ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--out needs a file name.');
    const out = join(root, 'no-such-folder', 'r.html');
    const nowhere = await runCli(['report', '--state-dir', root, '--out', out]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain(
      `--out ${JSON.stringify(out)}: the folder ${dirname(out)} does not exist.`,
    );
  });

  it('--state-dir with --stack', async () => {
    const result = await runCli(['report', '--state-dir', tempDir(), '--stack', 'S']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--state-dir is for the local store; --stack reads Athena. Give one or the other.',
    );
  });
});

describe('the window', () => {
  it('is the last N UTC days, today included', () => {
    expect(parseSinceDays(undefined)).toBe(30);
    expect(parseSinceDays('7d')).toBe(7);
    expect(reportWindow(1, NOW)).toEqual({ firstDay: '2026-12-06', lastDay: '2026-12-06' });
    expect(reportWindow(30, Date.parse('2026-03-01T00:00:00Z'))).toEqual({
      firstDay: '2026-01-31',
      lastDay: '2026-03-01',
    });
  });
});
