import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EventsApiClient,
  MAX_RESPONSE_BODY_BYTES,
} from '../../../../shared/collector/events-api/events-api-client';
import type { TokenSource } from '../../../../shared/collector/events-api/token-source';
import { specFor } from '../../../../shared/contracts/event-types';
import {
  ApiUnavailableError,
  AuthError,
  CursorRejectedError,
  HostNotAllowedError,
  OutOfTimeError,
  RequestRejectedError,
  ResponseTooLargeError,
  SecretError,
  ThrottledError,
} from '../../../../shared/util/errors';
import { json, type Reply, ScriptedServer, silentFor, torn } from '../../../support/scripted-server';
import { expectNoTokenPiece } from '../../../support/token-pieces';

// An ES256 JWT's shape: a header, a payload naming the host, an 86-character signature (filler).
const TOKEN = `eyJhbGciOiJFUzI1NiJ9.eyJhdWQiOlsiZXZlbnRzLjFwYXNzd29yZC5jb20iXX0.${'c2lnbmF0dXJl'.repeat(7)}c2`;
const page = { cursor: 'c2', has_more: false, items: [{ uuid: 'A' }] };
const spec = specFor('signinattempts');

let server: ScriptedServer;
beforeAll(async () => {
  server = await ScriptedServer.start();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.seen.length = 0;
});

class FixedTokens implements TokenSource {
  refreshes = 0;
  constructor(private readonly tokens: string[]) {}
  async get() {
    return this.tokens[Math.min(this.refreshes, this.tokens.length - 1)] as string;
  }
  async refresh() {
    this.refreshes++;
    return this.refreshes < this.tokens.length;
  }
}

function client(
  options: { tokens?: TokenSource; timeoutMs?: number; maxAttempts?: number; waits?: number[] } = {},
) {
  return new EventsApiClient({
    tokens: options.tokens ?? new FixedTokens([TOKEN]),
    configuredUrl: server.url,
    allowLoopback: true,
    timeoutMs: options.timeoutMs ?? 2000,
    retry: { maxAttempts: options.maxAttempts ?? 4, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5000 },
    sleep: async (ms) => {
      options.waits?.push(ms);
    },
  });
}

const soon = () => Date.now() + 30_000;

/** The error `request` fails with; a request that succeeds fails the test. */
const failureOf = (request: Promise<unknown>): Promise<Error> =>
  request.then(
    () => {
      throw new Error('expected the request to fail, and it succeeded');
    },
    (error: unknown) => error as Error,
  );

