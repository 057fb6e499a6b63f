import { createHash } from 'node:crypto';
import type { CollectorConfig } from './config';
import { assertCursorFits, type CursorState, type CursorStore, type RunRecord } from './cursor-store';
import {
  AccountChangedError,
  AuthError,
  ConfigError,
  CursorRejectedError,
  describeError,
  OutOfTimeError,
  RequestBudgetSpentError,
  ThrottledError,
} from './errors';
import type { EventTypeSpec } from './event-types';
import { isCursorRequest, type PageRequest } from './events-api-client';
import type { DeliveryReport, EventSink } from './firehose-sink';
import type { ParsedPage } from './page-body';
import { type PageLines, pageToLines, type SchemaMismatch } from './page-lines';
import { reportRun } from './run-report';
import { MIN_FUNCTION_TIMEOUT_SECONDS, MIN_REQUEST_MS } from './run-timing';
import { startTimeProblem } from './start-time';
import type { Telemetry } from './telemetry';
import {
  instantToMillis,
  laterTimestamp,
  parseTimestamp,
  secondsSince,
  toWholeSecondRfc3339,
} from './timestamp';

/** Why a run stopped paging. */
export type StopReason =
  | 'caught_up'
  | 'event_limit'
  | 'time_budget'
  | 'cursor_stalled'
  | 'empty_pages'
  | 'request_budget'
  | 'throttled'
  | 'lease_busy'
  | 'failed';

export interface RunSummary {
  readonly type: string;
  readonly runId: string;
  readonly status: 'ok' | 'lease_busy' | 'failed';
  readonly stopReason: StopReason;
  readonly events: number;
  readonly pages: number;
  /** The API said more events were waiting when the run stopped. */
  readonly hasMore: boolean;
  readonly records: number;
  readonly retries: number;
  readonly throttles: number;
  readonly recordRetries: number;
  readonly duplicatesPossible: number;
  readonly duplicatesAvoided: number;
  readonly schemaMismatches: number;
  readonly oversizedEvents: number;
  readonly cursorFallback: boolean;
  readonly newestEventTime: string | undefined;
  /** Now minus the newest event ever delivered, in seconds (the LagSeconds metric is 0 once caught up). */
  readonly lagSeconds: number | undefined;
  readonly maxLatenessSeconds: number | undefined;
  /** Pages the API answered with the cursor they were asked with (has_more still true). */
  readonly stuckPages: number;
  /** Seconds until the token's `exp` claim, when it has one. */
  readonly tokenExpiresInSeconds: number | undefined;
  readonly durationMs: number;
  readonly error?: string;
}

/** What the run knows about the token once `beforeLease` has run. */
export interface TokenFacts {
  /** The account the token belongs to (introspection's account_uuid). */
  readonly accountUuid?: string;
  /** Epoch ms of the token's `exp` claim. */
  readonly expiresAtMs?: number;
}

/** The Events API as the run uses it. */
export interface PageSource {
  fetchPage(spec: EventTypeSpec, request: PageRequest, deadlineMs: number): Promise<ParsedPage>;
  readonly stats: { readonly requests: number; readonly retries: number; readonly throttles: number };
}

export type RunSettings = Pick<
  CollectorConfig,
  'maxEventsPerRun' | 'pageSize' | 'startTime' | 'startLookbackHours' | 'cursorFallbackOverlapMinutes'
>;

export interface CollectRunDeps {
  readonly spec: EventTypeSpec;
  readonly settings: RunSettings;
  readonly api: PageSource;
  readonly store: CursorStore;
  readonly sink: EventSink;
  readonly telemetry: Telemetry;
  readonly now: () => number;
  /**
   * Runs before the lease is taken (token scope check on a cold start): bad input changes no state.
   * Its requests end by `requestDeadlineMs`.
   */
  readonly beforeLease?: (requestDeadlineMs: number) => Promise<void>;
  /** Turns a 401 during paging into a message naming what is missing (introspection). */
  readonly explainAuthFailure?: (error: AuthError) => Promise<Error>;
  /** The token's account and expiry, read after `beforeLease`. */
  readonly tokenFacts?: () => TokenFacts;
}

