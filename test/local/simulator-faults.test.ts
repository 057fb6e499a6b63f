import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventsApiSimulator } from '../../local/events-api-simulator';
import { fetchPage, postPage } from './simulator-client';

const TOKEN = 'fault-test-token';
const START = '2024-01-01T00:00:00Z';
const AUDIT_PATH = '/api/v2/auditevents';

function events(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => ({
    uuid: `E${from + i}`,
    timestamp: '2024-01-01T12:00:00Z',
    seq: from + i,
  }));
}

describe('EventsApiSimulator faults', () => {
  let sim: EventsApiSimulator;

  beforeEach(async () => {
    sim = await EventsApiSimulator.start({
      tokens: { [TOKEN]: { features: ['auditevents', 'itemusages', 'signinattempts'] } },
    });
    sim.addEvents('auditevents', events(5));
  });
  afterEach(() => sim.stop());

  it('answers a 429 with Retry-After and the current error shape', async () => {
    sim.enqueueFault({ kind: 'status', status: 429, retryAfter: '7' });
    const raw = await postPage(sim, 'auditevents', { start_time: START }, TOKEN);
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('7');
    expect(JSON.parse(raw.text)).toEqual({ status: 429, message: 'Too Many Requests' });
  });

  it('answers a 500 in the older error shape, 502 as gateway HTML, and a custom body when given', async () => {
    sim.enqueueFault(
      { kind: 'status', status: 500 },
      { kind: 'status', status: 502 },
      { kind: 'status', status: 503, body: '{"status":503,"message":"maintenance"}' },
    );
    const internal = await postPage(sim, 'auditevents', { start_time: START }, TOKEN);
    expect(internal.status).toBe(500);
    expect(JSON.parse(internal.text)).toEqual({ Error: { Message: 'Internal Server Error' } });
    const gateway = await postPage(sim, 'auditevents', { start_time: START }, TOKEN);
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toBe('text/html');
    const custom = await postPage(sim, 'auditevents', { start_time: START }, TOKEN);
    expect(custom.status).toBe(503);
    expect(JSON.parse(custom.text).message).toBe('maintenance');
  });

  it('tears a response: full content-length, half the body, then the connection is cut', async () => {
    sim.enqueueFault({ kind: 'torn' });
    await expect(postPage(sim, 'auditevents', { start_time: START }, TOKEN)).rejects.toThrow();
    expect(sim.requests.at(-1)).toMatchObject({ fault: 'torn', status: 200 });
  });

  it('cuts a connection without answering', async () => {
    sim.enqueueFault({ kind: 'reset' });
    await expect(postPage(sim, 'auditevents', { start_time: START }, TOKEN)).rejects.toThrow();
    expect(sim.requests.at(-1)).toMatchObject({ fault: 'reset', status: 0 });
  });

  it('sends a complete 200 whose JSON is cut short', async () => {
    sim.enqueueFault({ kind: 'truncated-json' });
    const raw = await postPage(sim, 'auditevents', { start_time: START }, TOKEN);
    expect(raw.status).toBe(200);
    expect(raw.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(raw.text)).toThrow();
  });

  it('sends a 200 with valid JSON of the wrong shape', async () => {
    sim.enqueueFault({ kind: 'malformed' });
    const raw = await postPage(sim, 'auditevents', { start_time: START }, TOKEN);
    expect(raw.status).toBe(200);
    expect(Array.isArray(JSON.parse(raw.text).items)).toBe(false);
  });

  it('delays an answer past a client timeout, and answers normally when the client waits', async () => {
    sim.enqueueFault({ kind: 'delay', ms: 300 });
    await expect(
      postPage(sim, 'auditevents', { start_time: START }, TOKEN, { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow(/timeout|abort/i);
    sim.enqueueFault({ kind: 'delay', ms: 30 });
    const started = Date.now();
    const page = await fetchPage(sim, 'auditevents', { start_time: START }, TOKEN);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(page.items).toHaveLength(5);
  });

  it('never moves a position: the same body after any fault gets the same page', async () => {
    const first = await fetchPage(sim, 'auditevents', { limit: 2, start_time: START }, TOKEN);
    const expected = await fetchPage(sim, 'auditevents', { cursor: first.cursor }, TOKEN);
    sim.enqueueFault({ kind: 'torn' }, { kind: 'reset' }, { kind: 'truncated-json' }, { kind: 'malformed' });
    sim.enqueueFault({ kind: 'status', status: 503 });
    for (let attempt = 0; attempt < 5; attempt++) {
      await postPage(sim, 'auditevents', { cursor: first.cursor }, TOKEN).catch(() => undefined);
    }
    expect(sim.pendingFaults).toBe(0);
    expect(await fetchPage(sim, 'auditevents', { cursor: first.cursor }, TOKEN)).toEqual(expected);
  });

  it('keeps a queued fault with a path for a request to that path', async () => {
    sim.enqueueFault({ kind: 'status', status: 500, path: '/api/v2/itemusages' });
    expect((await postPage(sim, 'auditevents', { start_time: START }, TOKEN)).status).toBe(200);
    expect(sim.pendingFaults).toBe(1);
    expect((await postPage(sim, 'itemusages', { start_time: START }, TOKEN)).status).toBe(500);
  });

  it('follows a fault plan for requests no queued fault matches', async () => {
    sim.setFaultPlan(({ n }) => (n % 2 === 0 ? { kind: 'status', status: 504 } : undefined));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await postPage(sim, 'auditevents', { start_time: START }, TOKEN)).status);
    expect(statuses).toEqual([200, 504, 200, 504]);
    sim.setFaultPlan(undefined);
  });

  it('answers a stuck type with has_more, no items and the same cursor forever', async () => {
    sim.setStuckCursor('auditevents');
    const first = await fetchPage(sim, 'auditevents', { start_time: START }, TOKEN);
    expect(first).toMatchObject({ has_more: true, items: [] });
    for (let i = 0; i < 3; i++) {
      expect(await fetchPage(sim, 'auditevents', { cursor: first.cursor }, TOKEN)).toEqual(first);
    }
    sim.setStuckCursor('auditevents', false);
    expect((await fetchPage(sim, 'auditevents', { cursor: first.cursor }, TOKEN)).items).toHaveLength(5);
  });

  it('logs requests with the token redacted and counts them per path', async () => {
    await postPage(sim, 'auditevents', { start_time: START }, TOKEN);
    await postPage(sim, 'itemusages', { limit: 5 }, TOKEN);
    await postPage(sim, 'itemusages', { limit: 5 }, undefined);
    expect(sim.requestCount(AUDIT_PATH)).toBe(1);
    expect(sim.requestCount('/api/v2/itemusages')).toBe(2);
    expect(sim.requestCount()).toBe(3);
    expect(sim.requests[0]).toMatchObject({
      method: 'POST',
      path: AUDIT_PATH,
      body: { start_time: START },
      authorization: '[REDACTED]',
      status: 200,
      fault: undefined,
    });
    expect(sim.requests[2]).toMatchObject({ authorization: undefined, status: 401 });
    expect(JSON.stringify(sim.requests)).not.toContain(TOKEN);
    sim.reset();
    expect(sim.requests).toEqual([]);
    expect(sim.requestCount()).toBe(0);
  });
});

describe('EventsApiSimulator rate limit and latency', () => {
  it('answers 429 with Retry-After once the per-minute budget is spent, until the minute has passed', async () => {
    let now = Date.parse('2024-06-01T12:00:00Z');
    const sim = await EventsApiSimulator.start({
      tokens: { [TOKEN]: { features: ['auditevents'] } },
      rateLimit: { perMinute: 3 },
      clock: () => now,
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await postPage(sim, 'auditevents', {}, TOKEN)).status);
      now += 20_000;
      const limited = await postPage(sim, 'auditevents', {}, TOKEN);
      expect(statuses).toEqual([200, 200, 200]);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('40');
      now += 40_000;
      expect((await postPage(sim, 'auditevents', {}, TOKEN)).status).toBe(200);
    } finally {
      await sim.stop();
    }
  });

  it('waits latencyMs before every answer', async () => {
    const sim = await EventsApiSimulator.start({
      tokens: { [TOKEN]: { features: ['auditevents'] } },
      latencyMs: 40,
    });
    try {
      const started = Date.now();
      await fetchPage(sim, 'auditevents', {}, TOKEN);
      expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    } finally {
      await sim.stop();
    }
  });

  it('stops promptly while a delayed answer is pending', async () => {
    const sim = await EventsApiSimulator.start({ tokens: { [TOKEN]: { features: ['auditevents'] } } });
    sim.enqueueFault({ kind: 'delay', ms: 60_000 });
    const pending = postPage(sim, 'auditevents', {}, TOKEN).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = Date.now();
    await sim.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
