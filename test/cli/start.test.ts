import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { EVENT_RULES } from '../../shared/detections/event-rules';
import { expectNoTokenPiece } from '../support/token-pieces';
import {
  BIN,
  type CliResult,
  cleanEnv,
  fileSnapshot,
  output,
  REPO,
  removeTempDirs,
  runBin,
  runCli,
  runStart,
  startTestApi,
  type TestApi,
  tempDir,
  tokenWith,
} from './cli-harness';

afterAll(() => removeTempDirs());

/** `op-events start` through the CLI's main in this process: for bad input it must refuse before starting anything. */
function startInProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(['start', ...args], env);
}

/** The summary table's row for a type: events, pages, has_more, stop reason. */
function summaryRow(result: CliResult, type: EventType) {
  const line = result.stdout
    .split('\n')
    .find((l) => new RegExp(`^${type}\\s+\\d+\\s+\\d+\\s+(true|false)`).test(l));
  if (!line) throw new Error(`no summary row for ${type} in:\n${result.stdout}\n${result.stderr}`);
  const [, events, pages, hasMore, stopReason] = line.split(/\s+/);
  return { events: Number(events), pages: Number(pages), hasMore, stopReason };
}

/** The banner's "To collect: ..." count for a type (what the table's collected column must show). */
function toCollect(result: CliResult, type: EventType): number | undefined {
  const line = result.stdout.split('\n').find((l) => l.includes('To collect: '));
  const count = line?.match(new RegExp(`[(, ]${type} ([\\d,]+)[,)]`))?.[1];
  return count === undefined ? undefined : Number(count.replaceAll(',', ''));
}

/** The lines of a result that speak of schema drift. */
function driftLines(result: CliResult): string[] {
  return output(result)
    .split('\n')
    .filter((line) => /another form than 1Password documents|did not match the schema/.test(line));
}

function demoEventCount(state: string, type: EventType): number {
  return readFileSync(join(state, 'simulator', `${type}.ndjson`), 'utf8')
    .trim()
    .split('\n').length;
}

async function uniqueCount(state: string, type: EventType): Promise<number> {
  const result = await runBin([
    'query',
    `SELECT count(*) AS n FROM ${type}_unique`,
    '--json',
    '--state-dir',
    state,
  ]);
  return Number((JSON.parse(result.stdout) as { n: string }).n);
}

