import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler, resetRuntimeForTests } from '../../functions/collector';
import type { Fault } from '../../local/events-api-simulator';
import { runCollector } from '../../shared/collector/run/collector-runtime';
import { Metric } from '../../shared/contracts/metric-names';
import { captureLambdaOutput } from '../support/lambda-output';
import { eventTextOf, fakeContext, makeEvents, PipelineHarness } from '../support/pipeline-harness';
import { pageSampleNames, sampleText } from '../support/samples';

// The collector end to end: Lambda handler and runtime against the Events API simulator, the
// Firehose and Secrets Manager stand-ins and dynalite, all on loopback.
let h: PipelineHarness;

// A fresh pipeline per test (a few ms of loopback servers): no test sees another's events or cursors.
beforeEach(async () => {
  h = await PipelineHarness.start();
  // The handler's Powertools log lines and EMF metrics stay out of the test output.
  captureLambdaOutput();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await h.stop();
});

const soon = () => Date.now() + 30_000;

function expectEachOnce(type: Parameters<PipelineHarness['deliveredCounts']>[0], uuids: string[]) {
  const counts = h.deliveredCounts(type);
  const missing = uuids.filter((u) => !counts.has(u));
  const repeated = uuids.filter((u) => (counts.get(u) ?? 0) > 1);
  expect({ missing, repeated }).toEqual({ missing: [], repeated: [] });
}

describe('Lambda handler', () => {
  beforeEach(() => resetRuntimeForTests());

  it('drains every page into Firehose with each event text unchanged, then stores the cursor', async () => {
    const events = makeEvents('auditevents', 137);
    h.api.addEvents('auditevents', events);
    Object.assign(process.env, h.env('auditevents'));
    const summary = await handler({}, fakeContext());
    expect(summary).toMatchObject({
      status: 'ok',
      events: 137,
      pages: 3,
      hasMore: false,
      stopReason: 'caught_up',
    });
    const lines = h.lines('auditevents');
    expect(lines.map(eventTextOf)).toEqual(events.map((e) => JSON.stringify(e)));
    const metadata = JSON.parse(lines[0]!)._collector;
    expect(metadata).toMatchObject({ type: 'auditevents', event_date: '2026-01-01', run_id: summary.runId });
    const state = await h.store().read('auditevents');
    expect(state).toMatchObject({ totalEvents: 137, pageLimit: 50, lastRun: { result: 'ok', events: 137 } });
    expect(state.cursor).toBeTruthy();
    expect(state.leaseOwner).toBeUndefined();

    // A second run finds nothing new, writes nothing, and continues from the stored cursor.
    const again = await handler({}, fakeContext());
    expect(again).toMatchObject({ events: 0, pages: 1, stopReason: 'caught_up' });
    expect(h.api.requests.at(-1)?.body).toEqual({ cursor: state.cursor });
    expect(h.lines('auditevents')).toHaveLength(137);
  });

  it('fails with a message naming a bad variable and changes nothing', async () => {
    Object.assign(process.env, h.env('auditevents', { PAGE_SIZE: 'many' }));
    await expect(handler({}, fakeContext())).rejects.toThrow(
      /PAGE_SIZE must be a whole number from 1 to 1000/,
    );
    expect(h.api.requests).toHaveLength(0);
    expect((await h.store().read('auditevents')).updatedAt).toBeUndefined();
    Object.assign(process.env, h.env('auditevents'));
  });
});

