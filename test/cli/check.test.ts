import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeFakeToken } from '../../local/events-api-simulator';
import { expectNoTokenPiece } from '../support/token-pieces';
import { output, runBin, runCli, startTestApi, type TestApi, tokenWith } from './cli-harness';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());
afterEach(() => {
  api.sim.reset();
  vi.restoreAllMocks();
});

describe('op-events check', () => {
  it('reports host, account, features and dates from the token and introspection, never the token', async () => {
    const result = await runCli(['check'], api.env());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`host      ${api.sim.url} (from EVENTS_API_URL)`);
    expect(result.stdout).toContain('account   TESTACCOUNT000000000000000');
    expect(result.stdout).toContain('token id  TESTTOKENUUID0000000000000');
    expect(result.stdout).toContain('issued    2026-01-02 03:04:05Z');
    expect(result.stdout).toContain('expires   2099-01-01 00:00:00Z');
    expect(result.stdout).toContain(
      'features  auditevents, itemusages, signinattempts (granted, per introspection)',
    );
    expect(result.stdout).toMatch(/signinattempts\s+signinattempts\s+yes/);
    expect(output(result)).not.toContain(api.token);
    expect(api.sim.requestCount('/api/v2/auth/introspect')).toBe(1);
  });

  it('names the missing feature of a chosen type and exits 3', async () => {
    const token = tokenWith(api, ['auditevents', 'itemusages']);
    const result = await runCli(['check', '--types', 'itemusages,signinattempts'], api.env(token));
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/itemusages\s+itemusages\s+yes/);
    expect(result.stdout).toMatch(/signinattempts\s+signinattempts\s+NO/);
    expect(result.stderr).toContain('The token lacks signinattempts');
    expect(output(result)).not.toContain(token);
  });

  it('passes when only the granted types are chosen', async () => {
    const token = tokenWith(api, ['auditevents']);
    expect((await runCli(['check', '--types', 'auditevents'], api.env(token))).code).toBe(0);
  });

  it('refuses an expired token without asking the API (exit 3)', async () => {
    const token = makeFakeToken({
      host: 'events.1password.com',
      features: ['auditevents'],
      expiresAt: new Date('2020-01-01T00:00:00Z'),
    });
    api.sim.addToken(token, { features: ['auditevents'] });
    const result = await runCli(['check'], api.env(token));
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('EXPIRED');
    expect(result.stderr).toContain('The token has expired');
    expect(api.sim.requestCount()).toBe(0);
  });

  it('exits 3 when the API refuses the token', async () => {
    const unknown = makeFakeToken({
      host: 'events.1password.com',
      features: ['auditevents'],
      subject: 'revoked',
    });
    const result = await runCli(['check'], api.env(unknown));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('refused the token');
    expect(output(result)).not.toContain(unknown);
  });

  it('without any token says how to give one (exit 2)', async () => {
    const result = await runCli(['check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No token: set OP_EVENTS_TOKEN=');
    expect(result.stderr).toContain('--demo');
  });

  it('refuses an unknown type (exit 2) before any request', async () => {
    const result = await runCli(['check', '--types', 'auditevents,logins'], api.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Unknown event type "logins" in --types: use one of auditevents, itemusages, signinattempts.',
    );
    expect(api.sim.requestCount()).toBe(0);
  });

  it('refuses a host outside 1Password before any request is made (exit 2)', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const viaUrl = await runCli(['check'], {
      OP_EVENTS_TOKEN: api.token,
      EVENTS_API_URL: 'https://events.evil.example',
    });
    expect(viaUrl.code).toBe(2);
    expect(viaUrl.stderr).toContain('is not a 1Password events host');
    const foreign = makeFakeToken({ host: 'events.1password.com.evil.example', features: ['auditevents'] });
    const viaToken = await runCli(['check'], { OP_EVENTS_TOKEN: foreign });
    expect(viaToken.code).toBe(2);
    expect(viaToken.stderr).toContain("The token's audience (aud) host");
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(output(viaToken)).not.toContain(foreign);
  });

  it('reports an unreachable host as a runtime failure (exit 1)', async () => {
    const closed = await startTestApi();
    const url = closed.sim.url;
    await closed.stop();
    const result = await runCli(['check'], {
      OP_EVENTS_TOKEN: api.token,
      EVENTS_API_URL: url,
      EVENTS_API_ALLOW_LOOPBACK: 'true',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('did not answer GET /api/v2/auth/introspect usably after 3 attempts');
    expect(output(result)).not.toContain(api.token);
  });

  it('never echoes a token typed as an argument by mistake', async () => {
    const result = await runCli(['check', api.token], api.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unexpected argument');
    expect(output(result)).not.toContain(api.token);
  });

  it('works through the real bin from another directory, with the demo token', async () => {
    const result = await runBin(['check', '--demo', '--state-dir', '/nonexistent/op-events-state']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('DEMO: using the local Events API simulator');
    expect(result.stdout).toMatch(/host {6}http:\/\/127\.0\.0\.1:\d+ \(from EVENTS_API_URL\)/);
    expect(result.stdout).toContain('audience  events.1password.com');
  });
});

/** The output with the simulator's address (a new port each run) as <api>. */
function pinned(text: string): string {
  return text.replaceAll(api.sim.url, '<api>');
}

describe('op-events check output, pinned as it is printed', () => {
  // Ahead of the clock: the requests' deadlines are counted from it.
  const NOW = () => Date.parse('2098-06-01T00:00:00Z');

  it('every type granted: the text rows and the one --json object', async () => {
    const text = await runCli(['check'], api.env(), NOW);
    expect(text.code).toBe(0);
    expect(pinned(text.stdout)).toMatchInlineSnapshot(`
      "token     from OP_EVENTS_TOKEN (decoded claims; the token itself is never shown)
      host      <api> (from EVENTS_API_URL)
      account   TESTACCOUNT000000000000000
      token id  TESTTOKENUUID0000000000000
      audience  events.1password.com
      issued    2026-01-02 03:04:05Z
      expires   2099-01-01 00:00:00Z (in 214d)
      claims    features auditevents, itemusages, signinattempts
      features  auditevents, itemusages, signinattempts (granted, per introspection)

      type            feature         granted
      --------------  --------------  -------
      auditevents     auditevents     yes
      itemusages      itemusages      yes
      signinattempts  signinattempts  yes
      "
    `);
    expect(text.stderr).toBe('');
    const json = await runCli(['check', '--json'], api.env(), NOW);
    expect(json.code).toBe(0);
    expect(pinned(json.stdout)).toMatchInlineSnapshot(`
      "{"tokenFrom":"OP_EVENTS_TOKEN","host":"<api>","hostFrom":"EVENTS_API_URL","audience":["events.1password.com"],"issuedAt":"2026-01-02T03:04:05.000Z","expiresAt":"2099-01-01T00:00:00.000Z","expired":false,"claimedFeatures":["auditevents","itemusages","signinattempts"],"account":"TESTACCOUNT000000000000000","tokenId":"TESTTOKENUUID0000000000000","grantedFeatures":["auditevents","itemusages","signinattempts"],"types":[{"type":"auditevents","feature":"auditevents","granted":true},{"type":"itemusages","feature":"itemusages","granted":true},{"type":"signinattempts","feature":"signinattempts","granted":true}]}
      "
    `);
    expect(json.stderr).toBe('');
  });

  it('a type whose feature is missing: rows, --json and the note (exit 3)', async () => {
    const token = makeFakeToken({
      host: 'events.1password.com',
      features: ['auditevents'],
      issuedAt: new Date('2098-01-01T00:00:00Z'),
      tokenUuid: 'AUDITONLY00000000000000000',
    });
    api.sim.addToken(token, { features: ['auditevents'], accountUuid: 'TESTACCOUNT000000000000000' });
    const text = await runCli(['check'], api.env(token), NOW);
    expect(text.code).toBe(3);
    expect(pinned(text.stdout)).toMatchInlineSnapshot(`
      "token     from OP_EVENTS_TOKEN (decoded claims; the token itself is never shown)
      host      <api> (from EVENTS_API_URL)
      account   TESTACCOUNT000000000000000
      token id  AUDITONLY00000000000000000
      audience  events.1password.com
      issued    2098-01-01 00:00:00Z
      expires   never (no exp claim)
      claims    features auditevents
      features  auditevents (granted, per introspection)

      type            feature         granted
      --------------  --------------  -------
      auditevents     auditevents     yes
      itemusages      itemusages      NO
      signinattempts  signinattempts  NO
      "
    `);
    expect(text.stderr).toMatchInlineSnapshot(`
      "The token lacks itemusages, signinattempts: itemusages, signinattempts cannot be collected with it. Issue a token that includes them in 1Password (Integrations > Events Reporting), or leave those types out (--types).
      "
    `);
    const json = await runCli(['check', '--json', '--types', 'auditevents,itemusages'], api.env(token), NOW);
    expect(json.code).toBe(3);
    expect(pinned(json.stdout)).toMatchInlineSnapshot(`
      "{"tokenFrom":"OP_EVENTS_TOKEN","host":"<api>","hostFrom":"EVENTS_API_URL","audience":["events.1password.com"],"issuedAt":"2098-01-01T00:00:00.000Z","expired":false,"claimedFeatures":["auditevents"],"account":"TESTACCOUNT000000000000000","tokenId":"AUDITONLY00000000000000000","grantedFeatures":["auditevents"],"types":[{"type":"auditevents","feature":"auditevents","granted":true},{"type":"itemusages","feature":"itemusages","granted":false}]}
      "
    `);
    expect(json.stderr).toMatchInlineSnapshot(`
      "The token lacks itemusages: itemusages cannot be collected with it. Issue a token that includes it in 1Password (Integrations > Events Reporting), or leave that type out (--types).
      "
    `);
  });

  it('an expired token: what it says of itself, as text and --json (exit 3)', async () => {
    const token = makeFakeToken({
      host: 'events.1password.com',
      features: ['auditevents'],
      issuedAt: new Date('2098-01-01T00:00:00Z'),
      expiresAt: new Date('2098-05-30T22:00:00Z'),
    });
    const text = await runCli(['check'], api.env(token), NOW);
    expect(text.code).toBe(3);
    expect(pinned(text.stdout)).toMatchInlineSnapshot(`
      "token     from OP_EVENTS_TOKEN (decoded claims; the token itself is never shown)
      host      <api> (from EVENTS_API_URL)
      audience  events.1password.com
      issued    2098-01-01 00:00:00Z
      expires   2098-05-30 22:00:00Z (EXPIRED 1d 2h ago)
      claims    features auditevents
      "
    `);
    expect(text.stderr).toMatchInlineSnapshot(`
      "The token has expired. Issue a new one in 1Password (Integrations > Events Reporting) and put it in OP_EVENTS_TOKEN or the secret.
      "
    `);
    const json = await runCli(['check', '--json'], api.env(token), NOW);
    expect(json.code).toBe(3);
    expect(pinned(json.stdout)).toMatchInlineSnapshot(`
      "{"tokenFrom":"OP_EVENTS_TOKEN","host":"<api>","hostFrom":"EVENTS_API_URL","audience":["events.1password.com"],"issuedAt":"2098-01-01T00:00:00.000Z","expiresAt":"2098-05-30T22:00:00.000Z","expired":true,"claimedFeatures":["auditevents"]}
      "
    `);
  });
});

describe('op-events (dispatch)', () => {
  it('prints help per command and exits 0', async () => {
    for (const command of ['check', 'get', 'status', 'reset', 'undo', 'accept-account', 'query']) {
      const result = await runCli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: op-events ${command}`);
    }
  });

  it('rejects unknown commands and options with exit 2 and a pointer to --help', async () => {
    const unknownCommand = await runCli(['collect']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain('Unknown command "collect"');
    const unknownOption = await runCli(['status', '--tpyes', 'auditevents']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain(
      'Unknown option --tpyes. Run "op-events status --help" for the options.',
    );
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Commands:');
  });
});

describe('op-events with a token that does not come out clean', () => {
  it.each([
    ['a line break', '\n'],
    ['a carriage return and line feed', '\r\n'],
    ['a zero-width space', '\u200b'],
    ['a NUL', '\u0000'],
  ])('refuses OP_EVENTS_TOKEN with %s inside, naming where, before any request (exit 2)', async (_, bad) => {
    const before = api.sim.requestCount();
    const result = await runCli(['check'], api.env(`${api.token.slice(0, 50)}${bad}${api.token.slice(50)}`));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/OP_EVENTS_TOKEN holds a token with .* at character 51 of/);
    expect(result.stderr).toContain('Re-save it as one line');
    expect(api.sim.requestCount()).toBe(before);
    expectNoTokenPiece(output(result), api.token);
  });

  it.each([
    ['cut off after its payload', (t: string) => t.slice(0, t.lastIndexOf('.'))],
    ['cut off inside its payload', (t: string) => t.slice(0, t.indexOf('.') + 12)],
    ['pasted twice', (t: string) => `${t}${t}`],
  ])('says a token %s looks garbled and to copy it again, before any request (exit 2)', async (_, garble) => {
    const before = api.sim.requestCount();
    const garbled = garble(api.token);
    // No EVENTS_API_URL: the host would come from the token, which cannot be read.
    const result = await runCli(['check'], { OP_EVENTS_TOKEN: garbled });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('OP_EVENTS_TOKEN holds a token that looks garbled or incomplete');
    expect(result.stderr).toContain('Copy the whole token again from the 1Password item');
    expect(result.stderr).not.toContain('EVENTS_API_URL');
    expect(api.sim.requestCount()).toBe(before);
    expectNoTokenPiece(output(result), api.token);
  });

  it.each([
    ['payload', 1],
    ['signature', 2],
  ])('prints nothing of a token whose %s the API echoes', async (_, part) => {
    const token = tokenWith(api, ['auditevents']);
    api.sim.enqueueFault({
      kind: 'status',
      status: 401,
      body: JSON.stringify({ status: 401, message: `bad token part ${token.split('.')[part]}` }),
    });
    const result = await runCli(['check', '--types', 'auditevents'], api.env(token));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('refused the token');
    expectNoTokenPiece(output(result), token);
  });
});
