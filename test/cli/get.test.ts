import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toWholeSecondRfc3339 } from '../../shared/util/timestamp';
import {
  fileSnapshot,
  output,
  removeTempDirs,
  runBin,
  runCli,
  startTestApi,
  type TestApi,
  tempDir,
  tokenWith,
} from './cli-harness';

const HOUR = 3_600_000;
let api: TestApi;
const now = Date.now();
/** 30 sign-in attempts, one an hour from 30 hours ago; the fifth has number and escape spellings to keep. */
const texts = Array.from({ length: 30 }, (_, i) => {
  const timestamp = new Date(now - (30 - i) * HOUR).toISOString();
  const extra = i === 4 ? ',"score":1.50,"note":"caf\\u00e9"' : '';
  return `{"uuid":"EVENT${String(i).padStart(21, '0')}","timestamp":"${timestamp}","category":"${i % 3 === 0 ? 'credentials_failed' : 'success'}","type":"credentials_ok","country":"NL","target_user":{"email":"user${i}@example.com"},"client":{"ip_address":"192.0.2.${i}"}${extra}}`;
});

beforeAll(async () => {
  api = await startTestApi();
  api.sim.addEventTexts('signinattempts', texts);
});
afterAll(() => api.stop());
afterEach(() => {
  api.sim.reset();
  removeTempDirs();
});

function pageRequests() {
  return api.sim.requests.filter((r) => r.path === '/api/v2/signinattempts').map((r) => r.body);
}

