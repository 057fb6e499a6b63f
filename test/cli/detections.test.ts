import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEventFiles } from '../../cli/detections/case-events';
import { RULE_IDS } from '../../shared/detections/rule-ids';
import {
  ADMIN,
  auditEvent,
  ITEM_UUID,
  itemUsageEvent,
  MEMBER,
  signInEvent,
  VAULT_UUID,
} from '../../shared/detections/rules/sample-events';
import { runCli } from './cli-harness';

const NOW = Date.parse('2026-12-05T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

let state: string;
const cli = (...args: string[]) => runCli(['detections', ...args, '--state-dir', state], {}, () => NOW);

beforeAll(() => {
  state = mkdtempSync(join(tmpdir(), 'op-events-detections-'));
  writeEventFiles(join(state, 's3'), {
    auditevents: [
      {
        ...auditEvent({
          action: 'export',
          object_type: 'vault',
          object: { uuid: VAULT_UUID },
          uuid: 'EXPORTEVENT000000000000001',
        }),
        timestamp: minutesAgo(90),
      },
      // Older than --since 1d: left out of a run over the last day.
      {
        ...auditEvent({ action: 'disblmfa', object_type: 'account', uuid: 'MFAOFFEVENT000000000000001' }),
        timestamp: minutesAgo(3 * 1_440),
      },
    ],
    itemusages: [
      {
        ...itemUsageEvent({ action: 'reveal', uuid: 'ITEMUSEEVENT00000000000001' }),
        timestamp: minutesAgo(45),
      },
    ],
    signinattempts: Array.from({ length: 12 }, (_, n) => ({
      ...signInEvent({
        category: 'credentials_failed',
        type: 'password_secret_bad',
        ip: `198.51.100.${n}`,
        uuid: `FAILEDSIGNIN${String(n).padStart(14, '0')}`,
      }),
      timestamp: minutesAgo(30 - n),
    })),
  });
});
afterAll(() => rmSync(state, { recursive: true, force: true }));

describe('op-events detections', () => {
  it('list --json: every rule of the catalogue, each on', async () => {
    const { code, stdout } = await cli('list', '--json');
    expect(code).toBe(0);
    const rules = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rules.map((r) => r.id)).toEqual([...RULE_IDS]);
    expect(rules.every((r) => r.enabled === true && typeof r.title === 'string')).toBe(true);
  });

  it('test: the cases of the rules asked for pass (exit 0)', async () => {
    const { code, stdout, stderr } = await cli('test', '--rule', 'vault-export,sign-in-brute-force');
    expect(code).toBe(0);
    expect(stdout).toContain('ok    vault-export  3/3 cases');
    expect(stdout).toMatch(/ok {4}sign-in-brute-force {2}\d+\/\d+ cases/);
    expect(stderr).toMatch(/2 rules, \d+ cases: all passed/);
  });

  it('run --json: one object per detection, kept under the state folder', async () => {
    const { code, stdout, stderr } = await cli('run', '--since', '1d', '--json');
    expect(code).toBe(0);
    const found = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(found.map((d) => d.rule_id).sort()).toEqual(['sign-in-brute-force', 'vault-export']);
    const brute = found.find((d) => d.rule_id === 'sign-in-brute-force');
    expect(brute).toMatchObject({
      severity: 'MEDIUM',
      group_key: `user:${MEMBER.uuid}`,
      first_seen: minutesAgo(30),
      last_seen: minutesAgo(19),
      user: { uuid: MEMBER.uuid, email: MEMBER.email },
      key_fields: { failures: 12, distinct_ips: 12 },
    });
    expect(brute.event_uuids).toHaveLength(12);
    const exported = found.find((d) => d.rule_id === 'vault-export');
    expect(exported).toMatchObject({
      event_uuids: ['EXPORTEVENT000000000000001'],
      user: { uuid: ADMIN.uuid },
    });
    expect(stderr).toContain('2 detections from 20 rules');
    const kept = readFileSync(join(state, 'detections', 'detections.ndjson'), 'utf8')
      .trim()
      .split('\n');
    expect(kept.map((line) => JSON.parse(line))).toEqual(found);
  });

  it('run: the time reaches back as far as --since says; one line per detection in text', async () => {
    const { code, stdout } = await cli('run', '--since', '7d', '--rule', 'account-mfa-disabled');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^2026-12-02T12:00:00(\.0+)?Z\s+CRITICAL\s+account-mfa-disabled\s+"MFA turned off for the whole account"/,
    );
  });

  it('settings load: a checked file is kept and used by run; a bad one is refused, changing nothing', async () => {
    const bad = join(state, 'bad.json');
    writeFileSync(bad, JSON.stringify({ thresholds: { signInFailures: 0 } }));
    const refused = await cli('settings', 'load', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('thresholds.signInFailures');
    expect(refused.stderr).toContain('. Nothing was changed.');
    const notJson = join(state, 'not-json.json');
    writeFileSync(notJson, '{ "thresholds": ');
    const unreadable = await cli('settings', 'load', notJson);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/not-json\.json is not JSON \(.+\)\. Nothing was changed\./);
    const missing = join(state, 'missing.json');
    expect(await cli('settings', 'load', missing)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`${missing} does not exist. Nothing was changed.`),
    });
    expect(existsSync(join(state, 'detections', 'settings.json'))).toBe(false);

    const good = join(state, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({ disabledRules: ['vault-export'], thresholds: { signInFailures: 20 } }),
    );
    expect((await cli('settings', 'load', good)).code).toBe(0);
    const { stdout } = await cli('run', '--since', '1d', '--json');
    expect(stdout.trim()).toBe('');
    const list = await cli('list', '--json');
    expect(list.stdout.split('\n').filter((l) => l.includes('"enabled":false'))).toHaveLength(1);
    rmSync(join(state, 'detections', 'settings.json'));
  });

  it('watched item titles become uuids through the items lookup: show lists them, run fires on them', async () => {
    const items = join(state, 'items.json');
    writeFileSync(
      items,
      JSON.stringify([
        {
          id: ITEM_UUID.toLowerCase(),
          title: 'Bank portal',
          version: 1,
          vault: { id: VAULT_UUID, name: 'Finance' },
          category: 'LOGIN',
        },
      ]),
    );
    expect((await runCli(['lookups', 'load', 'items', items, '--state-dir', state])).code).toBe(0);
    const settings = join(state, 'titles.json');
    writeFileSync(settings, JSON.stringify({ watchlists: { itemTitles: ['Bank portal', 'Payroll'] } }));
    const shown = await cli('settings', 'show', '--settings', settings, '--json');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).watchlists.items).toEqual([ITEM_UUID.toLowerCase()]);
    expect(shown.stderr).toContain('No item of the items lookup has the watched title(s) "Payroll"');
    const { stdout } = await cli(
      'run',
      '--since',
      '1d',
      '--rule',
      'sensitive-item-access',
      '--settings',
      settings,
      '--json',
    );
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).event_uuids),
    ).toEqual([['ITEMUSEEVENT00000000000001']]);
  });

  it.each([
    [['run', '--rule', 'no-such-rule'], '"no-such-rule" is no rule id'],
    [['run', '--since', 'yesterday'], '--since "yesterday" is not a time'],
    [['run', '--since', '2027-01-05'], '--since must be in the past, e.g. 30d, 12h or 2026-01-05.'],
    [['list', 'all'], 'detections list takes no other argument (got "all").'],
    [['test', 'now'], 'detections test takes no other argument (got "now").'],
    [['settings', 'show', 'x'], 'detections settings show takes no other argument (got "x").'],
    [['frobnicate'], 'Unknown action "frobnicate"'],
    [[], 'Say what to do: op-events detections list, test, run, settings load FILE, settings show.'],
    [
      ['settings', 'save'],
      'Unknown action "save": op-events detections settings load FILE, or op-events detections settings show.',
    ],
    [
      ['settings', 'load'],
      'Give the settings file: op-events detections settings load FILE (docs/detections.md shows its shape).',
    ],
  ])('%j is a usage error (exit 2): %s', async (args, message) => {
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