export interface RunOptions {
  readonly runId: string;
  /** Epoch ms when the invocation ends. The lease expires at most LEASE_GRACE_MS later. */
  readonly deadlineMs: number;
  /** Kept free after the last request ends, for its page's delivery and that of the page ahead of it. */
  readonly reserveMs: number;
  /** The least time a request is given; with less left, no further page is requested. @default MIN_REQUEST_MS */
  readonly minRequestMs?: number;
}

const LEASE_GRACE_MS = 2_000;
/** Logged when another run holds the lease (the local run shows this one notice). */
export const LEASE_BUSY_MESSAGE = 'Another run holds the lease; leaving this schedule to it';
/** Pages with no events while has_more stays true that a run accepts before stopping. */
export const MAX_EMPTY_PAGES = 20;
/** Example event uuids the run's one schema-mismatch log line names. */
const MISMATCH_EXAMPLES = 5;

class RunState {
  events = 0;
  pages = 0;
  records = 0;
  recordRetries = 0;
  /** Pages whose cursor this run committed. */
  committedPages = 0;
  /** Events of a page that reached Firehose (maybe in part) and whose cursor was not committed. */
  deliveredNotCommitted = 0;
  duplicatesPossible = 0;
  duplicatesAvoided = 0;
  schemaMismatches = 0;
  /** Mismatched events per field, for the run's one log line. */
  readonly mismatchedFields = new Map<string, number>();
  readonly mismatchExamples: string[] = [];
  oversizedEvents = 0;
  stuckPages = 0;
  /** Largest lateness (see PageLines.maxBehindMs) this run delivered. */
  maxBehindMs = 0;
  /** The row's largest lateness, in seconds, as last stored. */
  storedMaxLatenessSeconds: number | undefined;
  /** Fingerprint of a stuck page already delivered (from the row). */
  stuckPage: string | undefined;
  accountUuid: string | undefined;
  /** Newest event time among the pages taken so far (encoded in fetch order, delivered or not), epoch ms. */
  newestFetchedMs: number | undefined;
  emptyPagesInARow = 0;
  hasMore = false;
  cursorFallback = false;
  maxLatenessMs: number | undefined;
  /** The cursor as last committed (or read at the start). */
  cursor: string | undefined;
  /** `limit` carried by the cursor chain in use. */
  pageLimit: number | undefined;
  newestEventTime: string | undefined;
  /** Events at or before this time are repeats of a rejected cursor's pages. */
  repeatsNotAfter: string | undefined;

  /** From the row as the lease found it; empty for a run that never got that far. */
  constructor(state: Partial<CursorState> = {}) {
    this.cursor = state.cursor;
    this.pageLimit = state.pageLimit;
    this.newestEventTime = state.newestEventTime;
    this.storedMaxLatenessSeconds = state.maxLatenessSeconds;
    this.stuckPage = state.stuckPage;
    const newest = parseTimestamp(state.newestEventTime);
    this.newestFetchedMs = newest ? instantToMillis(newest) : undefined;
  }
}

/**
 * One collector run, following the commit protocol: lease, read the cursor, page (deliver, then
 * commit, per page, in order; later pages are fetched meanwhile), stop on a bound, and release the
 * lease. A crash at any point repeats at most the one page delivered and not committed; nothing is
 * skipped.
 */