describe('npm start on demo data', () => {
  const state = tempDir();
  let first: CliResult;
  let firstSeconds: number;

  beforeAll(async () => {
    process.umask(0o022); // a fresh shell's: owner-only files below are the code's doing
    const started = Date.now();
    first = await runStart(['--state-dir', state]);
    firstSeconds = (Date.now() - started) / 1000;
  });

  it('says plainly that it is demo data, collects every type until caught up, quickly', () => {
    expect(first.code, output(first)).toBe(0);
    expect(first.stdout).toContain('DEMO DATA: no OP_EVENTS_TOKEN was given');
    expect(first.stdout).toContain('First start: 8,500 demo events spanning 5 days');
    expect(first.stdout).toContain('OP_EVENTS_TOKEN=<your Events API token> npm start');
    expect(summaryRow(first, 'auditevents')).toEqual({
      events: 1500,
      pages: 2,
      hasMore: 'false',
      stopReason: 'caught_up',
    });
    expect(summaryRow(first, 'itemusages')).toEqual({
      events: 4000,
      pages: 4,
      hasMore: 'false',
      stopReason: 'caught_up',
    });
    expect(summaryRow(first, 'signinattempts')).toEqual({
      events: 3000,
      pages: 3,
      hasMore: 'false',
      stopReason: 'caught_up',
    });
    // Progress goes to stderr, a plain line per page off a terminal; stdout keeps the result.
    expect(first.stderr).toMatch(/^ {2}signinattempts\s+page {3}3 {2}\+1000 events {2}\(3000 so far\)$/m);
    expect(first.stdout).not.toMatch(/page +\d/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control characters off a terminal
    expect(output(first)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(firstSeconds).toBeLessThan(30);
  });

  it('runs the one-event rules as it collects and lists the alerts it published to the local EventBridge', () => {
    const heading = first.stdout.match(/^Alerts published \((\d+), local EventBridge default bus\):$/m);
    expect(heading, output(first)).not.toBeNull();
    const lines = first.stdout
      .split('\n')
      .filter((l) => /^ {2}(INFORMATIONAL|LOW|MEDIUM|HIGH|CRITICAL) +[a-z-]+: /.test(l));
    expect(lines).toHaveLength(Number(heading?.[1]));
    const ruleIds = new Set(EVENT_RULES.map((rule) => rule.id));
    for (const line of lines)
      expect(ruleIds.has(line.trim().split(/\s+/)[1]?.replace(/:$/, '') ?? '')).toBe(true);
  });

  it("says once, plainly, that the demo's drifted events are kept as sent, and status lists their fields", async () => {
    const drift = driftLines(first);
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatch(
      /^Note: 9 events hold a field in another form than 1Password documents \(auditevents 3, itemusages 3, signinattempts 3\)/,
    );
    expect(drift[0]).toContain('Nothing is lost: they are stored exactly as sent');
    expect(drift[0]).toContain('The demo data includes a few on purpose.');
    expect(drift[0]).toContain('op-events status" lists the fields');
    const status = await runBin(['status', '--state-dir', state]);
    expect(status.code, output(status)).toBe(0);
    expect(status.stdout).toContain('Fields in another form than 1Password documents');
    expect(status.stdout).toMatch(/^auditevents\s+aux_id\s+string\s+1$/m);
    expect(status.stdout).toMatch(/^signinattempts\s+location\.latitude\s+string\s+1$/m);
    expect(status.stdout).toContain('SELECT * FROM itemusages_drift');
    const query = await runBin(['query', 'SELECT count(*) AS n FROM auditevents', '--state-dir', state]);
    expect(driftLines(query)).toHaveLength(1);
  });

  it('writes gzip NDJSON in the bucket layout, partitioned by event date over several days', () => {
    for (const type of EVENT_TYPES) {
      const partitions = readdirSync(join(state, 's3', 'events', type));
      expect(partitions.length).toBeGreaterThanOrEqual(5);
      expect(partitions.every((p) => /^dt=\d{4}-\d{2}-\d{2}$/.test(p))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(state, 'source.json'), 'utf8'))).toEqual({ kind: 'demo' });
    expect(existsSync(join(state, 'lock'))).toBe(false);
  });

  it('keeps every folder of the state 0700 and every file 0600: events, cursor table, demo data', () => {
    const exposed = readdirSync(state, { recursive: true, encoding: 'utf8' }).filter((name) => {
      const stat = statSync(join(state, name));
      return (stat.mode & 0o777) !== (stat.isDirectory() ? 0o700 : 0o600);
    });
    expect(exposed).toEqual([]);
    expect(readdirSync(state).sort()).toEqual(
      expect.arrayContaining(['dynamodb', 's3', 'simulator', 'source.json']),
    );
  });

  it('a second start collects only the new demo events from the stored cursors', async () => {
    const second = await runStart(['--state-dir', state]);
    expect(second.code, output(second)).toBe(0);
    expect(second.stdout).toMatch(
      /To collect: \d+ new demo events since the last collection \(auditevents \d+, itemusages \d+, signinattempts \d+\), a few of them late/,
    );
    expect(driftLines(second)).toEqual([]);
    for (const type of EVENT_TYPES) {
      const row = summaryRow(second, type);
      expect(row.events).toBe(toCollect(second, type));
      expect(row.events).toBe(demoEventCount(state, type) - summaryRow(first, type).events);
      expect(row.events).toBeGreaterThan(0);
      expect(row.stopReason).toBe('caught_up');
      expect(await uniqueCount(state, type)).toBe(demoEventCount(state, type));
    }
  });

  it('answers a SOC named query from what it collected', async () => {
    const result = await runBin([
      'query',
      '--named',
      'Failed sign-ins by user and country',
      '--json',
      '--state-dir',
      state,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { user_email: string; category: string; attempts: string });
    expect(rows.length).toBeGreaterThan(10);
    expect(
      rows.every(
        (r) => r.user_email.endsWith('@example.com') && r.category !== 'success' && Number(r.attempts) > 0,
      ),
    ).toBe(true);
    expect(result.stderr).toContain('holds demo data from the local simulator');
  });

  it('after reset, the next start collects from the new start again and the views drop the repeats', async () => {
    const reset = await runBin(['reset', '--type', 'signinattempts', '--from', '1d', '--state-dir', state]);
    expect(reset.code, reset.stderr).toBe(0);
    const third = await runStart(['--state-dir', state, '--types', 'signinattempts']);
    expect(third.code, output(third)).toBe(0);
    expect(third.stdout).not.toMatch(/^auditevents\s+\d/m);
    const row = summaryRow(third, 'signinattempts');
    expect(row.events).toBe(toCollect(third, 'signinattempts'));
    expect(row.events).toBeGreaterThan(400);
    expect(row.events).toBeLessThan(1000);
    expect(await uniqueCount(state, 'signinattempts')).toBe(demoEventCount(state, 'signinattempts'));
    const status = await runBin(['status', '--state-dir', state, '--types', 'signinattempts']);
    expect(status.stdout).toMatch(/signinattempts .* ok .* caught_up .* free\s+no/);
  });
});

describe('npm start after a start with --types', () => {
  it("says how many events each type has to collect, earlier starts' left-overs included, and the table agrees", async () => {
    const state = tempDir();
    const audit = await runStart(['--state-dir', state, '--types', 'auditevents', '--verbose']);
    expect(audit.code, output(audit)).toBe(0);
    // --verbose: the collector's own line per run, with the fields and example uuids.
    expect(audit.stderr).toMatch(
      /^auditevents: warning: Events did not match the schema; delivered unchanged \{"events":3,/m,
    );
    const all = await runStart(['--state-dir', state]);
    expect(all.code, output(all)).toBe(0);
    expect(all.stdout).toMatch(
      /To collect: [\d,]+ demo events \(auditevents \d+, itemusages [\d,]+, signinattempts [\d,]+\): \d+ new since the last collection \(a few of them late, hours old\) and [\d,]+ that earlier starts left/,
    );
    for (const type of EVENT_TYPES) expect(summaryRow(all, type).events).toBe(toCollect(all, type));
    // The two types the first start left out: their whole history plus this start's new events.
    expect(summaryRow(all, 'itemusages').events).toBe(demoEventCount(state, 'itemusages'));
    expect(summaryRow(all, 'auditevents').events).toBe(
      demoEventCount(state, 'auditevents') - summaryRow(audit, 'auditevents').events,
    );
    const one = await runStart(['--state-dir', state, '--types', 'itemusages']);
    expect(one.stdout).toContain('auditevents and signinattempts: not collected now');
    expect(summaryRow(one, 'itemusages').events).toBe(toCollect(one, 'itemusages'));
  });
});

describe('npm start --watch', () => {
  it('collects every --interval seconds, adding demo events, until Ctrl-C (exit 130, lock released)', async () => {
    const state = tempDir();
    const child = spawn(
      process.execPath,
      [BIN, 'start', '--watch', '--interval', '1', '--types', 'auditevents', '--state-dir', state],
      {
        cwd: REPO,
        env: cleanEnv(),
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if ((stdout.match(/^Took /gm) ?? []).length >= 2) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout.match(/^DEMO DATA/gm)).toHaveLength(1);
    expect(stdout).toMatch(
      /Demo: To collect: \d+ new demo events since the last collection \(auditevents \d+\)/,
    );
    expect(stdout).toContain('Next collection in 1 s (Ctrl-C to stop).');
    expect(stderr).toContain('Stopping after the current runs');
    expect(existsSync(join(state, 'lock'))).toBe(false);
  });
});

describe('npm start with a token', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    api.sim.addEvents(
      'itemusages',
      Array.from({ length: 60 }, (_, i) => ({
        uuid: `IU${i}`,
        timestamp: new Date(Date.now() - (60 - i) * 60_000).toISOString(),
        action: 'reveal',
      })),
    );
  });
  afterAll(() => api.stop());

  it('collects the account behind the token (host from EVENTS_API_URL) and keeps it apart from demo data', async () => {
    const state = tempDir();
    const result = await runStart(['--state-dir', state, '--types', 'itemusages'], { env: api.env() });
    expect(result.code, output(result)).toBe(0);
    expect(result.stdout).not.toContain('DEMO');
    expect(result.stderr).toContain(`Token accepted by ${api.sim.url} for itemusages`);
    expect(summaryRow(result, 'itemusages')).toEqual({
      events: 60,
      pages: 1,
      hasMore: 'false',
      stopReason: 'caught_up',
    });
    expect(output(result)).not.toContain(api.token);
    expect(JSON.parse(readFileSync(join(state, 'source.json'), 'utf8'))).toEqual({
      kind: 'events-api',
      host: api.sim.url,
    });

    const before = fileSnapshot(state);
    const demo = await runStart(['--state-dir', state]);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain(`holds events from ${api.sim.url}, not demo data from the local simulator`);
    expect(fileSnapshot(state)).toEqual(before);
  });

  it('exits 1 when a type fails, still collects the others, and records the failure for status', async () => {
    const state = tempDir();
    api.sim.enqueueFault({ kind: 'status', status: 400, path: '/api/v2/auditevents' });
    const result = await runStart(['--state-dir', state, '--types', 'auditevents,itemusages'], {
      env: api.env(),
    });
    expect(result.code, output(result)).toBe(1);
    expect(result.stdout).toMatch(/^auditevents\s+0\s+0\s+false\s+failed\s.*FAILED$/m);
    expect(summaryRow(result, 'itemusages')).toMatchObject({ events: 60, stopReason: 'caught_up' });
    expect(result.stderr).toContain('auditevents failed: The Events API rejected the request');
    const status = await runBin(['status', '--state-dir', state, '--types', 'auditevents']);
    expect(status.stdout).toMatch(/auditevents .* failed\s+0\s+0\s+failed/);
    expect(status.stdout).toContain(
      'auditevents last run failed: RequestRejectedError: The Events API rejected the request',
    );
  });

  describe('bad input: clear message, non-zero exit, no state written', () => {
    it('a token without a chosen type feature (exit 3)', async () => {
      const state = join(tempDir(), 'state');
      const token = tokenWith(api, ['itemusages']);
      const result = await startInProcess(['--state-dir', state], api.env(token));
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('The token lacks the auditevents feature (granted: itemusages)');
      expect(output(result)).not.toContain(token);
      expect(existsSync(state)).toBe(false);
    });

    it('a host outside 1Password (exit 2, refused before any request)', async () => {
      const state = join(tempDir(), 'state');
      const fetchSpy = vi.spyOn(globalThis, 'fetch');
      const result = await startInProcess(['--state-dir', state], {
        OP_EVENTS_TOKEN: api.token,
        EVENTS_API_URL: 'https://events.1password.com.evil.example',
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('is not a 1Password events host');
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(existsSync(state)).toBe(false);
      fetchSpy.mockRestore();
    });

    it('a token with a line break inside (exit 2, where and how, refused before any request)', async () => {
      const state = join(tempDir(), 'state');
      const fetchSpy = vi.spyOn(globalThis, 'fetch');
      const broken = `${api.token.slice(0, 40)}\r\n${api.token.slice(40)}`;
      const result = await startInProcess(['--state-dir', state], api.env(broken));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /OP_EVENTS_TOKEN holds a token with a carriage return \(U\+000D\) at character 41/,
      );
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(existsSync(state)).toBe(false);
      expectNoTokenPiece(output(result), api.token);
      fetchSpy.mockRestore();
    });

    it('an unreachable host (exit 1)', async () => {
      const state = join(tempDir(), 'state');
      const closed = await startTestApi();
      const url = closed.sim.url;
      await closed.stop();
      const result = await startInProcess(['--state-dir', state], { ...api.env(), EVENTS_API_URL: url });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('did not answer GET /api/v2/auth/introspect usably');
      expect(existsSync(state)).toBe(false);
    });

    it('a bad option (exit 2)', async () => {
      const state = join(tempDir(), 'state');
      const types = await startInProcess(['--state-dir', state, '--types', 'auditevents,signins']);
      expect(types.code).toBe(2);
      expect(types.stderr).toContain('Unknown event type "signins" in --types');
      const interval = await startInProcess(['--state-dir', state, '--interval', '5']);
      expect(interval.code).toBe(2);
      expect(interval.stderr).toContain('--interval sets the pause of --watch');
      expect(existsSync(state)).toBe(false);
    });

    it('a bad collector variable, through the real entry point (exit 2)', async () => {
      const state = join(tempDir(), 'state');
      const result = await runStart(['--state-dir', state], { env: { PAGE_SIZE: '5000' } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('PAGE_SIZE must be a whole number from 1 to 1000 (got "5000").');
      expect(existsSync(state)).toBe(false);
    });
  });
});

describe('op-events start output, pinned as it is printed', () => {
  /**
   * The state folder as <state>, the simulator's port as <port>, and what depends on the clock (the
   * lag, the time taken) as placeholders; the summary table with single spaces and single dashes,
   * since the lag's width sets its column's.
   */
  function pinned(text: string, state: string): string {
    return (
      text
        .replaceAll(basename(state), '<state>')
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
        .replace(/"lagSeconds":[\d.]+/g, '"lagSeconds":<s>')
        .replace(/Took \d+\.\d s\./g, 'Took <s> s.')
        // The demo's events are placed relative to the clock: an alert's last event time too.
        .replace(/, last \d{4}-\d\d-\d\dT[\d:.]+Z$/gm, ', last <time>')
        .replace(/^(type|-+|auditevents) .*$/gm, (row) =>
          row
            .replace(/caught_up +(\d+[smhd] ?)+/, 'caught_up <lag> ')
            .replace(/-+/g, '-')
            .replace(/ +/g, ' '),
        )
    );
  }

  it('demo data, one type: the text report, and --json with the report on stderr', async () => {
    // Each on a folder of its own: a first start's numbers do not depend on the clock.
    const [first, second] = [tempDir(), tempDir()];
    const text = await runBin(['start', '--types', 'auditevents', '--state-dir', first]);
    expect(text.code, text.stderr).toBe(0);
    expect(pinned(text.stdout, first)).toMatchInlineSnapshot(`
      "DEMO DATA: no OP_EVENTS_TOKEN was given, so this run collects generated demo events from a local
      Events API simulator on http://127.0.0.1:<port>. Nothing is sent to 1Password or AWS.
      First start: 8,500 demo events spanning 5 days were generated (<state>/simulator).
      To collect your own account's events: OP_EVENTS_TOKEN=<your Events API token> npm start -- --state-dir <new folder>
      (demo state and an account's state are kept in separate folders; "npx op-events check" tests a token first)

      Collecting auditevents (state: <state>)

      type collected pages has_more stop reason lag runs result
      - - - - - - - -
      auditevents 1500 2 false caught_up <lag> 1 ok

      Events: <state>/s3/events/<type>/dt=YYYY-MM-DD/*.gz   Cursors: <state>/dynamodb

      Alerts published (21, local EventBridge default bus):
        LOW      manual-user-invite: A user invited or created by hand (user2@example.com from 10.208.2.39), 4 events, last <time>
        LOW      manual-user-invite: A user invited or created by hand (user7@example.com from 160.248.128.196), 3 events, last <time>
        LOW      manual-user-invite: A user invited or created by hand (user5@example.com from 208.167.15.106), 2 events, last <time>
        LOW      manual-user-invite: A user invited or created by hand (user6@example.com from 111.123.129.3), 1 event, last <time>
        LOW      manual-user-invite: A user invited or created by hand (user8@example.com from 121.161.43.79), 3 events, last <time>
        LOW      manual-user-invite: A user invited or created by hand (user4@example.com from 5.248.168.206), 3 events, last <time>
        LOW      manual-user-invite: A user invited or created by hand (user1@example.com from 34.35.12.3), 4 events, last <time>
        LOW      manual-user-invite: A user invited or created by hand (user9@example.com from 150.178.208.114), 2 events, last <time>
        LOW      manual-user-invite: A user invited or created by hand (user3@example.com from 20.161.96.247), 1 event, last <time>
        MEDIUM   firewall-rules-changed: The account's firewall rules changed (user1@example.com from 198.51.100.23), 1 event, last <time>
        HIGH     sso-settings-changed: SSO settings changed (user1@example.com from 198.51.100.23), 1 event, last <time>
        MEDIUM   service-account-created: Service account created (user1@example.com from 198.51.100.23), 1 event, last <time>
        MEDIUM   service-account-token-changed: Service account token created, renamed, verified or revoked (user1@example.com from 198.51.100.23), 1 event, last <time>
        HIGH     vault-export: Vault exported (user7@example.com from 198.51.100.23), 1 event, last <time>
        HIGH     vault-export: Vault exported (user6@example.com from 198.51.100.23), 1 event, last <time>
        HIGH     vault-access-self-granted: Actor granted themselves access to a vault (user2@example.com from 198.51.100.23), 1 event, last <time>
        HIGH     group-self-joined: Actor added themselves to a group or changed their own role in it (user2@example.com from 198.51.100.23), 1 event, last <time>
        HIGH     privileged-vault-permission-change: Access changed on a watched vault (user1@example.com from 198.51.100.23), 1 event, last <time>
        HIGH     privileged-group-member-added: Someone added to a watched group (user1@example.com from 198.51.100.23), 1 event, last <time>
        MEDIUM   user-mfa-changed: A user's MFA enabled, updated or disabled (user3@example.com from 198.51.100.23), 1 event, last <time>
        CRITICAL account-mfa-disabled: MFA turned off for the whole account (user1@example.com from 198.51.100.23), 1 event, last <time>
      Took <s> s.
      Next: npx op-events status   |   npx op-events query --named "Failed sign-ins"   |   npx op-events --help
      "
    `);
    expect(pinned(text.stderr, first)).toMatchInlineSnapshot(`
      "  auditevents  page   1  +1000 events  (1000 so far)
        auditevents  page   2  +500 events  (1500 so far)
      Note: 3 events hold a field in another form than 1Password documents (auditevents 3), as happens when 1Password changes a field. Nothing is lost: they are stored exactly as sent, and only those fields read as NULL in the tables. The demo data includes a few on purpose. Details: "npx op-events status" lists the fields; "npm start -- --verbose" shows them run by run.
      "
    `);
    const json = await runBin(['start', '--types', 'auditevents', '--json', '--state-dir', second]);
    expect(json.code).toBe(0);
    expect(pinned(json.stdout, second)).toMatchInlineSnapshot(`
      "{"type":"auditevents","result":"ok","events":1500,"pages":2,"hasMore":false,"stopReason":"caught_up","lagSeconds":<s>,"runs":1}
      "
    `);
    // The same alerts as the text run prints on stdout (pinned above), here on stderr.
    const alerts = (text: string) => /^Alerts published.*\n(?: {2}.*\n)*/m.exec(text)?.[0] ?? '<no alerts>';
    const textAlerts = alerts(pinned(text.stdout, first));
    expect(textAlerts).toMatch(/^Alerts published \(21, /);
    expect(
      pinned(json.stderr, second).replace(
        alerts(pinned(json.stderr, second)),
        '<the alerts of the text run>\n',
      ),
    ).toMatchInlineSnapshot(`
      "DEMO DATA: no OP_EVENTS_TOKEN was given, so this run collects generated demo events from a local
      Events API simulator on http://127.0.0.1:<port>. Nothing is sent to 1Password or AWS.
      First start: 8,500 demo events spanning 5 days were generated (<state>/simulator).
      To collect your own account's events: OP_EVENTS_TOKEN=<your Events API token> npm start -- --state-dir <new folder>
      (demo state and an account's state are kept in separate folders; "npx op-events check" tests a token first)

      Collecting auditevents (state: <state>)
        auditevents  page   1  +1000 events  (1000 so far)
        auditevents  page   2  +500 events  (1500 so far)

      <the alerts of the text run>
      Note: 3 events hold a field in another form than 1Password documents (auditevents 3), as happens when 1Password changes a field. Nothing is lost: they are stored exactly as sent, and only those fields read as NULL in the tables. The demo data includes a few on purpose. Details: "npx op-events status" lists the fields; "npm start -- --verbose" shows them run by run.
      Took <s> s.
      Next: npx op-events status   |   npx op-events query --named "Failed sign-ins"   |   npx op-events --help
      "
    `);
    expect(alerts(pinned(json.stderr, second))).toBe(textAlerts);
  });
});