describe('EventsApiClient', () => {
  it('posts the body with the bearer token and parses the page', async () => {
    server.script(json(200, page));
    const result = await client().fetchPage(spec, { limit: 10, start_time: '2026-01-01T00:00:00Z' }, soon());
    expect(result.rawItems).toEqual(['{"uuid":"A"}']);
    expect(server.seen[0]).toMatchObject({
      method: 'POST',
      path: '/api/v2/signinattempts',
      body: '{"limit":10,"start_time":"2026-01-01T00:00:00Z"}',
      authorization: `Bearer ${TOKEN}`,
    });
  });

  it('retries 429 honouring Retry-After, then 5xx, torn and malformed bodies, and counts them', async () => {
    const waits: number[] = [];
    server.script(
      json(429, { status: 429, message: 'Too Many Requests' }, { 'retry-after': '2' }),
      json(503, { Error: { Message: 'down' } }),
      torn(page),
      json(200, { cursor: 'c', has_more: 'maybe', items: [] }),
      json(200, page),
    );
    const c = client({ waits, maxAttempts: 6 });
    const result = await c.fetchPage(spec, { cursor: 'c1' }, soon());
    expect(result.cursor).toBe('c2');
    expect(waits[0]).toBe(2000);
    expect(c.stats).toEqual({ requests: 5, retries: 4, throttles: 1 });
    // Every retry re-sends the very same body: a fault never advances the position.
    expect(new Set(server.seen.map((r) => r.body))).toEqual(new Set(['{"cursor":"c1"}']));
  });

  it('times out a request that does not answer and retries it', async () => {
    server.script(silentFor(1500, json(200, page)), json(200, page));
    const result = await client({ timeoutMs: 200 }).fetchPage(spec, { cursor: 'c1' }, soon());
    expect(result.cursor).toBe('c2');
    expect(server.seen).toHaveLength(2);
  });

  it('gives up with ApiUnavailableError naming the last problem', async () => {
    server.script(json(500, {}), json(500, {}), json(502, { message: 'bad gateway' }));
    await expect(client({ maxAttempts: 3 }).fetchPage(spec, { cursor: 'c1' }, soon())).rejects.toThrow(
      /after 3 attempts \(last: 502 bad gateway\)/,
    );
  });

  it('stops retrying rather than sleep past the deadline', async () => {
    server.script(json(503, {}));
    await expect(
      client({ maxAttempts: 10 }).fetchPage(spec, { cursor: 'c1' }, Date.now() + 1),
    ).rejects.toThrow(OutOfTimeError);
    expect(server.seen.length).toBeLessThanOrEqual(1);
  });

  it('stops as throttled, not unavailable, on a Retry-After longer than allowed', async () => {
    server.script(json(429, {}, { 'retry-after': '3600' }));
    const error = await client()
      .fetchPage(spec, { cursor: 'c1' }, soon())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as Error).message).toMatch(/asked to wait 3600 s/);
  });

  it('stops as throttled when 429s last until the deadline or the attempts run out', async () => {
    server.script(json(429, {}, { 'retry-after': '20' }));
    await expect(client().fetchPage(spec, { cursor: 'c1' }, Date.now() + 10_000)).rejects.toThrow(
      ThrottledError,
    );
    server.script(json(429, {}), json(429, {}), json(429, {}));
    await expect(client({ maxAttempts: 3 }).fetchPage(spec, { cursor: 'c1' }, soon())).rejects.toThrow(
      /kept answering 429 .*3 attempts/,
    );
  });

  it('bounds a request by the deadline and reports running out of time, not an outage', async () => {
    server.script(silentFor(1500, json(200, page)));
    const started = Date.now();
    const error = await client({ timeoutMs: 10_000, maxAttempts: 1 })
      .fetchPage(spec, { cursor: 'c1' }, started + 300)
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1400);
    expect(error).toBeInstanceOf(OutOfTimeError);
    // A timeout at the request's own limit is the API's fault.
    server.script(silentFor(1500, json(200, page)));
    await expect(
      client({ timeoutMs: 200, maxAttempts: 1 }).fetchPage(spec, { cursor: 'c1' }, soon()),
    ).rejects.toThrow(ApiUnavailableError);
  });

  it('re-reads the token once on 401 and retries with the new one', async () => {
    const tokens = new FixedTokens([TOKEN, `${TOKEN}x`]);
    server.script(json(401, { status: 401, message: 'Unauthorized' }), json(200, page));
    await client({ tokens }).fetchPage(spec, { cursor: 'c1' }, soon());
    expect(server.seen.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}x`]);
  });

  it('does not retry 401/403 when the token is unchanged, and never echoes the token', async () => {
    server.script(json(403, { message: `denied for ${TOKEN}` }));
    const error = await client()
      .fetchPage(spec, { cursor: 'c1' }, soon())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(
      /refused the token for \/api\/v2\/signinattempts \(403 denied for \[REDACTED TOKEN\]\)/,
    );
    expect((error as Error).message).not.toContain(TOKEN);
    expect(server.seen).toHaveLength(1);
  });

  it('tells a rejected cursor from a rejected reset body', async () => {
    server.script(json(400, { status: 400, message: 'cursor expired' }), json(400, { message: 'bad limit' }));
    await expect(client().fetchPage(spec, { cursor: 'old' }, soon())).rejects.toThrow(CursorRejectedError);
    await expect(
      client().fetchPage(spec, { limit: 10, start_time: '2026-01-01T00:00:00Z' }, soon()),
    ).rejects.toThrow(RequestRejectedError);
  });

  it('reads both introspection shapes', async () => {
    server.script(
      json(200, {
        uuid: 'U',
        issued_at: '2024-01-01T00:00:00Z',
        features: ['auditevents'],
        account_uuid: 'A',
      }),
      json(200, { UUID: 'U1', IssuedAt: '2023-01-01T00:00:00Z', Features: ['itemusages'] }),
    );
    expect(await client().introspect(soon())).toEqual({
      uuid: 'U',
      issuedAt: '2024-01-01T00:00:00Z',
      features: ['auditevents'],
      accountUuid: 'A',
    });
    expect((await client().introspect(soon())).features).toEqual(['itemusages']);
    expect(server.seen[0]).toMatchObject({ method: 'GET', path: '/api/v2/auth/introspect' });
  });

  it('refuses a host outside 1Password before sending anything', async () => {
    const c = new EventsApiClient({
      tokens: new FixedTokens([TOKEN]),
      configuredUrl: 'https://evil.example',
      allowLoopback: false,
      timeoutMs: 100,
    });
    await expect(c.fetchPage(spec, { cursor: 'x' }, soon())).rejects.toThrow(HostNotAllowedError);
    expect(c.stats.requests).toBe(0);
  });
});

describe('the token never leaves in an error', () => {
  // A token shaped like 1Password's: header, payload and an 86-character ES256 signature.
  const LONG =
    'eyJhbGciOiJFUzI1NiIsImtpZCI6ImV4YW1wbGUifQ.eyJhdWQiOlsiZXZlbnRzLjFwYXNzd29yZC5jb20iXSwic3ViIjoiVEVTVCJ9.' +
    'TWFkZVVwU2lnbmF0dXJlRm9yVGVzdGluZ1JlZGFjdGlvbk9mRXZlcnlQYXJ0T2ZUaGVUb2tlbkVTMjU2QUFBQUFBQQ';
  const [, payload, signature] = LONG.split('.') as [string, string, string];
  beforeEach(() => server.clearReplies());
  const text =
    (status: number, body: string): Reply =>
    (res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    };

  it.each([
    ['401 echoing the payload', json(401, { status: 401, message: `bad claims ${payload}` })],
    ['403 echoing the signature', json(403, { message: `signature ${signature} not valid` })],
    ['401 echoing a piece of the signature', json(401, { message: `sig ${signature.slice(30, 50)}...` })],
    ['400 echoing the whole token', json(400, { Error: { Message: `token ${LONG} malformed` } })],
    ['418 echoing the signature as text', text(418, `no: ${signature}`)],
    ['500s echoing the signature', json(500, { message: `internal: ${signature}` })],
    ['a 200 that is the token itself', text(200, LONG)],
    ['a 200 that is the signature itself', text(200, signature)],
  ])('%s', async (_, reply) => {
    server.script(reply, reply);
    const error = await failureOf(
      client({ tokens: new FixedTokens([LONG]), maxAttempts: 2 }).fetchPage(
        spec,
        { limit: 10, start_time: '2026-01-01T00:00:00Z' },
        soon(),
      ),
    );
    expect(error).toBeInstanceOf(Error);
    expectNoTokenPiece(`${error.name}: ${error.message}\n${error.stack}`, LONG);
  });

  it('a token with a line break inside is never sent and not retried as a network error', async () => {
    const withBreak = `${LONG.slice(0, 70)}\r\n${LONG.slice(70)}`;
    const error = await failureOf(
      client({ tokens: new FixedTokens([withBreak]), maxAttempts: 6 }).fetchPage(
        spec,
        { cursor: 'c1' },
        soon(),
      ),
    );
    expect(error).toBeInstanceOf(SecretError);
    expect(error.message).toMatch(/carriage return \(U\+000D\) at character 71/);
    expect(server.seen).toHaveLength(0);
    expectNoTokenPiece(error.message, LONG);
  });
});

describe('response bodies over the limit', () => {
  beforeEach(() => server.clearReplies());

  /** A 200 streamed in 64 KiB chunks (no Content-Length) up to `total` bytes; `written` counts what left. */
  function streamed(total: number, sent: { bytes: number; closedEarly: boolean }): Reply {
    return (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      res.on('close', () => {
        sent.closedEarly = sent.bytes < total;
      });
      const pump = () => {
        while (sent.bytes < total) {
          sent.bytes += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    };
  }

  it('a declared Content-Length over the limit fails the run clearly, without retrying', async () => {
    server.script(json(200, { cursor: 'c', has_more: false, items: [{ pad: 'x'.repeat(2000) }] }));
    const error = await failureOf(
      new EventsApiClient({
        tokens: new FixedTokens([TOKEN]),
        configuredUrl: server.url,
        allowLoopback: true,
        timeoutMs: 2000,
        maxBodyBytes: 1000,
      }).fetchPage(spec, { cursor: 'c1' }, soon()),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error.message).toMatch(/POST \/api\/v2\/signinattempts .* body larger than 1000 bytes/);
    expect(error.message).toMatch(/Nothing was committed/);
    expect(server.seen).toHaveLength(1);
  });

  it(`a streamed body is cut off once past MAX_RESPONSE_BODY_BYTES (${MAX_RESPONSE_BODY_BYTES} bytes), not read whole`, async () => {
    const sent = { bytes: 0, closedEarly: false };
    const total = 2 * MAX_RESPONSE_BODY_BYTES;
    server.script(streamed(total, sent));
    const error = await failureOf(client().fetchPage(spec, { cursor: 'c1' }, soon()));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent.closedEarly).toBe(true);
    expect(sent.bytes).toBeLessThan(total);
    expect(server.seen).toHaveLength(1);
  });

  it('a body at the limit is read', async () => {
    const body = JSON.stringify(page);
    server.script(json(200, body));
    const c = new EventsApiClient({
      tokens: new FixedTokens([TOKEN]),
      configuredUrl: server.url,
      allowLoopback: true,
      timeoutMs: 2000,
      maxBodyBytes: Buffer.byteLength(body),
    });
    expect((await c.fetchPage(spec, { cursor: 'c1' }, soon())).cursor).toBe('c2');
  });
});