export async function collectRun(deps: CollectRunDeps, options: RunOptions): Promise<RunSummary> {
  const { spec, store, telemetry, now } = deps;
  const startedAt = now();
  const apiBefore = { ...deps.api.stats };
  const requestDeadlineMs = options.deadlineMs - options.reserveMs;
  let token: TokenFacts = {};
  try {
    requireTimeForOnePage(options, startedAt);
    await deps.beforeLease?.(requestDeadlineMs);
  } catch (error) {
    // The token check's request found the API throttling or the shared budget spent: a normal stop.
    const stop = normalStopFor(error);
    if (stop) {
      const summary = { ...summarize(new RunState(), 'ok', stop), hasMore: true };
      reportRun(telemetry, summary);
      return summary;
    }
    // Nothing was written; report the failure (auth alarms count it) and stop.
    reportRun(telemetry, summarize(new RunState(), 'failed', 'failed', describeError(error)), error);
    throw error;
  }
  token = deps.tokenFacts?.() ?? {};

  const lease = await store.acquireLease(spec.type, options.runId, options.deadlineMs + LEASE_GRACE_MS);
  if (!lease.acquired) {
    telemetry.info(LEASE_BUSY_MESSAGE, {
      holder: lease.holder,
      leaseExpiresAt: lease.expiresAt === undefined ? undefined : new Date(lease.expiresAt).toISOString(),
    });
    const summary = summarize(new RunState(), 'lease_busy', 'lease_busy');
    reportRun(telemetry, summary);
    return summary;
  }

  const run = new RunState(lease.state);
  run.accountUuid = token.accountUuid;
  try {
    requireSameAccount(spec.type, lease.state.accountUuid, token.accountUuid);
    const stopReason = await pageLoop(deps, options, run, lease.state, lease.rowBytesWithoutCursor);
    await store.releaseLease(spec.type, options.runId, runRecord('ok', stopReason));
    logSchemaMismatches(telemetry, run);
    const summary = summarize(run, 'ok', stopReason);
    reportRun(telemetry, summary);
    return summary;
  } catch (thrown) {
    let error = thrown;
    if (error instanceof AuthError && deps.explainAuthFailure) error = await deps.explainAuthFailure(error);
    const message = `${describeError(error)} ${whatWasCommitted(run)}`;
    try {
      await store.releaseLease(spec.type, options.runId, runRecord('failed', 'failed', message));
    } catch (releaseError) {
      telemetry.warn('Could not release the lease; it expires by itself at the invocation deadline', {
        error: describeError(releaseError),
      });
    }
    logSchemaMismatches(telemetry, run);
    const summary = summarize(run, 'failed', 'failed', message);
    reportRun(telemetry, summary, error);
    throw error;
  }

  function runRecord(result: RunRecord['result'], stopReason: StopReason, error?: string): RunRecord {
    return {
      runId: options.runId,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(now()).toISOString(),
      result,
      events: run.events,
      pages: run.pages,
      stopReason,
      ...(error ? { error } : {}),
    };
  }

  function summarize(
    state: RunState,
    status: RunSummary['status'],
    stopReason: StopReason,
    error?: string,
  ): RunSummary {
    const at = now();
    return {
      type: spec.type,
      runId: options.runId,
      status,
      stopReason,
      events: state.events,
      pages: state.pages,
      hasMore: state.hasMore,
      records: state.records,
      retries: deps.api.stats.retries - apiBefore.retries,
      throttles: deps.api.stats.throttles - apiBefore.throttles,
      recordRetries: state.recordRetries,
      duplicatesPossible: state.duplicatesPossible,
      duplicatesAvoided: state.duplicatesAvoided,
      schemaMismatches: state.schemaMismatches,
      oversizedEvents: state.oversizedEvents,
      cursorFallback: state.cursorFallback,
      newestEventTime: state.newestEventTime,
      lagSeconds: secondsSince(state.newestEventTime, at),
      maxLatenessSeconds:
        state.maxLatenessMs === undefined ? undefined : Math.max(0, state.maxLatenessMs / 1000),
      stuckPages: state.stuckPages,
      tokenExpiresInSeconds:
        token.expiresAtMs === undefined ? undefined : Math.round((token.expiresAtMs - at) / 1000),
      durationMs: at - startedAt,
      ...(error ? { error } : {}),
    };
  }
}

/** Fails, before anything is written, when the invocation cannot fit even one small page. */
function requireTimeForOnePage(options: RunOptions, nowMs: number): void {
  const minRequestMs = options.minRequestMs ?? MIN_REQUEST_MS;
  const leftMs = options.deadlineMs - nowMs;
  if (leftMs - options.reserveMs >= minRequestMs) return;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  throw new ConfigError(
    `This invocation had ${seconds(leftMs)} left, less than one page needs (${seconds(minRequestMs)} for a request and ${seconds(options.reserveMs)} for its delivery and commit). Raise the function timeout (the stack's collectorFunctionProps.timeout, at least ${MIN_FUNCTION_TIMEOUT_SECONDS} s).`,
  );
}

