import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handler, resetRuntimeForTests } from '../../functions/collector';
import { runCollector } from '../../shared/collector-runtime';
import { Metric } from '../../shared/metric-names';
import { fakeContext, makeEvents, PipelineHarness } from '../support/pipeline-harness';

// What an operator sees: stop reasons, failures and the metrics the alarms watch, end to end against
// the Events API simulator, the Firehose and Secrets Manager stand-ins and dynalite.
let h: PipelineHarness;
afterEach(() => h.stop());

function expectEachOnce(type: Parameters<PipelineHarness['deliveredCounts']>[0], uuids: string[]) {
  const counts = h.deliveredCounts(type);
  const missing = uuids.filter((u) => !counts.has(u));
  const repeated = uuids.filter((u) => (counts.get(u) ?? 0) > 1);
  expect({ missing, repeated }).toEqual({ missing: [], repeated: [] });
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
      /less than one page needs .* Raise the function timeout \(the stack's collectorFunctionProps.timeout, at least 10 s\)/,
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
});
