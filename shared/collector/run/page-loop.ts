import { MIN_REQUEST_MS } from '../../contracts/run-timing';
import {
  CursorRejectedError,
  describeError,
  OutOfTimeError,
  RequestBudgetSpentError,
  ThrottledError,
} from '../../util/errors';
import { isCursorRequest, type PageRequest } from '../events-api/events-api-client';
import type { ParsedPage } from '../events-api/page-body';
import { assertCursorFits, type CursorState } from '../state/cursor-store';
import type { RunState } from '../state/run-state';
import { deliverAndCommit, type EncodedPage, encodePage, stuckPageFingerprint } from './page-delivery';
import { fallbackOverlapMs, fallbackRequest, firstRequest } from './page-requests';
import { runErrors } from './run-errors';
import type { CollectRunDeps, RunOptions, StopReason } from './run-types';

/** Pages with no events while has_more stays true that a run accepts before stopping. */
export const MAX_EMPTY_PAGES = 20;

/**
 * The paging part of a run: requests pages in order, decides after each one whether the run goes on,
 * and hands each page to its delivery and commit (page-delivery.ts). A page meets the stages of
 * PageLoop in this order: takePage (the response, or what its failure means), acceptPage (the run's
 * counts), stopAfter (the run's bounds), requestNext, and handOver (delivery in order).
 */
export async function pageLoop(
  deps: CollectRunDeps,
  options: RunOptions,
  run: RunState,
  state: CursorState,
  rowBytesWithoutCursor: number,
): Promise<StopReason> {
  const loop = new PageLoop(deps, options, run, rowBytesWithoutCursor, startRequest(deps, state, run));
  try {
    for (;;) {
      const taken = await loop.takePage();
      if (typeof taken === 'string') return taken;
      // Undefined: the stored cursor was rejected and the fallback's first request is under way.
      if (taken === undefined) continue;
      const stop = await loop.handle(taken);
      if (stop) return stop;
    }
  } finally {
    // Never return or throw with a delivery under way: the lease is released next.
    await loop.deliveriesSettled();
  }
}

/**
 * The run's first request: firstRequest's, unless the stored cursor pages by more events than
 * MAX_EVENTS_PER_RUN allows (the cap was lowered under a live cursor: a cursor keeps the `limit` of
 * the request that began its chain, and no page of it fits in a run). Then the run re-anchors: a new
 * chain of PAGE_SIZE pages from the newest delivered event minus the cursor fallback's overlap, as
 * after a rejected cursor, so that no event between the old cursor and the new start is skipped;
 * events of the overlap may arrive twice and are counted as possible duplicates.
 */
function startRequest(deps: CollectRunDeps, state: CursorState, run: RunState): PageRequest {
  const request = firstRequest(deps, state, run);
  const storedLimit = run.pageLimit ?? 0;
  if (!isCursorRequest(request) || storedLimit <= deps.settings.maxEventsPerRun) return request;
  // A cursor that never delivered an event: start again where its chain started.
  const restart = run.newestEventTime
    ? fallbackRequest(deps, run)
    : firstRequest(deps, { ...state, cursor: undefined }, run);
  deps.telemetry.warn(
    `The stored cursor pages by ${storedLimit} events, more than MAX_EVENTS_PER_RUN ` +
      `(${deps.settings.maxEventsPerRun}); starting a new cursor with pages of PAGE_SIZE ` +
      `(${deps.settings.pageSize}) from the newest delivered event minus the overlap`,
    {
      storedPageLimit: storedLimit,
      overlapSeconds: fallbackOverlapMs(deps.settings, run) / 1000,
      restartRequest: restart,
    },
  );
  return restart;
}

/** What acceptPage learnt about a page. */
interface AcceptedPage {
  readonly page: ParsedPage;
  /** The cursor the page was asked with, if it was asked with one. */
  readonly sentCursor: string | undefined;
  /** The API handed back the cursor it was asked with while saying more is waiting. */
  readonly stalled: boolean;
}