/** The stop a request's error means when it is not a failure: the budget spent, or throttling beyond the run's wait. */
function normalStopFor(error: unknown): StopReason | undefined {
  if (error instanceof RequestBudgetSpentError) return 'request_budget';
  if (error instanceof ThrottledError) return 'throttled';
  return undefined;
}

/** A token of another account than the one the type has collected from fails the run until an operator accepts it. */
function requireSameAccount(type: string, stored: string | undefined, seen: string | undefined): void {
  if (stored === undefined || seen === undefined || stored === seen) return;
  throw new AccountChangedError(
    `The token in the secret belongs to 1Password account ${seen}, but ${type} has been collected from account ${stored} so far; nothing was collected. If the token was replaced by mistake, put the right one back. If the new account is intended, run "op-events accept-account --type ${type}" (with --stack or --table) and the next run continues with it.`,
  );
}

/** A run that could not fetch a single page in its time: it must fail, or it would idle silently forever. */
function noPageFitted(why: string): OutOfTimeError {
  return new OutOfTimeError(
    `${why} No page fitted in this invocation: raise the function timeout (the stack's collectorFunctionProps.timeout), or lower PAGE_SIZE so that a page comes back sooner.`,
  );
}

/** What a failed run leaves behind, for its error message: committed pages and the page under way. */
function whatWasCommitted(run: RunState): string {
  const committed =
    run.committedPages === 0
      ? 'This run committed nothing; the next run starts again from the same cursor.'
      : `This run delivered and committed ${run.events} events in ${run.committedPages} pages; the next run continues after them.`;
  const underWay =
    run.deliveredNotCommitted > 0
      ? ` ${run.deliveredNotCommitted} events of the page under way may be in S3 without their cursor; the next run delivers them again (duplicates).`
      : '';
  return committed + underWay;
}

function resetRequest(settings: RunSettings, startMs: number): PageRequest {
  return { limit: settings.pageSize, start_time: toWholeSecondRfc3339(startMs) };
}

/** Where a run starts with nothing better to go on: START_LOOKBACK_HOURS before now. */
function lookbackStartMs(deps: CollectRunDeps): number {
  return deps.now() - deps.settings.startLookbackHours * 3_600_000;
}

function firstRequest(deps: CollectRunDeps, state: CursorState, run: RunState): PageRequest {
  if (state.cursor) return { cursor: state.cursor };
  const configured = parseTimestamp(state.startFrom ?? deps.settings.startTime);
  const startMs = configured ? instantToMillis(configured) : lookbackStartMs(deps);
  if (configured) {
    const source = state.startFrom ? 'The start set by "op-events reset"' : 'START_TIME';
    const problem = startTimeProblem(source, startMs, deps.now());
    if (problem?.kind === 'before_retention') {
      deps.telemetry.warn(
        `${problem.message} The API begins at the oldest event it still keeps; nothing older can be collected.`,
      );
    }
  }
  run.pageLimit = deps.settings.pageSize;
  return resetRequest(deps.settings, startMs);
}

/**
 * The overlap of a cursor fallback: CURSOR_FALLBACK_OVERLAP_MINUTES, or the largest lateness the type
 * has shown if that is more, since events that late may sit behind the rejected cursor.
 */
export function fallbackOverlapMs(
  settings: Pick<RunSettings, 'cursorFallbackOverlapMinutes'>,
  run: Pick<RunState, 'storedMaxLatenessSeconds' | 'maxBehindMs'>,
): number {
  return Math.max(
    settings.cursorFallbackOverlapMinutes * 60_000,
    (run.storedMaxLatenessSeconds ?? 0) * 1000,
    run.maxBehindMs,
  );
}

