import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventsApiSimulator, INTROSPECT_PATH, makeFakeToken } from '../../local/events-api-simulator';
import { fetchPage, postPage } from './simulator-client';

const ALL = 'token-all';
const AUDIT_ONLY = 'token-audit-only';
const START = '2024-01-01T00:00:00Z';

function auditEvent(index: number, timestamp = `2024-01-01T00:${String(index % 60).padStart(2, '0')}:00Z`) {
  return { uuid: `EVENT${String(index).padStart(21, '0')}`, timestamp, action: 'create', seq: index };
}

describe('EventsApiSimulator paging', () => {
  let sim: EventsApiSimulator;

  beforeEach(async () => {
    sim = await EventsApiSimulator.start({
      tokens: {
        [ALL]: { features: ['auditevents', 'itemusages', 'signinattempts'] },
        [AUDIT_ONLY]: { features: ['auditevents'], accountUuid: 'ACCOUNTUUID234567ABCDEFGHI' },
      },
    });
  });
  afterEach(() => sim.stop());

  it('listens on 127.0.0.1', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('pages through the log in insertion order with has_more, then repeats the cursor when nothing is new', async () => {
    sim.addEvents(
      'auditevents',
      Array.from({ length: 250 }, (_, i) => auditEvent(i)),
    );
    const first = await fetchPage(sim, 'auditevents', { limit: 100, start_time: START }, ALL);
    expect(first.items.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(first.has_more).toBe(true);
    const second = await fetchPage(sim, 'auditevents', { cursor: first.cursor }, ALL);
    expect(second.items.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 100));
    expect(second.has_more).toBe(true);
    const third = await fetchPage(sim, 'auditevents', { cursor: second.cursor }, ALL);
    expect(third.items).toHaveLength(50);
    expect(third.has_more).toBe(false);

    const empty = await fetchPage(sim, 'auditevents', { cursor: third.cursor }, ALL);
    expect(empty).toEqual({ cursor: third.cursor, has_more: false, items: [] });
    const again = await fetchPage(sim, 'auditevents', { cursor: empty.cursor }, ALL);
    expect(again.cursor).toBe(third.cursor);
  });

  it('shows events appended later, late ones included, to a held cursor', async () => {
    sim.addEvents('auditevents', [auditEvent(1, '2024-01-01T10:00:00Z')]);
    const first = await fetchPage(sim, 'auditevents', { start_time: START }, ALL);
    expect(first.items).toHaveLength(1);

    const late = auditEvent(2, '2024-01-01T03:00:00.123456789Z');
    const newer = auditEvent(3, '2024-01-01T11:00:00Z');
    const beforeWindow = auditEvent(4, '2023-12-31T23:59:59.999999999Z');
    sim.addEvents('auditevents', [late, beforeWindow, newer]);

    const next = await fetchPage(sim, 'auditevents', { cursor: first.cursor }, ALL);
    expect(next.items.map((e) => e.seq)).toEqual([2, 3]);
    expect(next.cursor).not.toBe(first.cursor);
    expect(next.has_more).toBe(false);
  });

  it('reports has_more against the log as it is now and counts only matching events', async () => {
    sim.addEvents('auditevents', [auditEvent(1), auditEvent(2), auditEvent(3)]);
    const first = await fetchPage(sim, 'auditevents', { limit: 2, start_time: START }, ALL);
    expect(first.has_more).toBe(true);
    sim.addEvents('auditevents', [auditEvent(4, '2020-01-01T00:00:00Z')]);
    const second = await fetchPage(sim, 'auditevents', { cursor: first.cursor }, ALL);
    expect(second.items.map((e) => e.seq)).toEqual([3]);
    expect(second.has_more).toBe(false);
  });

  it('compares times exactly across fractional digits and offsets: start inclusive, end exclusive', async () => {
    const stamps = [
      '2024-01-01T00:00:00.499999999Z', // before start
      '2024-01-01T00:00:00.5Z', // == start
      '2024-01-01T01:00:00.500000001+01:00', // just after start
      '2023-12-31T19:00:00.7-05:00', // inside
      '2024-01-01T00:00:00.999999999Z', // just before end
      '2024-01-01T00:00:01Z', // == end
      '2024-01-01T00:00:01.000000000Z', // == end, nine zeros
    ];
    sim.addEvents(
      'auditevents',
      stamps.map((timestamp, i) => auditEvent(i, timestamp)),
    );
    const page = await fetchPage(
      sim,
      'auditevents',
      { start_time: '2024-01-01T00:00:00.500Z', end_time: '2024-01-01T00:00:01Z' },
      ALL,
    );
    expect(page.items.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('lets events without a readable timestamp through every window', async () => {
    sim.addEvents('auditevents', [{ uuid: 'NOTIME' }, { uuid: 'BADTIME', timestamp: 'yesterday' }]);
    const page = await fetchPage(sim, 'auditevents', { start_time: START }, ALL);
    expect(page.items.map((e) => e.uuid)).toEqual(['NOTIME', 'BADTIME']);
  });

  it('counts the events a client would collect now: after a cursor, or from a start time', async () => {
    sim.addEvents('auditevents', [
      auditEvent(1, '2024-01-01T10:00:00Z'),
      auditEvent(2, '2023-12-31T10:00:00Z'),
    ]);
    expect(sim.waitingEvents('auditevents', { startTime: START })).toBe(1);
    expect(sim.waitingEvents('auditevents', { startTime: '2023-12-01T00:00:00Z' })).toBe(2);
    const first = await fetchPage(sim, 'auditevents', { start_time: START }, ALL);
    expect(sim.waitingEvents('auditevents', { cursor: first.cursor })).toBe(0);
    // A late event inside the cursor's window counts, one before it does not.
    sim.addEvents('auditevents', [
      auditEvent(3, '2024-01-01T03:00:00Z'),
      auditEvent(4, '2023-12-31T23:00:00Z'),
    ]);
    expect(sim.waitingEvents('auditevents', { cursor: first.cursor })).toBe(1);
    const next = await fetchPage(sim, 'auditevents', { cursor: first.cursor }, ALL);
    expect(next.items.map((e) => e.seq)).toEqual([3]);
    expect(sim.waitingEvents('itemusages', { cursor: first.cursor })).toBeUndefined();
    sim.expireCursors();
    expect(sim.waitingEvents('auditevents', { cursor: first.cursor })).toBeUndefined();
  });

  it('returns each event byte for byte as added', async () => {
    const events = [
      {
        uuid: 'A',
        timestamp: '2024-01-01T00:00:00Z',
        name: 'Zoë "Q" 李雷 \u2028',
        n: 1e21,
        nested: { z: 1, a: [null] },
      },
      { timestamp: '2024-01-01T00:00:01Z', uuid: 'B', details: null, lat: -79.433 },
    ];
    sim.addEvents('auditevents', events);
    const texts = [
      '{"uuid":"C","timestamp":"2024-01-01T00:00:02Z","n":1.50,"s":"\\u00e9","big":12345678901234567890}',
    ];
    sim.addEventTexts('auditevents', texts);
    const raw = await postPage(sim, 'auditevents', { start_time: START }, ALL);
    expect(raw.text).toContain(`"items":[${events.map((e) => JSON.stringify(e)).join(',')},${texts[0]}]`);
  });

  it('can order page keys like the documentation examples', async () => {
    sim.setResponseKeyOrder(['items', 'cursor', 'has_more']);
    const raw = await postPage(sim, 'auditevents', { start_time: START }, ALL);
    expect(raw.text).toMatch(/^\{"items":\[\],"cursor":"[^"]+","has_more":false\}$/);
  });
});

describe('EventsApiSimulator request validation', () => {
  let sim: EventsApiSimulator;
  const now = Date.parse('2024-06-01T12:00:00Z');

  beforeEach(async () => {
    sim = await EventsApiSimulator.start({
      tokens: { [ALL]: { features: ['auditevents', 'itemusages'] } },
      clock: () => now,
    });
  });
  afterEach(() => sim.stop());

  it.each([
    ['limit 0', { limit: 0 }],
    ['limit 1001', { limit: 1001 }],
    ['fractional limit', { limit: 1.5 }],
    ['limit as text', { limit: '10' }],
    ['cursor with limit', { cursor: 'abc', limit: 10 }],
    ['cursor with start_time', { cursor: 'abc', start_time: START }],
    ['unknown field', { start_time: START, page: 2 }],
    ['bad start_time', { start_time: '2024-01-01 00:00:00' }],
    ['start_time without zone', { start_time: '2024-01-01T00:00:00' }],
    ['impossible date', { start_time: '2024-02-30T00:00:00Z' }],
    ['ten fractional digits', { start_time: '2024-01-01T00:00:00.1234567891Z' }],
    ['end before start', { start_time: '2024-01-02T00:00:00Z', end_time: '2024-01-01T00:00:00Z' }],
    ['empty cursor', { cursor: '' }],
    ['an array', []],
    ['not JSON', '{"limit":'],
    ['an empty body', ''],
  ])('answers 400 for %s', async (_name, body) => {
    const raw = await postPage(sim, 'auditevents', body, ALL);
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.text)).toMatchObject({ status: 400, message: expect.any(String) });
  });

  it('accepts limit 1 and 1000 and defaults to 100 events starting one hour back', async () => {
    const recent = Array.from({ length: 150 }, (_, i) => auditEvent(i, '2024-06-01T11:30:00Z'));
    sim.addEvents('auditevents', [auditEvent(999, '2024-06-01T10:59:59Z'), ...recent]);
    const page = await fetchPage(sim, 'auditevents', {}, ALL);
    expect(page.items).toHaveLength(100);
    expect(page.items[0]?.seq).toBe(0);
    expect((await fetchPage(sim, 'auditevents', { limit: 1 }, ALL)).items).toHaveLength(1);
    expect((await fetchPage(sim, 'auditevents', { limit: 1000 }, ALL)).items).toHaveLength(150);
  });

  it('rejects a garbled cursor, a cursor of another type, and expired cursors', async () => {
    const itemCursor = (await fetchPage(sim, 'itemusages', { start_time: START }, ALL)).cursor;
    const auditCursor = (await fetchPage(sim, 'auditevents', { start_time: START }, ALL)).cursor;

    const garbled = await postPage(sim, 'auditevents', { cursor: 'bm90IGEgY3Vyc29y' }, ALL);
    expect(garbled.status).toBe(400);
    const foreign = await postPage(sim, 'auditevents', { cursor: itemCursor }, ALL);
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.text).message).toMatch(/itemusages/);

    sim.expireCursors();
    const expired = await postPage(sim, 'auditevents', { cursor: auditCursor }, ALL);
    expect(expired.status).toBe(400);
    expect(JSON.parse(expired.text)).toEqual({ status: 400, message: 'cursor expired' });
    const fresh = await fetchPage(sim, 'auditevents', { start_time: START }, ALL);
    expect((await postPage(sim, 'auditevents', { cursor: fresh.cursor }, ALL)).status).toBe(200);
  });
});

describe('EventsApiSimulator tokens', () => {
  let sim: EventsApiSimulator;
  const token = makeFakeToken({
    host: 'events.1password.com',
    features: ['auditevents'],
    issuedAt: new Date('2024-03-01T10:00:00Z'),
    expiresAt: new Date('2025-03-01T10:00:00Z'),
    tokenUuid: 'TOKENUUID234567ABCDEFGHIJK',
  });

  beforeEach(async () => {
    sim = await EventsApiSimulator.start({
      tokens: { [token]: { features: ['auditevents'] }, [ALL]: { features: ['itemusages'] } },
    });
  });
  afterEach(() => sim.stop());

  it('builds a JWT-shaped ES256 token with the claims integrations read', () => {
    const [header, payload, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      aud: ['events.1password.com'],
      '1password.com/fts': ['auditevents'],
      '1password.com/tk': 'TOKENUUID234567ABCDEFGHIJK',
      sub: expect.any(String),
      iat: Date.parse('2024-03-01T10:00:00Z') / 1000,
      exp: Date.parse('2025-03-01T10:00:00Z') / 1000,
    });
    expect(signature).toMatch(/^[A-Za-z0-9_-]{80,}$/);
  });

  it('answers 401 without a token, for an unknown token and for a token lacking the feature', async () => {
    const unauthorized = { status: 401, message: 'Unauthorized' };
    for (const [type, bearer] of [
      ['auditevents', undefined],
      ['auditevents', 'not-a-known-token'],
      ['itemusages', token],
      ['signinattempts', ALL],
    ] as const) {
      const raw = await postPage(sim, type, { start_time: START }, bearer);
      expect(raw.status, `${type} with ${bearer}`).toBe(401);
      expect(JSON.parse(raw.text)).toEqual(unauthorized);
    }
    expect((await postPage(sim, 'auditevents', { start_time: START }, token)).status).toBe(200);
    expect((await postPage(sim, 'itemusages', { start_time: START }, ALL)).status).toBe(200);
  });

  it('introspects a token: uuid, issued_at, features, account_uuid', async () => {
    const response = await fetch(`${sim.url}${INTROSPECT_PATH}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      uuid: 'TOKENUUID234567ABCDEFGHIJK',
      issued_at: '2024-03-01T10:00:00Z',
      features: ['auditevents'],
      account_uuid: expect.stringMatching(/^[A-Z2-7]{26}$/),
    });
    const anonymous = await fetch(`${sim.url}${INTROSPECT_PATH}`);
    expect(anonymous.status).toBe(401);
    await anonymous.text();
  });

  it('answers 404 for unknown paths and 405 for the wrong method', async () => {
    const missing = await fetch(`${sim.url}/api/v2/unknown`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    await missing.text();
    const wrongMethod = await fetch(`${sim.url}/api/v2/auditevents`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(wrongMethod.status).toBe(405);
    await wrongMethod.text();
  });
});