describe('collector runs', () => {
  it('picks up events appended later and late events with older timestamps, each once', async () => {
    const runtime = h.runtime('itemusages');
    const first = makeEvents('itemusages', 60);
    h.api.addEvents('itemusages', first);
    await runCollector(runtime, { deadlineMs: soon() });
    const later = makeEvents('itemusages', 30, 60);
    const late = makeEvents('itemusages', 10, 1000, Date.parse('2025-12-01T00:00:00Z')); // a month old, arriving now
    h.api.addEvents('itemusages', [...later.slice(0, 15), ...late, ...later.slice(15)]);
    const second = await runCollector(runtime, { deadlineMs: soon() });
    expect(second.events).toBe(40);
    expectEachOnce(
      'itemusages',
      [...first, ...later, ...late].map((e) => e.uuid),
    );
    expect(h.lines('itemusages')).toHaveLength(100);
    // Late events land in their own date's partition.
    const lateLine = h.lines('itemusages').find((l) => l.includes(late[0]!.uuid))!;
    expect(JSON.parse(lateLine)._collector.event_date).toBe('2025-12-01');
  });

  it('never delivers more than MAX_EVENTS_PER_RUN and resumes where it stopped', async () => {
    h.api.addEvents('signinattempts', makeEvents('signinattempts', 260));
    const runtime = h.runtime('signinattempts', { MAX_EVENTS_PER_RUN: '120' });
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const summary = await runCollector(runtime, { deadlineMs: soon() });
      sizes.push(summary.events);
      expect(summary.events).toBeLessThanOrEqual(120);
      if (!summary.hasMore) break;
      expect(summary.stopReason).toBe('event_limit');
    }
    expect(sizes).toEqual([100, 100, 60]);
    // Behind while a backlog remains, caught up at the end; counts that stayed zero are not emitted.
    const lag = h.telemetry.metrics.filter((m) => m.name === Metric.LagSeconds).map((m) => m.value);
    expect(lag).toHaveLength(3);
    expect(lag[0]).toBeGreaterThan(0);
    expect(lag[2]).toBe(0);
    expect(
      h.telemetry.metrics.some((m) => m.name === Metric.RunFailed || m.name === Metric.ApiThrottles),
    ).toBe(false);
    expectEachOnce(
      'signinattempts',
      makeEvents('signinattempts', 260).map((e) => e.uuid),
    );
  });

  it('MAX_EVENTS_PER_RUN lowered below the page size of a live cursor: re-anchors and keeps collecting, no gap', async () => {
    const events = makeEvents('auditevents', 300);
    h.api.addEvents('auditevents', events.slice(0, 120));
    // A live cursor made with pages of 50.
    const before = await runCollector(h.runtime('auditevents'), { deadlineMs: soon() });
    expect(before).toMatchObject({ status: 'ok', events: 120, stopReason: 'caught_up' });
    expect((await h.store().read('auditevents')).pageLimit).toBe(50);
    h.api.addEvents('auditevents', events.slice(120));

    // The cap goes below that page size: runs keep going, each within the cap, on a new cursor chain.
    const runtime = h.runtime('auditevents', { MAX_EVENTS_PER_RUN: '30', PAGE_SIZE: '10' });
    const requestsBefore = h.api.requests.length;
    const first = await runCollector(runtime, { deadlineMs: soon() });
    expect(first.status).toBe('ok');
    expect(first.events).toBeLessThanOrEqual(30);
    expect(first.events).toBeGreaterThan(0);
    // The new chain starts from the newest delivered event minus the fallback overlap
    // (CURSOR_FALLBACK_OVERLAP_MINUTES), with the new page size: a time, never a position past undelivered events.
    const restart = h.api.requests.slice(requestsBefore).find((r) => r.path.endsWith('/auditevents'))
      ?.body as Record<string, unknown>;
    expect(restart.limit).toBe(10);
    expect(Date.parse(String(restart.start_time))).toBeLessThanOrEqual(Date.parse(events[119]!.timestamp));
    expect(
      h.telemetry.logs.some(
        (l) => l.level === 'warn' && l.message.includes('more than MAX_EVENTS_PER_RUN (30)'),
      ),
    ).toBe(true);
    expect(h.telemetry.total(Metric.RunFailed)).toBe(0);
    for (let i = 0; i < 20; i++) {
      const summary = await runCollector(runtime, { deadlineMs: soon() });
      expect(summary.status).toBe('ok');
      expect(summary.events).toBeLessThanOrEqual(30);
      if (!summary.hasMore) break;
    }
    expect((await h.store().read('auditevents')).pageLimit).toBe(10);
    // Every event arrived; the overlap's events arrive again (the de-duplicating views hide them),
    // and the re-anchoring run counts the ones it delivered as possible duplicates.
    const counts = h.deliveredCounts('auditevents');
    expect(events.filter((e) => !counts.has(e.uuid))).toEqual([]);
    expect([...counts.values()].some((n) => n > 1)).toBe(true);
    expect(h.telemetry.total(Metric.DuplicatesPossible)).toBeGreaterThan(0);
    expect(h.telemetry.total(Metric.RunFailed)).toBe(0);
  });

  it('MAX_EVENTS_PER_RUN=250 alone: pages of 250 (the adapted PAGE_SIZE default), no failed run', async () => {
    const events = makeEvents('itemusages', 600);
    h.api.addEvents('itemusages', events);
    const runtime = h.runtime('itemusages', { MAX_EVENTS_PER_RUN: '250', PAGE_SIZE: undefined });
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const summary = await runCollector(runtime, { deadlineMs: soon() });
      expect(summary.status).toBe('ok');
      sizes.push(summary.events);
      if (!summary.hasMore) break;
    }
    expect(sizes).toEqual([250, 250, 100]);
    const firstPage = h.api.requests.find((r) => r.path.endsWith('/itemusages'));
    expect(firstPage?.body).toMatchObject({ limit: 250 });
    expect(h.telemetry.metrics.some((m) => m.name === Metric.RunFailed)).toBe(false);
    expectEachOnce(
      'itemusages',
      events.map((e) => e.uuid),
    );
  });

  it('rides out 429 bursts, 5xx, torn, truncated, reset, slow and malformed answers without loss or duplicates', async () => {
    const events = makeEvents('auditevents', 120);
    h.api.addEvents('auditevents', events);
    // Up to four faults in a row before each page (the client makes six attempts).
    const faults: Record<number, Fault> = {
      1: { kind: 'status', status: 429, retryAfter: '0' },
      2: { kind: 'status', status: 429 },
      3: { kind: 'status', status: 500 },
      4: { kind: 'torn' },
      6: { kind: 'truncated-json' },
      7: { kind: 'reset' },
      8: { kind: 'delay', ms: 3000 },
      10: { kind: 'malformed' },
      11: { kind: 'status', status: 503 },
    };
    h.api.setFaultPlan((request) => faults[request.n]);
    const runtime = h.runtime('auditevents', {}, { sleep: async () => undefined });
    runtime.scopeChecked = true; // faults aimed at pages, not at introspection
    const summary = await runCollector(runtime, { deadlineMs: soon() });
    expect(summary).toMatchObject({ status: 'ok', events: 120, hasMore: false, throttles: 2 });
    expect(summary.retries).toBe(9);
    expectEachOnce(
      'auditevents',
      events.map((e) => e.uuid),
    );
    expect(h.telemetry.total(Metric.ApiThrottles)).toBe(2);
  });

  it('re-sends only failed Firehose records and still delivers every event exactly once', async () => {
    const events = makeEvents('itemusages', 400).map((e) => ({ ...e, pad: 'x'.repeat(20_000) }));
    h.api.addEvents('itemusages', events);
    h.firehose.setFailureRates({ failRecordProbability: 0.3 });
    // 8 MB without a single wait (the pacer's included) is over any default quota: measured elsewhere.
    h.firehose.setThroughputQuota(false);
    try {
      const summary = await runCollector(
        h.runtime('itemusages', { PAGE_SIZE: '200' }, { sleep: async () => undefined }),
        {
          deadlineMs: soon(),
        },
      );
      expect(summary.events).toBe(400);
      expect(summary.recordRetries).toBeGreaterThan(0);
      expect(summary.duplicatesAvoided).toBeGreaterThan(0);
      expect(h.telemetry.total(Metric.DuplicatesAvoided)).toBe(summary.duplicatesAvoided);
    } finally {
      h.firehose.setFailureRates({ failRecordProbability: 0 });
    }
    expectEachOnce(
      'itemusages',
      events.map((e) => e.uuid),
    );
  });

  it('reports event age and, separately, lateness: how far out of order events arrive', async () => {
    const minute = 60_000;
    const base = Date.now() - 60 * minute;
    const at = (ms: number) => new Date(ms).toISOString();
    // In the API's order: 10 min, then 0 (10 minutes behind the one before it), then 20 min.
    h.api.addEvents('signinattempts', [
      { uuid: 'A', timestamp: at(base + 10 * minute) },
      { uuid: 'B', timestamp: at(base) },
      { uuid: 'C', timestamp: at(base + 20 * minute) },
    ]);
    const runtime = h.runtime('signinattempts');
    const first = await runCollector(runtime, { deadlineMs: soon() });
    const seconds = (name: string) =>
      h.telemetry.metrics.filter((m) => m.name === name).map((m) => Math.round(m.value));
    expect(first.maxLatenessSeconds).toBe(600);
    expect(seconds(Metric.MaxEventLatenessSeconds)).toEqual([600]);
    // Age: receipt time minus the oldest event's time, about an hour, whatever the order.
    expect(first.maxEventAgeSeconds).toBeGreaterThanOrEqual(3600);
    expect(first.maxEventAgeSeconds).toBeLessThan(3660);
    expect(seconds(Metric.MaxEventAgeSeconds)[0]).toBeGreaterThanOrEqual(3600);

    // The next run compares with the newest event collected before it (kept on the cursor row):
    // an event at 5 min arriving after the one at 20 min is 15 minutes late.
    h.api.addEvents('signinattempts', [{ uuid: 'D', timestamp: at(base + 5 * minute) }]);
    const second = await runCollector(runtime, { deadlineMs: soon() });
    expect(second.maxLatenessSeconds).toBe(900);
    // In time order: lateness 0, while the age stays what the timestamps say.
    h.api.addEvents('signinattempts', [
      { uuid: 'E', timestamp: at(base + 30 * minute) },
      { uuid: 'F', timestamp: at(base + 31 * minute) },
    ]);
    const third = await runCollector(runtime, { deadlineMs: soon() });
    expect(third.maxLatenessSeconds).toBe(0);
    expect(third.maxEventAgeSeconds).toBeGreaterThanOrEqual(30 * 60);
    // A run that delivered nothing reports neither.
    const quiet = await runCollector(runtime, { deadlineMs: soon() });
    expect(quiet).toMatchObject({ events: 0, maxLatenessSeconds: undefined, maxEventAgeSeconds: undefined });
  });

  it('a Firehose outage fails the run without moving the cursor; the next run delivers the page', async () => {
    const events = makeEvents('auditevents', 40);
    h.api.addEvents('auditevents', events);
    const runtime = h.runtime('auditevents', {}, { sleep: async () => undefined });
    h.firehose.setFailureRates({ failCallProbability: 1 });
    await expect(runCollector(runtime, { deadlineMs: soon() })).rejects.toThrow(
      /did not accept every record/,
    );
    h.firehose.setFailureRates({ failCallProbability: 0 });
    const state = await h.store().read('auditevents');
    expect(state.cursor).toBeUndefined();
    expect(state.leaseOwner).toBeUndefined();
    expect(state.lastRun).toMatchObject({ result: 'failed', stopReason: 'failed' });
    expect(h.telemetry.total(Metric.RunFailed)).toBe(1);
    // Its own metric (and alarm), so that failed-runs, which leaves it out, stays quiet.
    expect(h.telemetry.total(Metric.FirehosePutFailures)).toBe(1);
    for (const other of [
      Metric.AuthFailures,
      Metric.TokenMissing,
      Metric.ApiUnavailable,
      Metric.AccountChanged,
    ])
      expect(h.telemetry.total(other)).toBe(0);
    const summary = await runCollector(runtime, { deadlineMs: soon() });
    expect(summary.events).toBe(40);
    expectEachOnce(
      'auditevents',
      events.map((e) => e.uuid),
    );
  });

  it('falls back to the newest delivered time minus the overlap when the cursor expires, counting repeats', async () => {
    const events = makeEvents('signinattempts', 80);
    h.api.addEvents('signinattempts', events.slice(0, 50));
    const runtime = h.runtime('signinattempts', { CURSOR_FALLBACK_OVERLAP_MINUTES: '0' });
    await runCollector(runtime, { deadlineMs: soon() });
    h.api.expireCursors();
    h.api.addEvents('signinattempts', events.slice(50));
    const summary = await runCollector(runtime, { deadlineMs: soon() });
    expect(summary.cursorFallback).toBe(true);
    const counts = h.deliveredCounts('signinattempts');
    for (const e of events) expect(counts.get(e.uuid)).toBeGreaterThanOrEqual(1);
    const repeats = [...counts.values()].reduce((n, c) => n + c - 1, 0);
    expect(summary.duplicatesPossible).toBe(repeats);
    expect(repeats).toBeGreaterThan(0);
    expect(h.telemetry.total(Metric.CursorFallbacks)).toBe(1);
  });

  it('stops on a cursor that does not move instead of looping', async () => {
    h.api.addEvents('itemusages', makeEvents('itemusages', 5));
    const runtime = h.runtime('itemusages');
    await runCollector(runtime, { deadlineMs: soon() });
    h.api.setStuckCursor('itemusages');
    try {
      const summary = await runCollector(runtime, { deadlineMs: soon() });
      expect(summary.stopReason).toBe('cursor_stalled');
      expect(h.api.requestCount('/api/v2/itemusages')).toBeLessThanOrEqual(3);
    } finally {
      h.api.setStuckCursor('itemusages', false);
    }
  });

  it('stops before the invocation deadline, leaving the rest to the next run', async () => {
    await h.stop();
    h = await PipelineHarness.start({ apiLatencyMs: 2000 });
    h.api.addEvents('auditevents', makeEvents('auditevents', 100));
    const runtime = h.runtime('auditevents', { REQUEST_TIMEOUT_MS: '3000', PAGE_SIZE: '10' });
    runtime.scopeChecked = true;
    // Requests must end 5 s before the deadline (delivery and commit), so with 10 s left they have 5 s:
    // two pages of 2 s each; after them less than the 2 s a request is given at least is left.
    const summary = await runCollector(runtime, { deadlineMs: Date.now() + 10_000 });
    expect(summary).toMatchObject({ status: 'ok', stopReason: 'time_budget', events: 20, hasMore: true });
    expect(h.api.requestCount('/api/v2/auditevents')).toBe(2);
  });

  it('stops normally when the shared request budget is spent, and the next run continues', async () => {
    const events = makeEvents('auditevents', 30);
    h.api.addEvents('auditevents', events);
    // A frozen clock one second into a minute: the budget's next window lies beyond the deadline.
    const now = () => Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
    const runtime = h.runtime('auditevents', { REQUEST_BUDGET_PER_MINUTE: '2', PAGE_SIZE: '10' }, { now });
    runtime.scopeChecked = true;
    const first = await runCollector(runtime, { deadlineMs: now() + 30_000 });
    expect(first).toMatchObject({ status: 'ok', stopReason: 'request_budget', events: 20, hasMore: true });
    expect(h.telemetry.total(Metric.RunFailed)).toBe(0);
    const later = () => now() + 60_000;
    const second = await runCollector(
      h.runtime('auditevents', { REQUEST_BUDGET_PER_MINUTE: '2', PAGE_SIZE: '10' }, { now: later }),
      { deadlineMs: later() + 30_000 },
    );
    expect(second.events).toBe(10);
    expectEachOnce(
      'auditevents',
      events.map((e) => e.uuid),
    );
  });

  it('lets only one of two overlapping runs collect; nothing is delivered twice', async () => {
    const events = makeEvents('itemusages', 300);
    h.api.addEvents('itemusages', events);
    const a = h.runtime('itemusages');
    const b = h.runtime('itemusages');
    const results = await Promise.all([
      runCollector(a, { deadlineMs: soon() }),
      runCollector(b, { deadlineMs: soon() }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['lease_busy', 'ok']);
    expectEachOnce(
      'itemusages',
      events.map((e) => e.uuid),
    );
    expect(h.telemetry.total(Metric.LeaseBusy)).toBe(1);
  });

  it('picks up a rotated token after a 401 and keeps the token out of every log and metric', async () => {
    h.api.addEvents('auditevents', makeEvents('auditevents', 10));
    const runtime = h.runtime('auditevents');
    await runCollector(runtime, { deadlineMs: soon() });
    const { makeFakeToken } = await import('../../local/events-api-simulator');
    const rotated = makeFakeToken({
      host: 'events.1password.com',
      features: ['auditevents'],
      subject: 'rotated',
    });
    h.api.addToken(rotated, { features: ['auditevents'] });
    h.api.removeToken(h.token);
    h.secrets.setSecret('op-events/token', JSON.stringify({ token: rotated }));
    h.api.addEvents('auditevents', makeEvents('auditevents', 5, 10));
    try {
      const summary = await runCollector(runtime, { deadlineMs: soon() });
      expect(summary.events).toBe(5);
    } finally {
      h.api.addToken(h.token, { features: ['auditevents', 'itemusages', 'signinattempts'] });
      h.secrets.setSecret('op-events/token', h.token);
    }
    expect(h.telemetry.text()).not.toContain(h.token);
    expect(h.telemetry.text()).not.toContain(rotated);
  });

  it('passes every public sample page through with each event text unchanged', async () => {
    const texts: string[] = [];
    for (const name of pageSampleNames()) {
      const body = JSON.parse(sampleText(name)) as { items: unknown[] };
      texts.push(...body.items.map((item) => JSON.stringify(item)));
    }
    h.api.addEventTexts('auditevents', texts);
    const summary = await runCollector(h.runtime('auditevents', { START_TIME: '2000-01-01T00:00:00Z' }), {
      deadlineMs: soon(),
    });
    expect(summary.events).toBe(texts.length);
    expect(h.lines('auditevents').map(eventTextOf)).toEqual(texts);
  });
});

