import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler, resetRuntimeForTests } from '../../functions/collector';
import { INTROSPECT_PATH, makeFakeToken } from '../../local/events-api-simulator';
import { runCollector } from '../../shared/collector/run/collector-runtime';
import { Metric } from '../../shared/contracts/metric-names';
import { type CapturedOutput, captureLambdaOutput } from '../support/lambda-output';
import { fakeContext, makeEvents, PipelineHarness } from '../support/pipeline-harness';

// What an operator sees: stop reasons, failures and the metrics the alarms watch, end to end against
// the Events API simulator, the Firehose and Secrets Manager stand-ins and dynalite.
let h: PipelineHarness;
/** The handler's Powertools log lines and EMF metrics: kept out of the test output, asserted where it matters. */
let output: CapturedOutput;
beforeEach(() => {
  output = captureLambdaOutput();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await h.stop();
});

function expectEachOnce(type: Parameters<PipelineHarness['deliveredCounts']>[0], uuids: string[]) {
  expect(h.missingOrRepeated(type, uuids)).toEqual({ missing: [], repeated: [] });
}

describe('throttling', () => {
  it('drains a backlog over several throttled runs, none of them failed', async () => {
    // A clock the runs and the simulator share: backoff waits advance it, and so does each minute between runs.
    let offset = 0;
    const clock = () => Date.now() + offset;
    h = await PipelineHarness.start({ apiRateLimitPerMinute: 4, apiClock: clock });
    const events = makeEvents('auditevents', 100);
    h.api.addEvents('auditevents', events);
    const runtime = h.runtime(
      'auditevents',
      { PAGE_SIZE: '10' },
      {
        now: clock,
        sleep: async (ms) => {
          offset += ms;
        },
      },
    );
    const stops: string[] = [];
    for (let run = 0; run < 10; run++) {
      const summary = await runCollector(runtime, { deadlineMs: clock() + 30_000 });
      expect(summary.status).toBe('ok');
      stops.push(summary.stopReason);
      if (!summary.hasMore) break;
      offset += 60_000; // the next scheduled run
    }
    // Four requests a minute for ten pages: every run but the last stops throttled, and none fails.
    expect(stops.at(-1)).toBe('caught_up');
    const throttledRuns = stops.slice(0, -1);
    expect(throttledRuns.length).toBeGreaterThanOrEqual(2);
    expect(new Set(throttledRuns)).toEqual(new Set(['throttled']));
    expect(h.telemetry.total(Metric.RunFailed)).toBe(0);
    expect(h.telemetry.total(Metric.Throttles)).toBe(throttledRuns.length);
    expect(h.telemetry.total(Metric.ApiThrottles)).toBeGreaterThanOrEqual(throttledRuns.length);
    expectEachOnce(
      'auditevents',
      events.map((e) => e.uuid),
    );
    const state = await h.store().read('auditevents');
    expect(state.lastRun).toMatchObject({ result: 'ok', stopReason: 'caught_up' });
  });
  it('a token check that meets throttling stops the run normally, before the lease', async () => {
    h = await PipelineHarness.start();
    h.api.addEvents('auditevents', makeEvents('auditevents', 5));
    h.api.enqueueFault({ kind: 'status', status: 429, retryAfter: '3600', path: INTROSPECT_PATH });
    const runtime = h.runtime('auditevents');
    const first = await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    expect(first).toMatchObject({ status: 'ok', stopReason: 'throttled', events: 0, hasMore: true });
    expect(h.telemetry.total(Metric.RunFailed)).toBe(0);
    expect(h.telemetry.total(Metric.Throttles)).toBe(1);
    expect(await h.store().read('auditevents')).toEqual({ type: 'auditevents', totalEvents: 0 });
    const second = await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    expect(second).toMatchObject({ status: 'ok', stopReason: 'caught_up', events: 5 });
  });
});