/** After a rejected cursor: restart from the newest delivered event minus the overlap (repeats are counted). */
function fallbackRequest(deps: CollectRunDeps, run: RunState): PageRequest {
  const newest = parseTimestamp(run.newestEventTime);
  const overlapMs = fallbackOverlapMs(deps.settings, run);
  const startMs = newest ? instantToMillis(newest) - overlapMs : lookbackStartMs(deps);
  run.pageLimit = deps.settings.pageSize;
  run.repeatsNotAfter = run.newestEventTime;
  return resetRequest(deps.settings, startMs);
}

async function pageLoop(
  deps: CollectRunDeps,
  options: RunOptions,
  run: RunState,
  state: CursorState,
  rowBytesWithoutCursor: number,
): Promise<StopReason> {
  const { spec, settings, telemetry, now } = deps;
  let request = firstRequest(deps, state, run);
  const pageBound = () => Math.max(settings.pageSize, run.pageLimit ?? 0);
  // Requests end early enough to leave the reserve for delivering and committing what they bring.
  const requestDeadlineMs = options.deadlineMs - options.reserveMs;
  const timeLeft = () => requestDeadlineMs - now() >= (options.minRequestMs ?? MIN_REQUEST_MS);

  if (pageBound() > settings.maxEventsPerRun) {
    throw new ConfigError(
      `The stored ${spec.type} cursor was created with a page limit of ${run.pageLimit}, more than MAX_EVENTS_PER_RUN (${settings.maxEventsPerRun}). Raise MAX_EVENTS_PER_RUN to at least ${run.pageLimit}, or move the start point with "op-events reset".`,
    );
  }
  if (!timeLeft()) throw noPageFitted('The time left after taking the lease is too short for a request.');

  const fetch = (body: PageRequest) => {
    const pending = deps.api.fetchPage(spec, body, requestDeadlineMs);
    pending.catch(() => undefined); // awaited below; this only stops an early rejection from going unhandled
    return pending;
  };
  let inFlight = fetch(request);
  /** Events in the pages taken from the API so far, delivered or waiting (the event limit counts these). */
  let fetchedEvents = 0;

  // Pages are delivered and committed one after another, in order, each only after the previous one
  // is committed: at most one page is ever in S3 without its commit. Fetching runs ahead of that, by
  // at most one page waiting behind the one being delivered.
  let lastDelivery: Promise<void> = Promise.resolve();
  const queueDelivery = (page: EncodedPage): Promise<void> => {
    const previous = lastDelivery;
    lastDelivery = previous.then(() => deliverAndCommit(deps, options, run, page));
    lastDelivery.catch(() => undefined); // awaited below; a failure skips every page queued after it
    return previous;
  };

  try {
    for (;;) {
      let page: ParsedPage;
      try {
        page = await inFlight;
      } catch (error) {
        // Deliveries still under way finish first; one that failed is the error that matters.
        await lastDelivery;
        // Stops that are not failures: the next run continues from the committed cursor.
        const normalStop = normalStopFor(error);
        if (normalStop) {
          if (normalStop === 'throttled') {
            telemetry.info(
              'The Events API is throttling beyond what this run can wait; stopping until the next run',
              {
                error: describeError(error),
              },
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
          throw noPageFitted(error.message);
        }
        if (!(error instanceof CursorRejectedError) || run.cursorFallback) throw error;
        run.cursorFallback = true;
        request = fallbackRequest(deps, run);
        telemetry.warn(
          'The stored cursor was rejected; restarting from the newest delivered event minus the overlap',
          {
            error: describeError(error),
            overlapSeconds: fallbackOverlapMs(settings, run) / 1000,
            restartRequest: request,
          },
        );
        inFlight = fetch(request);
        continue;
      }
      // A cursor the row cannot hold fails the run before any of its page is delivered.
      assertCursorFits(spec.type, page.cursor, rowBytesWithoutCursor);
      run.pages++;
      run.hasMore = page.hasMore;
      const sentCursor = isCursorRequest(request) ? request.cursor : undefined;
      const stalled = page.hasMore && page.cursor === sentCursor;
      run.emptyPagesInARow = page.items.length === 0 ? run.emptyPagesInARow + 1 : 0;
      fetchedEvents += page.items.length;

      let stop: StopReason | undefined;
      if (!page.hasMore) stop = 'caught_up';
      else if (stalled) stop = 'cursor_stalled';
      else if (run.emptyPagesInARow >= MAX_EMPTY_PAGES) stop = 'empty_pages';
      else if (fetchedEvents + pageBound() > settings.maxEventsPerRun) stop = 'event_limit';
      else if (!timeLeft()) stop = 'time_budget';

      // The next page is requested as soon as this one arrives; its cursor is committed only after this one's.
      if (!stop) {
        request = { cursor: page.cursor };
        inFlight = fetch(request);
        // Let the request leave before the page's synchronous line building: fetch needs a few turns of
        // the event loop to write it, which would otherwise wait for that work and delay the next page.
        await new Promise((resolve) => setImmediate(resolve));
      }

      // A page handed back with its own cursor is delivered once; the same page again is only counted.
      let stuckPage: string | undefined;
      if (stalled) {
        run.stuckPages++;
        stuckPage = stuckPageFingerprint(sentCursor, page);
        if (stuckPage === run.stuckPage) {
          await lastDelivery;
          telemetry.warn('The API handed back the same stuck page again; not delivering it twice', {
            stopReason: stop,
            events: page.items.length,
          });
          return 'cursor_stalled';
        }
      }

      // Lines are built now rather than when the page's turn comes, so a waiting page holds only its
      // lines (slices of the body text), not its parsed events.
      const previousDelivery = queueDelivery(encodePage(deps, options, run, page, stuckPage));
      if (stop) {
        await lastDelivery;
        if (stop === 'cursor_stalled' || stop === 'empty_pages') {
          telemetry.warn('The API keeps answering has_more without progress; stopping until the next run', {
            stopReason: stop,
            emptyPagesInARow: run.emptyPagesInARow,
          });
        }
        return stop;
      }
      // This page waits while the previous one is delivered; no further page is taken until that is done.
      await previousDelivery;
    }
  } finally {
    // Never return or throw with a delivery under way: the lease is released next.
    await lastDelivery.catch(() => undefined);
  }
}

/** Identifies a stuck page: the cursor it was asked with and its items' text. */
function stuckPageFingerprint(sentCursor: string | undefined, page: ParsedPage): string {
  const hash = createHash('sha256').update(sentCursor ?? '');
  for (const item of page.rawItems) hash.update('\n').update(item);
  return hash.digest('base64url');
}

/** A page ready for delivery: its lines and what the run records about it, without the parsed events. */
interface EncodedPage extends PageLines {
  readonly cursor: string;
  readonly events: number;
  /** Set on a stuck page: its fingerprint, kept on the row so that it is not delivered again. */
  readonly stuckPage?: string;
}

function encodePage(
  deps: CollectRunDeps,
  options: RunOptions,
  run: RunState,
  page: ParsedPage,
  stuckPage: string | undefined,
): EncodedPage {
  const receivedAtMs = deps.now();
  const repeatsNotAfter = parseTimestamp(run.repeatsNotAfter);
  const encoded = pageToLines(page, {
    type: deps.spec.type,
    receivedAtMs,
    runId: options.runId,
    ...(repeatsNotAfter ? { repeatsNotAfter } : {}),
    ...(run.newestFetchedMs === undefined ? {} : { newestBeforeMs: run.newestFetchedMs }),
  });
  const newest = parseTimestamp(encoded.newestEventTime);
  if (newest) run.newestFetchedMs = Math.max(run.newestFetchedMs ?? 0, instantToMillis(newest));
  if (encoded.renamedKeyEvents.length > 0) {
    deps.telemetry.warn('Events carried their own top-level _collector key; kept as _event_collector', {
      events: encoded.renamedKeyEvents.slice(0, 5),
      count: encoded.renamedKeyEvents.length,
    });
  }
  if (encoded.oversizedEvents > 0) {
    deps.telemetry.warn('Events larger than one Firehose record were delivered as chunk lines', {
      oversizedEvents: encoded.oversizedEvents,
    });
  }
  return { ...encoded, cursor: page.cursor, events: page.items.length, ...(stuckPage ? { stuckPage } : {}) };
}

/**
 * Delivers a page, then commits its cursor. Not async on purpose: the lines are handed to the sink
 * (which packs them at once) before anything waits, so they do not stay reachable from a suspended
 * frame while Firehose and DynamoDB answer.
 */
function deliverAndCommit(
  deps: CollectRunDeps,
  options: RunOptions,
  run: RunState,
  page: EncodedPage,
): Promise<void> {
  const { lines, ...facts } = page;
  const delivered =
    lines.length > 0 ? recordDelivery(run, deps.sink.deliver(lines, options.deadlineMs), facts) : undefined;
  return commitAfter(deps, options, run, delivered, facts);
}

async function recordDelivery(
  run: RunState,
  sending: Promise<DeliveryReport>,
  facts: Omit<EncodedPage, 'lines'>,
): Promise<void> {
  try {
    const delivery = await sending;
    run.records += delivery.records;
    run.recordRetries += delivery.recordRetries;
    run.duplicatesAvoided += delivery.duplicatesAvoided;
  } catch (error) {
    // Some records of this page may be in S3 already; the next run repeats the whole page.
    run.duplicatesPossible += facts.events;
    run.deliveredNotCommitted += facts.events;
    throw error;
  }
  countMismatches(run, facts.schemaMismatches);
  run.maxBehindMs = Math.max(run.maxBehindMs, facts.maxBehindMs);
  run.oversizedEvents += facts.oversizedEvents;
  run.duplicatesPossible += facts.eventsNotAfter;
  if (facts.maxLatenessMs !== undefined) {
    run.maxLatenessMs = Math.max(run.maxLatenessMs ?? facts.maxLatenessMs, facts.maxLatenessMs);
  }
  run.newestEventTime = laterTimestamp(run.newestEventTime, facts.newestEventTime);
}

/** One line per run, however many events differ from the schema: counts per field and a few uuids. */
function logSchemaMismatches(telemetry: Telemetry, run: RunState): void {
  if (run.schemaMismatches === 0) return;
  telemetry.warn('Events did not match the schema; delivered unchanged', {
    events: run.schemaMismatches,
    fields: Object.fromEntries(run.mismatchedFields),
    exampleUuids: run.mismatchExamples,
  });
}

function countMismatches(run: RunState, mismatches: readonly SchemaMismatch[]): void {
  run.schemaMismatches += mismatches.length;
  for (const mismatch of mismatches) {
    for (const field of mismatch.fields)
      run.mismatchedFields.set(field, (run.mismatchedFields.get(field) ?? 0) + 1);
    if (mismatch.uuid && run.mismatchExamples.length < MISMATCH_EXAMPLES)
      run.mismatchExamples.push(mismatch.uuid);
  }
}

async function commitAfter(
  deps: CollectRunDeps,
  options: RunOptions,
  run: RunState,
  delivered: Promise<void> | undefined,
  page: { readonly cursor: string; readonly events: number; readonly stuckPage?: string },
): Promise<void> {
  await delivered;
  // Kept on the row in whole seconds, only when it grew: the least overlap of a later cursor fallback.
  const lateness = Math.ceil(run.maxBehindMs / 1000);
  const latenessGrew = lateness > (run.storedMaxLatenessSeconds ?? 0);
  if (page.cursor !== run.cursor || page.events > 0) {
    try {
      await deps.store.commitPage(deps.spec.type, options.runId, {
        cursor: page.cursor,
        pageLimit: run.pageLimit,
        newestEventTime: run.newestEventTime,
        events: page.events,
        ...(run.accountUuid ? { accountUuid: run.accountUuid } : {}),
        ...(latenessGrew ? { maxLatenessSeconds: lateness } : {}),
        ...(page.stuckPage ? { stuckPage: page.stuckPage } : {}),
      });
      if (latenessGrew) run.storedMaxLatenessSeconds = lateness;
    } catch (error) {
      run.duplicatesPossible += page.events;
      run.deliveredNotCommitted += page.events;
      throw error;
    }
    run.cursor = page.cursor;
  }
  run.committedPages++;
  run.events += page.events;
}