describe('bad input changes no state', () => {
  async function expectNoStateChange(run: () => Promise<unknown>, message: RegExp) {
    await expect(run()).rejects.toThrow(message);
    const state = await h.store().read('itemusages');
    expect(state).toEqual({ type: 'itemusages', totalEvents: 0 });
    expect(h.lines('itemusages')).toHaveLength(0);
  }

  it('a token without the feature fails naming it, before any lease or write', async () => {
    const { makeFakeToken } = await import('../../local/events-api-simulator');
    const narrow = makeFakeToken({ host: 'events.1password.com', features: ['auditevents'] });
    h.api.addToken(narrow, { features: ['auditevents'] });
    h.secrets.setSecret('narrow', narrow);
    await expectNoStateChange(
      () => runCollector(h.runtime('itemusages', { TOKEN_SECRET_ID: 'narrow' }), { deadlineMs: soon() }),
      /token lacks the itemusages feature \(granted: auditevents\)/,
    );
    expect(h.telemetry.total(Metric.AuthFailures)).toBe(1);
    expect(h.telemetry.total(Metric.RunFailed)).toBe(1);
  });

  it('a missing secret says which and how to set it', async () => {
    await expectNoStateChange(
      () => runCollector(h.runtime('itemusages', { TOKEN_SECRET_ID: 'nope' }), { deadlineMs: soon() }),
      /Secret nope does not exist/,
    );
  });

  it('a host outside 1Password is refused before any request', async () => {
    await expectNoStateChange(
      () =>
        runCollector(h.runtime('itemusages', { EVENTS_API_URL: 'https://events.example.com' }), {
          deadlineMs: soon(),
        }),
      /not a 1Password events host/,
    );
    expect(h.api.requests).toHaveLength(0);
  });

  it('a revoked token fails clearly without exposing it', async () => {
    const { makeFakeToken } = await import('../../local/events-api-simulator');
    const revoked = makeFakeToken({
      host: 'events.1password.com',
      features: ['itemusages'],
      subject: 'revoked',
    });
    h.secrets.setSecret('revoked', revoked);
    const error = await runCollector(h.runtime('itemusages', { TOKEN_SECRET_ID: 'revoked' }), {
      deadlineMs: soon(),
    }).catch((e: unknown) => e as Error);
    expect(String(error)).toMatch(/refused the token .*401/);
    expect(String(error)).not.toContain(revoked);
    expect(await h.store().read('itemusages')).toEqual({ type: 'itemusages', totalEvents: 0 });
  });
});