describe('short deadlines', () => {
  beforeEach(() => resetRuntimeForTests());

  /** The harness environment without the settings that have defaults. */
  function defaultSettingsEnv() {
    const env: Record<string, string> = h.env('signinattempts');
    for (const name of ['PAGE_SIZE', 'MAX_EVENTS_PER_RUN', 'REQUEST_TIMEOUT_MS', 'REQUEST_BUDGET_PER_MINUTE'])
      delete env[name];
    for (const name of ['PAGE_SIZE', 'MAX_EVENTS_PER_RUN', 'REQUEST_TIMEOUT_MS', 'REQUEST_BUDGET_PER_MINUTE'])
      delete process.env[name];
    return env;
  }

  it('a 12-second invocation with default settings delivers events', async () => {
    h = await PipelineHarness.start({ apiLatencyMs: 200 });
    const events = makeEvents('signinattempts', 1500);
    h.api.addEvents('signinattempts', events);
    Object.assign(process.env, defaultSettingsEnv());
    const summary = await handler({}, fakeContext(12_000));
    expect(summary.status).toBe('ok');
    expect(summary.events).toBeGreaterThanOrEqual(1000);
    const again = await handler({}, fakeContext(12_000));
    expect(summary.events + again.events).toBe(1500);
    expectEachOnce(
      'signinattempts',
      events.map((e) => e.uuid),
    );
  });

  it('an invocation too short for one page fails naming the setting, and changes nothing', async () => {
    h = await PipelineHarness.start();
    h.api.addEvents('signinattempts', makeEvents('signinattempts', 10));
    Object.assign(process.env, defaultSettingsEnv());
    await expect(handler({}, fakeContext(6_000))).rejects.toThrow(
      /less than one page needs .* Raise the function timeout \(the stack's collector.functionProps.timeout, at least 10 s\)/,
    );
    expect(h.api.requests).toHaveLength(0);
    expect(await h.store().read('signinattempts')).toEqual({ type: 'signinattempts', totalEvents: 0 });
  });

  it('a run whose first page cannot come back in time fails instead of idling', async () => {
    h = await PipelineHarness.start({ apiLatencyMs: 4_000 });
    h.api.addEvents('signinattempts', makeEvents('signinattempts', 10));
    const runtime = h.runtime('signinattempts', { REQUEST_TIMEOUT_MS: '10000' });
    runtime.scopeChecked = true;
    // 8 s left, 5 s kept for delivery: the request gets 3 s, the API needs 4.
    await expect(runCollector(runtime, { deadlineMs: Date.now() + 8_000 })).rejects.toThrow(
      /No page fitted in this invocation: raise the function timeout/,
    );
    expect(h.telemetry.total(Metric.RunFailed)).toBe(1);
    expect((await h.store().read('signinattempts')).lastRun).toMatchObject({
      result: 'failed',
      error: expect.stringMatching(/This run committed nothing/),
    });
  });
});

describe('failed runs say what they committed', () => {
  it('names the events committed before an outage and that the next run continues after them', async () => {
    h = await PipelineHarness.start();
    h.api.addEvents('itemusages', makeEvents('itemusages', 50));
    const runtime = h.runtime('itemusages', { PAGE_SIZE: '10' }, { sleep: async () => undefined });
    runtime.scopeChecked = true;
    h.api.setFaultPlan((request) => (request.n >= 3 ? { kind: 'status', status: 503 } : undefined));
    await expect(runCollector(runtime, { deadlineMs: Date.now() + 30_000 })).rejects.toThrow(
      /did not answer/,
    );
    const state = await h.store().read('itemusages');
    expect(state.lastRun?.error).toMatch(
      /This run delivered and committed 20 events in 2 pages; the next run continues after them\./,
    );
    expect(state.lastRun?.error).not.toMatch(/Nothing was committed/);
    expect(h.telemetry.total(Metric.ApiUnavailable)).toBe(1);
    expect(h.telemetry.total(Metric.RunFailed)).toBe(1);
  });
});

describe('token alarms', () => {
  it('the placeholder secret fails the run with TokenMissing, says how to set it without a command-line token, and writes nothing', async () => {
    h = await PipelineHarness.start();
    h.secrets.setSecret('placeholder', '{"token":""}');
    const runtime = h.runtime('auditevents', { TOKEN_SECRET_ID: 'placeholder' });
    const error = await runCollector(runtime, { deadlineMs: Date.now() + 30_000 }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/still holds the empty placeholder.*file:\/\/op-token\.txt/);
    expect(h.telemetry.total(Metric.TokenMissing)).toBe(1);
    expect(h.telemetry.total(Metric.RunFailed)).toBe(1);
    expect(h.telemetry.total(Metric.AuthFailures)).toBe(0);
    expect(h.api.requests).toHaveLength(0);
    expect(await h.store().read('auditevents')).toEqual({ type: 'auditevents', totalEvents: 0 });
  });

  it('a token that expires within days raises the expiry metric on every run', async () => {
    const inSevenDays = new Date(Date.now() + 7 * 86_400_000);
    h = await PipelineHarness.start({ tokenExpiresAt: inSevenDays });
    h.api.addEvents('auditevents', makeEvents('auditevents', 3));
    const runtime = h.runtime('auditevents');
    await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    const left = h.telemetry.metrics
      .filter((m) => m.name === Metric.TokenExpiresInSeconds)
      .map((m) => m.value);
    expect(left).toHaveLength(2);
    for (const seconds of left) {
      expect(seconds).toBeGreaterThan(7 * 86_400 - 120);
      expect(seconds).toBeLessThanOrEqual(7 * 86_400);
    }
    // A token without an expiry reports none.
    await h.stop();
    h = await PipelineHarness.start();
    await runCollector(h.runtime('auditevents'), { deadlineMs: Date.now() + 30_000 });
    expect(h.telemetry.metrics.some((m) => m.name === Metric.TokenExpiresInSeconds)).toBe(false);
  });
});

describe('account changes', () => {
  it("fails runs naming both accounts when the secret holds another account's token, until accepted", async () => {
    h = await PipelineHarness.start();
    const events = makeEvents('signinattempts', 20);
    h.api.addEvents('signinattempts', events.slice(0, 10));
    // The token is read on every run, so a replaced secret is seen at once.
    const runtime = h.runtime('signinattempts', { TOKEN_CACHE_SECONDS: '0' });
    await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    const before = await h.store().read('signinattempts');
    expect(before.accountUuid).toMatch(/^[A-Z2-7]{26}$/);

    const other = makeFakeToken({
      host: 'events.1password.com',
      features: ['signinattempts'],
      subject: 'other',
    });
    const otherAccount = 'OTHERACCOUNT00000000000000';
    h.api.addToken(other, { features: ['signinattempts'], accountUuid: otherAccount });
    h.secrets.setSecret('op-events/token', other);
    h.api.addEvents('signinattempts', events.slice(10));
    const error = await runCollector(runtime, { deadlineMs: Date.now() + 30_000 }).catch((e: unknown) => e);
    expect(String(error)).toContain(
      `belongs to 1Password account ${otherAccount}, but signinattempts has been collected from account ${before.accountUuid}`,
    );
    expect(String(error)).toContain('op-events accept-account --type signinattempts');
    expect(h.telemetry.total(Metric.AccountChanged)).toBe(1);
    const failed = await h.store().read('signinattempts');
    expect(failed).toMatchObject({ cursor: before.cursor, totalEvents: 10, accountUuid: before.accountUuid });
    expect(failed.lastRun).toMatchObject({ result: 'failed' });
    expect(h.lines('signinattempts')).toHaveLength(10);

    await h.store().acceptAccount('signinattempts');
    const accepted = await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    expect(accepted).toMatchObject({ status: 'ok', events: 10 });
    expect((await h.store().read('signinattempts')).accountUuid).toBe(otherAccount);
  });
});

describe('logs and stuck pages', () => {
  it('delivers a page that keeps coming back with its own cursor once, then only counts it', async () => {
    h = await PipelineHarness.start();
    const events = makeEvents('itemusages', 30);
    h.api.addEvents('itemusages', events.slice(0, 10));
    const runtime = h.runtime('itemusages', { PAGE_SIZE: '10' });
    await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    h.api.addEvents('itemusages', events.slice(10));
    h.api.setRepeatingPage('itemusages');
    const stops: string[] = [];
    for (let run = 0; run < 3; run++) {
      stops.push((await runCollector(runtime, { deadlineMs: Date.now() + 30_000 })).stopReason);
    }
    expect(stops).toEqual(['cursor_stalled', 'cursor_stalled', 'cursor_stalled']);
    expect(h.telemetry.total(Metric.StuckPages)).toBe(3);
    // Events 10..19 (the stuck page) reached Firehose once, not once per run.
    expectEachOnce(
      'itemusages',
      events.slice(0, 20).map((e) => e.uuid),
    );
    expect(h.lines('itemusages')).toHaveLength(20);

    h.api.setRepeatingPage('itemusages', false);
    const after = await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    expect(after.stopReason).toBe('caught_up');
    expect((await h.store().read('itemusages')).stuckPage).toBeUndefined();
  });

  it('logs schema mismatches as one line per run with counts per field and example uuids', async () => {
    h = await PipelineHarness.start();
    const events = makeEvents('auditevents', 120).map((e) => ({ ...e, action: 42, aux_id: 'not-a-number' }));
    h.api.addEvents('auditevents', events);
    const summary = await runCollector(h.runtime('auditevents', { PAGE_SIZE: '50' }), {
      deadlineMs: Date.now() + 30_000,
    });
    expect(summary.schemaMismatches).toBe(120);
    const lines = h.telemetry.logs.filter((l) => /schema/i.test(l.message));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      fields: { events: 120, fields: { action: 120, aux_id: 120 } },
    });
    expect(lines[0]?.fields?.exampleUuids).toEqual(events.slice(0, 5).map((e) => e.uuid));
    expect(h.lines('auditevents')).toHaveLength(120);
  });
});