class PageLoop {
  private request: PageRequest;
  private inFlight: Promise<ParsedPage>;
  /** Events in the pages taken from the API so far, delivered or waiting (the event limit counts these). */
  private fetchedEvents = 0;
  /**
   * Pages are delivered and committed one after another, in order, each only after the previous one
   * is committed: at most one page is ever in S3 without its commit. Fetching runs ahead of that, by
   * at most one page waiting behind the one being delivered.
   */
  private lastDelivery: Promise<void> = Promise.resolve();
  /** Requests end early enough to leave the reserve for delivering and committing what they bring. */
  private readonly requestDeadlineMs: number;

  constructor(
    private readonly deps: CollectRunDeps,
    private readonly options: RunOptions,
    private readonly run: RunState,
    private readonly rowBytesWithoutCursor: number,
    firstRequest: PageRequest,
  ) {
    this.requestDeadlineMs = options.deadlineMs - options.reserveMs;
    if (!this.timeLeft())
      throw runErrors.noPageFitted('The time left after taking the lease is too short for a request.');
    this.request = firstRequest;
    this.inFlight = this.fetch(firstRequest);
  }

  /**
   * The page under way, or what its failure means: a normal stop (returned), a cursor fallback
   * (undefined: its first request is sent), or a failure (thrown).
   */
  async takePage(): Promise<ParsedPage | StopReason | undefined> {
    try {
      return await this.inFlight;
    } catch (error) {
      // Deliveries still under way finish first; one that failed is the error that matters.
      await this.lastDelivery;
      return this.stopOrFallBack(error);
    }
  }

  /** A page that arrived: counted, checked against the run's bounds, then queued for delivery. */
  async handle(page: ParsedPage): Promise<StopReason | undefined> {
    const accepted = this.acceptPage(page);
    const stop = this.stopAfter(accepted);
    // The next page is requested as soon as this one arrives; its cursor is committed only after this one's.
    if (!stop) await this.requestNext(page.cursor);
    const stuckPage = accepted.stalled ? this.stuckPage(accepted) : undefined;
    if (stuckPage === 'seen') {
      await this.lastDelivery;
      this.deps.telemetry.warn('The API handed back the same stuck page again; not delivering it twice', {
        stopReason: stop,
        events: page.items.length,
      });
      return 'cursor_stalled';
    }
    return this.handOver(encodePage(this.deps, this.options, this.run, page, stuckPage), stop);
  }

  /** Waits for every queued delivery, failed or not. */
  async deliveriesSettled(): Promise<void> {
    await this.lastDelivery.catch(() => undefined);
  }

  /** Sends a request; its page is awaited in takePage. */
  private fetch(request: PageRequest): Promise<ParsedPage> {
    const pending = this.deps.api.fetchPage(this.deps.spec, request, this.requestDeadlineMs);
    pending.catch(() => undefined); // this only stops an early rejection from going unhandled
    return pending;
  }

  private send(request: PageRequest): void {
    this.request = request;
    this.inFlight = this.fetch(request);
  }

  /** The stop a failed request means, or a cursor fallback (undefined), or the failure itself (thrown). */
  private stopOrFallBack(error: unknown): StopReason | undefined {
    const { run, deps } = this;
    // Stops that are not failures: the next run continues from the committed cursor.
    const normalStop = normalStopFor(error);
    if (normalStop) {
      if (normalStop === 'throttled') {
        deps.telemetry.info(
          'The Events API is throttling beyond what this run can wait; stopping until the next run',
          { error: describeError(error) },
        );
      }
      run.hasMore = true;
      return normalStop;
    }
    if (error instanceof OutOfTimeError) {
      // After a page, the deadline ended the run; before any, the invocation is too short to make progress.
      if (run.pages > 0) {
        run.hasMore = true;
        return 'time_budget';
      }
      throw runErrors.noPageFitted(error.message);
    }
    if (!(error instanceof CursorRejectedError) || run.cursorFallback) throw error;
    run.cursorFallback = true;
    const request = fallbackRequest(deps, run);
    deps.telemetry.warn(
      'The stored cursor was rejected; restarting from the newest delivered event minus the overlap',
      {
        error: describeError(error),
        overlapSeconds: fallbackOverlapMs(deps.settings, run) / 1000,
        restartRequest: request,
      },
    );
    this.send(request);
    return undefined;
  }