describe('op-events get', () => {
  it('prints a table of the key fields from a fresh request and stores no cursor', async () => {
    const result = await runCli(
      ['get', '--type', 'signinattempts', '--from', '10h', '--limit', '5'],
      api.env(),
      () => now,
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^time\s+uuid\s+category\s+type\s+user\s+country\s+ip$/);
    expect(lines.slice(2, 7).map((line) => line.split(/\s+/)[1])).toEqual(
      [20, 21, 22, 23, 24].map((i) => `EVENT${String(i).padStart(21, '0')}`),
    );
    expect(lines[2]).toContain('user20@example.com');
    expect(result.stdout).toContain(
      `5 signinattempts events since ${toWholeSecondRfc3339(now - 10 * HOUR)} at ${api.sim.url}`,
    );
    expect(result.stdout).toContain('more exist');
    expect(result.stdout).toContain('No cursor was stored.');
    expect(pageRequests()).toEqual([{ limit: 5, start_time: toWholeSecondRfc3339(now - 10 * HOUR) }]);
    expect(output(result)).not.toContain(api.token);
  });

  it('--json prints each event exactly as the API sent it', async () => {
    const result = await runCli(
      ['get', '--type', 'signinattempts', '--from', '2d', '--limit', '100', '--json'],
      api.env(),
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(texts);
    expect(result.stdout).toContain('"score":1.50,"note":"caf\\u00e9"');
    expect(result.stderr).toContain('30 signinattempts events');
  });

  it('pages with the cursor up to --limit, inside --from and --to', async () => {
    const from = new Date(now - 20 * HOUR - 60_000).toISOString();
    const to = new Date(now - 5 * HOUR - 60_000).toISOString();
    const result = await runCli(
      ['get', '--type', 'signinattempts', '--from', from, '--to', to, '--limit', '12', '--json'],
      api.env(),
    );
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(texts.slice(10, 22));
    const [first] = pageRequests();
    expect(first).toEqual({
      limit: 12,
      start_time: toWholeSecondRfc3339(Date.parse(from)),
      end_time: toWholeSecondRfc3339(Date.parse(to)),
    });
  });

  it('follows cursors across pages when the limit exceeds a page', async () => {
    api.sim.addEvents(
      'itemusages',
      Array.from({ length: 1_205 }, (_, i) => ({
        uuid: `U${i}`,
        timestamp: new Date(now - HOUR + i).toISOString(),
        action: 'fill',
      })),
    );
    const result = await runCli(['get', '--type', 'itemusages', '--limit', '1500', '--json'], api.env());
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1_205);
    expect(result.stderr).toContain('(2 pages)');
  });

  it.each([
    [['--from', 'yesterday'], '--from "yesterday" is not a time.'],
    [['--from', '2026-01-05T08:00:00'], 'It has no time zone: add Z for UTC.'],
    [['--from', new Date(now + 2 * HOUR).toISOString()], 'is in the future'],
    [
      ['--from', new Date(now - 121 * 24 * HOUR).toISOString()],
      'older than the Events API keeps events (120 days',
    ],
    [['--from', new Date(now - 121 * 24 * HOUR).toISOString()], '). Give a later time.'],
    [['--from', '2h', '--to', '3h'], 'must be after --from'],
    [['--limit', '0'], '--limit must be a whole number from 1 to 100000 (got "0").'],
  ])('refuses %j with a clear message (exit 2) before any request', async (extra, message) => {
    const result = await runCli(['get', '--type', 'signinattempts', ...extra], api.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(api.sim.requestCount()).toBe(0);
  });

  it('refuses a missing or unknown type (exit 2)', async () => {
    const missing = await runCli(['get'], api.env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--type is required: one of auditevents, itemusages, signinattempts.');
    const unknown = await runCli(['get', '--type', 'signins'], api.env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown event type "signins" in --type');
  });

  it('with a token lacking the feature: exit 3, no page request, nothing written even with --push', async () => {
    const state = join(tempDir(), 'state');
    const token = tokenWith(api, ['auditevents']);
    const result = await runCli(
      ['get', '--type', 'signinattempts', '--push', '--state-dir', state],
      api.env(token),
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('The token lacks the signinattempts feature (granted: auditevents)');
    expect(pageRequests()).toEqual([]);
    expect(existsSync(state)).toBe(false);
    expect(output(result)).not.toContain(token);
  });

  it('--push writes the events with the collector encoder into the local bucket layout', async () => {
    const state = tempDir();
    const result = await runCli(
      ['get', '--type', 'signinattempts', '--from', '2d', '--limit', '30', '--push', '--state-dir', state],
      api.env(),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Pushed 30 events');
    const root = join(state, 's3', 'events', 'signinattempts');
    const lines = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.gz'))
      .flatMap((name) =>
        gunzipSync(readFileSync(join(root, name)))
          .toString('utf8')
          .trim()
          .split('\n'),
      );
    expect(lines).toHaveLength(30);
    for (const line of lines) {
      const parsed = JSON.parse(line) as {
        uuid: string;
        _collector: { type: string; event_date: string; run_id: string };
      };
      expect(parsed._collector.type).toBe('signinattempts');
      expect(parsed._collector.run_id).toMatch(/^op-events-get-/);
      const original = texts.find((text) => text.includes(parsed.uuid))!;
      // The event's own text follows the metadata unchanged.
      expect(line.endsWith(original.slice(1))).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(state, 'source.json'), 'utf8'))).toEqual({
      kind: 'events-api',
      host: api.sim.url,
    });

    // Demo events must not be pushed into a folder holding an account's events.
    const before = fileSnapshot(state);
    const demo = await runCli(['get', '--type', 'signinattempts', '--demo', '--push', '--state-dir', state]);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain(`holds events from ${api.sim.url}, not demo data from the local simulator`);
    expect(fileSnapshot(state)).toEqual(before);
  });

  it('--stream needs --push', async () => {
    const result = await runCli(['get', '--type', 'signinattempts', '--stream', 'x'], api.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--stream names where --push sends events');
  });

  it('works through the real bin with the demo data', async () => {
    const result = await runBin([
      'get',
      '--demo',
      '--type',
      'itemusages',
      '--from',
      '7d',
      '--limit',
      '3',
      '--json',
      '--state-dir',
      tempDir(),
    ]);
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { uuid: string });
    expect(events).toHaveLength(3);
    expect(events.every((event) => typeof event.uuid === 'string')).toBe(true);
  });
});

describe('op-events get output, pinned as it is printed', () => {
  /** The output with the simulator's address as <api>, the state folder as <state>, event times as <time>. */
  function pinned(text: string, state = '<no state>'): string {
    return text
      .replaceAll(api.sim.url, '<api>')
      .replaceAll(state, '<state>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(/run id op-events-get-[\w-]+/, 'run id <run>');
  }
  const get = (...args: string[]) =>
    runCli(['get', '--type', 'signinattempts', '--from', '10h', ...args], api.env(), () => now);

  it('--json: every event exactly as sent, one per line, and the summary on stderr', async () => {
    const result = await get('--limit', '3', '--json');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${texts.slice(20, 23).join('\n')}\n`);
    expect(pinned(result.stderr)).toMatchInlineSnapshot(`
      "3 signinattempts events since <time> at <api> (1 page; more exist: raise --limit or narrow --from/--to). No cursor was stored.
      "
    `);
  });

  it('as a table with the summary; --push adds a note on stderr', async () => {
    const state = tempDir();
    const result = await get('--limit', '2', '--push', '--state-dir', state);
    expect(result.code).toBe(0);
    expect(pinned(result.stdout, state)).toMatchInlineSnapshot(`
      "time                      uuid                        category            type            user                country  ip
      ------------------------  --------------------------  ------------------  --------------  ------------------  -------  ----------
      <time>  EVENT000000000000000000020  success             credentials_ok  user20@example.com  NL       192.0.2.20
      <time>  EVENT000000000000000000021  credentials_failed  credentials_ok  user21@example.com  NL       192.0.2.21
      2 signinattempts events since <time> at <api> (1 page; more exist: raise --limit or narrow --from/--to). No cursor was stored.
      "
    `);
    expect(pinned(result.stderr, state)).toMatchInlineSnapshot(`
      "Pushed 2 events (1 record) to local Firehose stand-in (stream op-events-signinattempts) writing to <state>/s3, run id <run>. Athena's *_unique views drop any that were already collected.
      "
    `);
    const json = await get('--to', '9h', '--json', '--push', '--state-dir', state);
    expect(json.code).toBe(0);
    expect(pinned(json.stderr, state)).toMatchInlineSnapshot(`
      "1 signinattempts event between <time> and <time> at <api> (1 page). No cursor was stored.
      Pushed 1 events (1 record) to local Firehose stand-in (stream op-events-signinattempts) writing to <state>/s3, run id <run>. Athena's *_unique views drop any that were already collected.
      "
    `);
  });
});