describe('rejected cursor', () => {
  it('overlaps by at least the largest lateness the type has shown, kept on the row', async () => {
    h = await PipelineHarness.start();
    const base = Date.parse('2026-01-01T00:00:00Z');
    const onTime = makeEvents('itemusages', 20, 0, base);
    // Arrives after event 19, stamped three hours earlier: three hours late.
    const late = makeEvents('itemusages', 1, 500, base - 3 * 3_600_000 - 500_000);
    h.api.addEvents('itemusages', [...onTime, ...late]);
    const runtime = h.runtime('itemusages', { CURSOR_FALLBACK_OVERLAP_MINUTES: '60' });
    await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    const row = await h.store().read('itemusages');
    expect(row.maxLatenessSeconds).toBeGreaterThanOrEqual(3 * 3600);
    expect(row.maxLatenessSeconds).toBeLessThan(3 * 3600 + 60);

    // An event that old arrives while the cursor expires: the fallback still reaches back to it.
    const lateAgain = makeEvents('itemusages', 1, 600, base + 19_000 - 2 * 3_600_000);
    h.api.expireCursors();
    h.api.addEvents('itemusages', lateAgain);
    const summary = await runCollector(runtime, { deadlineMs: Date.now() + 30_000 });
    expect(summary.cursorFallback).toBe(true);
    const fallback = h.api.requests.filter((r) => r.path === '/api/v2/itemusages').at(-1)?.body as {
      start_time?: string;
    };
    expect(Date.parse(fallback.start_time ?? '')).toBeLessThanOrEqual(
      base + 19_000 - row.maxLatenessSeconds! * 1000,
    );
    expect(h.deliveredCounts('itemusages').get(lateAgain[0]!.uuid)).toBe(1);
    // The repeats the wider overlap causes are counted as before (the new late event, stamped inside
    // the overlap, counts as a possible repeat too).
    const repeats = [...h.deliveredCounts('itemusages').values()].reduce((n, c) => n + c - 1, 0);
    expect(repeats).toBe(21);
    expect(summary.duplicatesPossible).toBe(repeats + 1);
  });
});

describe('Lambda log lines', () => {
  beforeEach(() => resetRuntimeForTests());

  it('carry the request id and cold start, and a cold start emits the ColdStart metric once', async () => {
    h = await PipelineHarness.start();
    h.api.addEvents('auditevents', makeEvents('auditevents', 3));
    // Lambda sets this; Powertools reports cold starts only for on-demand environments.
    Object.assign(process.env, h.env('auditevents'), { AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' });
    output.clear();
    try {
      await handler({}, { ...fakeContext(), awsRequestId: 'req-first', functionName: 'collector' });
      await handler({}, { ...fakeContext(), awsRequestId: 'req-second', functionName: 'collector' });
    } finally {
      delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    }
    const lines = output.jsonLines();
    const finished = lines.filter((line) => line.message === 'Run finished');
    expect(finished.map((line) => [line.function_request_id, line.cold_start])).toEqual([
      ['req-first', true],
      ['req-second', false],
    ]);
    const coldStarts = lines.filter((line) => '_aws' in line && 'ColdStart' in line);
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]).toMatchObject({ EventType: 'auditevents', ColdStart: 1 });
  });
});