  /**
   * The run's counts for a page that arrived; a cursor the row cannot hold fails the run before any
   * delivery.
   */
  private acceptPage(page: ParsedPage): AcceptedPage {
    const { run } = this;
    assertCursorFits(this.deps.spec.type, page.cursor, this.rowBytesWithoutCursor);
    run.pages++;
    run.hasMore = page.hasMore;
    const sentCursor = isCursorRequest(this.request) ? this.request.cursor : undefined;
    run.emptyPagesInARow = page.items.length === 0 ? run.emptyPagesInARow + 1 : 0;
    this.fetchedEvents += page.items.length;
    return { page, sentCursor, stalled: page.hasMore && page.cursor === sentCursor };
  }

  /** Why the run stops after this page, or undefined when it takes the next one. */
  private stopAfter({ page, stalled }: AcceptedPage): StopReason | undefined {
    if (!page.hasMore) return 'caught_up';
    if (stalled) return 'cursor_stalled';
    if (this.run.emptyPagesInARow >= MAX_EMPTY_PAGES) return 'empty_pages';
    if (this.fetchedEvents + this.pageBound() > this.deps.settings.maxEventsPerRun) return 'event_limit';
    if (!this.timeLeft()) return 'time_budget';
    return undefined;
  }

  private async requestNext(cursor: string): Promise<void> {
    this.send({ cursor });
    // Let the request leave before the page's synchronous line building: fetch needs a few turns of
    // the event loop to write it, which would otherwise wait for that work and delay the next page.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * A page handed back with its own cursor is delivered once; the same page again is only counted.
   * Its fingerprint (kept on the row with its commit), or 'seen' when it was delivered before.
   */
  private stuckPage({ page, sentCursor }: AcceptedPage): string {
    this.run.stuckPages++;
    const fingerprint = stuckPageFingerprint(sentCursor, page);
    return fingerprint === this.run.stuckPage ? 'seen' : fingerprint;
  }

  /**
   * Queues the page's delivery behind the one before it. On a stop, waits for every delivery and
   * returns the stop; otherwise waits only for the previous page's, so no further page is taken until
   * that is done. Lines are built before this (encodePage), so a waiting page holds only its lines
   * (slices of the body text), not its parsed events.
   */
  private async handOver(page: EncodedPage, stop: StopReason | undefined): Promise<StopReason | undefined> {
    const previous = this.lastDelivery;
    this.lastDelivery = previous.then(() => deliverAndCommit(this.deps, this.options, this.run, page));
    this.lastDelivery.catch(() => undefined); // awaited later; a failure skips every page queued after it
    if (!stop) {
      await previous;
      return undefined;
    }
    await this.lastDelivery;
    if (stop === 'cursor_stalled' || stop === 'empty_pages') {
      this.deps.telemetry.warn(
        'The API keeps answering has_more without progress; stopping until the next run',
        {
          stopReason: stop,
          emptyPagesInARow: this.run.emptyPagesInARow,
        },
      );
    }
    return stop;
  }

  private pageBound(): number {
    return Math.max(this.deps.settings.pageSize, this.run.pageLimit ?? 0);
  }

  private timeLeft(): boolean {
    return this.requestDeadlineMs - this.deps.now() >= (this.options.minRequestMs ?? MIN_REQUEST_MS);
  }
}

/**
 * The stop a request's error means when it is not a failure: the budget spent, or throttling beyond
 * the run's wait.
 */
export function normalStopFor(error: unknown): StopReason | undefined {
  if (error instanceof RequestBudgetSpentError) return 'request_budget';
  if (error instanceof ThrottledError) return 'throttled';
  return undefined;
}
