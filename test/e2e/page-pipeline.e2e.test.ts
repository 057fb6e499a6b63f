import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventSink } from '../../shared/collector/delivery/firehose-sink';
import { type CollectRunDeps, collectRun } from '../../shared/collector/run/collect-run';
import type { CollectorRuntime } from '../../shared/collector/run/collector-runtime';
import type { CursorStore } from '../../shared/collector/state/cursor-store';
import { eventTextOf, makeEvents, PipelineHarness } from '../support/pipeline-harness';

// The page loop fetches ahead of delivery, and still delivers and commits one page at a time in
// order: at most one page is ever in Firehose without its commit.
let h: PipelineHarness;

beforeEach(async () => {
  h = await PipelineHarness.start();
});
afterEach(() => h.stop());

type Step =
  | `${'fetch' | 'fetched' | 'fetch-failed' | 'deliver' | 'delivered' | 'commit'} ${number}`
  | 'run failed';

/** Wraps a runtime so every fetch, delivery and commit is written to `log`, numbered by page. */
function recorded(deps: CollectRunDeps, log: Step[], holdDelivery: (page: number) => Promise<void>) {
  let fetches = 0;
  let deliveries = 0;
  let commits = 0;
  const store = deps.store;
  const sink: EventSink = {
    deliver: async (lines, deadline) => {
      const page = ++deliveries;
      log.push(`deliver ${page}`);
      await holdDelivery(page);
      const report = await deps.sink.deliver(lines, deadline);
      log.push(`delivered ${page}`);
      return report;
    },
  };
  return {
    ...deps,
    sink,
    api: {
      stats: deps.api.stats,
      fetchPage: async (...args: Parameters<CollectRunDeps['api']['fetchPage']>) => {
        const page = ++fetches;
        log.push(`fetch ${page}`);
        try {
          const result = await deps.api.fetchPage(...args);
          log.push(`fetched ${page}`);
          return result;
        } catch (error) {
          log.push(`fetch-failed ${page}`);
          throw error;
        }
      },
    },
    store: {
      acquireLease: (...a: Parameters<CursorStore['acquireLease']>) => store.acquireLease(...a),
      releaseLease: (...a: Parameters<CursorStore['releaseLease']>) => store.releaseLease(...a),
      commitPage: async (...a: Parameters<CursorStore['commitPage']>) => {
        await store.commitPage(...a);
        log.push(`commit ${++commits}`);
      },
    } as unknown as CursorStore,
  } satisfies CollectRunDeps;
}

function depsOf(runtime: CollectorRuntime): CollectRunDeps {
  return {
    spec: runtime.spec,
    settings: runtime.config,
    api: runtime.api,
    store: runtime.store,
    sink: runtime.sink,
    telemetry: runtime.telemetry,
    now: Date.now,
  };
}

describe('page pipeline', () => {
  it('fetches up to two pages ahead of the one being delivered, never more, and commits in order', async () => {
    const events = makeEvents('itemusages', 50);
    h.api.addEvents('itemusages', events);
    const runtime = h.runtime('itemusages', { PAGE_SIZE: '10', MAX_EVENTS_PER_RUN: '50' });
    runtime.scopeChecked = true;
    const log: Step[] = [];
    // Page 1's delivery is held until page 3 has arrived (or, if the loop never fetches that far
    // ahead, for a bounded number of event-loop turns), then a few turns more: time enough for a
    // loop that fetched further ahead to show it.
    const holdDelivery = async (page: number) => {
      if (page !== 1) return;
      for (let turn = 0; turn < 2_000 && !log.includes('fetched 3'); turn++) await nextTurn();
      for (let turn = 0; turn < 20; turn++) await nextTurn();
    };

    const summary = await collectRun(recorded(depsOf(runtime), log, holdDelivery), {
      runId: 'pipeline',
      deadlineMs: Date.now() + 30_000,
      reserveMs: 1_000,
    });

    expect(summary).toMatchObject({ status: 'ok', events: 50, pages: 5, stopReason: 'caught_up' });
    expect(h.lines('itemusages').map(eventTextOf)).toEqual(events.map((e) => JSON.stringify(e)));
    const at = (step: Step) => {
      const index = log.indexOf(step);
      expect(index, `${step} in ${log.join(', ')}`).toBeGreaterThanOrEqual(0);
      return index;
    };
    // Pages 2 and 3 were fetched while page 1 was being delivered ...
    expect(at('fetched 3')).toBeLessThan(at('delivered 1'));
    // ... and page 4 only once page 1 was committed: one page waiting, one in flight, no more.
    expect(at('fetch 4')).toBeGreaterThan(at('commit 1'));
    expect(log.filter((step) => step.startsWith('commit'))).toEqual(
      [1, 2, 3, 4, 5].map((p) => `commit ${p}`),
    );
    for (let page = 2; page <= 5; page++) {
      expect(at(`deliver ${page}`)).toBeGreaterThan(at(`commit ${page - 1}`));
    }
  });

  it('finishes the delivery under way before failing on a page it could not fetch', async () => {
    h.api.addEvents('itemusages', makeEvents('itemusages', 30));
    // Backoff waits return at once: the retries are used up in a few milliseconds.
    const runtime = h.runtime(
      'itemusages',
      { PAGE_SIZE: '10', MAX_EVENTS_PER_RUN: '30' },
      { sleep: async () => undefined },
    );
    runtime.scopeChecked = true;
    // Every request after the first answers 500 until the retries run out.
    h.api.setFaultPlan((request) => (request.n >= 2 ? { kind: 'status', status: 500 } : undefined));
    const log: Step[] = [];
    // Page 1's delivery is held until the fetch of page 2 has failed for good.
    const holdDelivery = async (page: number) => {
      for (let turn = 0; page === 1 && turn < 2_000 && !log.includes('fetch-failed 2'); turn++) {
        await nextTurn();
      }
    };
    const run = collectRun(recorded(depsOf(runtime), log, holdDelivery), {
      runId: 'fetch-fails',
      deadlineMs: Date.now() + 30_000,
      reserveMs: 1_000,
    }).catch((error: unknown) => {
      log.push('run failed');
      throw error;
    });

    await expect(run).rejects.toThrow(/did not answer/);
    // Page 1 was delivered and committed before the run gave up and freed the lease.
    expect(log.indexOf('fetch-failed 2')).toBeGreaterThanOrEqual(0);
    expect(log.indexOf('fetch-failed 2')).toBeLessThan(log.indexOf('commit 1'));
    expect(log.indexOf('commit 1')).toBeLessThan(log.indexOf('run failed'));
    expect(h.lines('itemusages')).toHaveLength(10);
    const state = await h.store().read('itemusages');
    expect(state).toMatchObject({ totalEvents: 10, lastRun: { result: 'failed' } });
    expect(state.leaseOwner).toBeUndefined();
  });
});
