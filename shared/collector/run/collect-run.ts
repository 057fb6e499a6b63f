import { MIN_FUNCTION_TIMEOUT_SECONDS, MIN_REQUEST_MS } from '../../contracts/run-timing';
import { AuthError, describeError } from '../../util/errors';
import { secondsSince } from '../../util/timestamp';
import type { RunRecord } from '../state/cursor-store';
import { RunState, whatWasCommitted } from '../state/run-state';
import { normalStopFor, pageLoop } from './page-loop';
import { runErrors } from './run-errors';
import { reportRun } from './run-report';
import type { CollectRunDeps, RunOptions, RunSummary, StopReason, TokenFacts } from './run-types';
import type { Telemetry } from './telemetry';

export { MAX_EMPTY_PAGES } from './page-loop';
export type {
  CollectRunDeps,
  PageSource,
  RunOptions,
  RunSettings,
  RunSummary,
  StopReason,
  TokenFacts,
} from './run-types';

const LEASE_GRACE_MS = 2_000;
/** Logged when another run holds the lease (the local run shows this one notice). */
export const LEASE_BUSY_MESSAGE = 'Another run holds the lease; leaving this schedule to it';
/** The run's one log line about events that did not match the schema (the local run tallies it instead). */
export const SCHEMA_MISMATCH_MESSAGE = 'Events did not match the schema; delivered unchanged';

/** What every step of one run reads: its dependencies, options, start, and the token's facts. */
interface RunContext {
  readonly deps: CollectRunDeps;
  readonly options: RunOptions;
  readonly startedAt: number;
  /** The API client's counters when the run started: the summary reports the difference. */
  readonly apiBefore: { readonly retries: number; readonly throttles: number };
  readonly token: TokenFacts;
}

/**
 * One collector run, following the commit protocol: lease, read the cursor, page (deliver, then
 * commit, per page, in order; later pages are fetched meanwhile), stop on a bound, and release the
 * lease. A crash at any point repeats at most the one page delivered and not committed; nothing is
 * skipped.
 */
export async function collectRun(deps: CollectRunDeps, options: RunOptions): Promise<RunSummary> {
  const started = { deps, options, startedAt: deps.now(), apiBefore: { ...deps.api.stats }, token: {} };
  const stoppedEarly = await checkBeforeLease(started);
  if (stoppedEarly) return stoppedEarly;
  const context: RunContext = { ...started, token: deps.tokenFacts?.() ?? {} };
  const { spec, store } = deps;
  const lease = await store.acquireLease(
    spec.type,
    options.runId,
    options.deadlineMs + LEASE_GRACE_MS,
    options.deadlineMs,
  );
  if (!lease.acquired) return leaseBusy(context, lease);
  const run = new RunState(lease.state);
  run.accountUuid = context.token.accountUuid;
  try {
    requireSameAccount(spec.type, lease.state.accountUuid, context.token.accountUuid);
    // Alerts earlier runs staged and did not publish: sent beside the paging, never in its way.
    deps.alerts?.resumeStaged(options.deadlineMs);
    const stopReason = await pageLoop(deps, options, run, lease.state, lease.rowBytesWithoutCursor);
    const alerts = await deps.alerts?.settle();
    await store.releaseLease(
      spec.type,
      options.runId,
      runRecord(context, run, 'ok', stopReason),
      options.deadlineMs,
    );
    logSchemaMismatches(deps.telemetry, run);
    const summary = { ...summarize(context, run, 'ok', stopReason), ...(alerts ? { alerts } : {}) };
    reportRun(deps.telemetry, summary);
    return summary;
  } catch (thrown) {
    throw await recordFailure(context, run, thrown);
  }
}

/**
 * Before anything is written: time for one page, and the token check (`beforeLease`). A check that
 * found the API throttling or the shared budget spent ends the run normally (its summary); any other
 * failure is reported and thrown.
 */
async function checkBeforeLease(context: RunContext): Promise<RunSummary | undefined> {
  const { deps, options, startedAt } = context;
  try {
    requireTimeForOnePage(options, startedAt);
    await deps.beforeLease?.(options.deadlineMs - options.reserveMs);
    return undefined;
  } catch (error) {
    const stop = normalStopFor(error);
    if (stop) {
      const summary = { ...summarize(context, new RunState(), 'ok', stop), hasMore: true };
      reportRun(deps.telemetry, summary);
      return summary;
    }
    // Nothing was written; report the failure (auth alarms count it) and stop.
    const failed = summarize(context, new RunState(), 'failed', 'failed', describeError(error));
    reportRun(deps.telemetry, failed, error);
    throw error;
  }
}

/** Another run holds the lease: this one leaves the schedule to it. */
function leaseBusy(
  context: RunContext,
  lease: { readonly holder: string | undefined; readonly expiresAt: number | undefined },
): RunSummary {
  const { telemetry } = context.deps;
  telemetry.info(LEASE_BUSY_MESSAGE, {
    holder: lease.holder,
    leaseExpiresAt: lease.expiresAt === undefined ? undefined : new Date(lease.expiresAt).toISOString(),
  });
  const summary = summarize(context, new RunState(), 'lease_busy', 'lease_busy');
  reportRun(telemetry, summary);
  return summary;
}

/**
 * A run that failed while it held the lease: its alerts settled, the failure recorded in the row as
 * the lease is released (or left to expire), reported; returns the error to throw.
 */
async function recordFailure(context: RunContext, run: RunState, thrown: unknown): Promise<unknown> {
  const { deps, options } = context;
  const { telemetry } = deps;
  let error = thrown;
  // Alerts of the pages committed before the failure are still sent (a send never throws).
  const alerts = await deps.alerts?.settle();
  if (error instanceof AuthError && deps.explainAuthFailure) error = await deps.explainAuthFailure(error);
  const message = `${describeError(error)} ${whatWasCommitted(run)}`;
  try {
    const record = runRecord(context, run, 'failed', 'failed', message);
    await deps.store.releaseLease(deps.spec.type, options.runId, record, options.deadlineMs);
  } catch (releaseError) {
    telemetry.warn('Could not release the lease; it expires by itself at the invocation deadline', {
      error: describeError(releaseError),
    });
  }
  logSchemaMismatches(telemetry, run);
  const summary = { ...summarize(context, run, 'failed', 'failed', message), ...(alerts ? { alerts } : {}) };
  reportRun(telemetry, summary, error);
  return error;
}

/** How the run ended, as the cursor row keeps it (`last_run`). */
function runRecord(
  { options, startedAt, deps }: RunContext,
  run: RunState,
  result: RunRecord['result'],
  stopReason: StopReason,
  error?: string,
): RunRecord {
  return {
    runId: options.runId,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(deps.now()).toISOString(),
    result,
    events: run.events,
    pages: run.pages,
    stopReason,
    ...(error ? { error } : {}),
  };
}

/** The run's summary: what it collected and delivered, how far behind it is, and what it cost. */
function summarize(
  { deps, options, startedAt, apiBefore, token }: RunContext,
  state: RunState,
  status: RunSummary['status'],
  stopReason: StopReason,
  error?: string,
): RunSummary {
  const at = deps.now();
  return {
    type: deps.spec.type,
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
    ambiguousEvents: state.ambiguousEvents,
    eventsOnReceiveDate: state.eventsOnReceiveDate,
    cursorFallback: state.cursorFallback,
    newestEventTime: state.newestEventTime,
    lagSeconds: secondsSince(state.newestEventTime, at),
    maxEventAgeSeconds:
      state.maxEventAgeMs === undefined ? undefined : Math.max(0, state.maxEventAgeMs / 1000),
    maxLatenessSeconds: state.events > 0 ? state.maxBehindMs / 1000 : undefined,
    stuckPages: state.stuckPages,
    tokenExpiresInSeconds:
      token.expiresAtMs === undefined ? undefined : Math.round((token.expiresAtMs - at) / 1000),
    durationMs: at - startedAt,
    ...(error ? { error } : {}),
  };
}

/** Fails, before anything is written, when the invocation cannot fit even one small page. */
function requireTimeForOnePage(options: RunOptions, nowMs: number): void {
  const minRequestMs = options.minRequestMs ?? MIN_REQUEST_MS;
  const leftMs = options.deadlineMs - nowMs;
  if (leftMs - options.reserveMs >= minRequestMs) return;
  throw runErrors.tooLittleTimeForAPage({
    leftMs,
    requestMs: minRequestMs,
    reserveMs: options.reserveMs,
    minTimeoutSeconds: MIN_FUNCTION_TIMEOUT_SECONDS,
  });
}

/**
 * A token of another account than the one the type has collected from fails the run until an
 * operator accepts it.
 */
function requireSameAccount(type: string, stored: string | undefined, seen: string | undefined): void {
  if (stored === undefined || seen === undefined || stored === seen) return;
  throw runErrors.tokenOfAnotherAccount(type, { collected: stored, token: seen });
}

/** One line per run, however many events differ from the schema: counts per field and a few uuids. */
function logSchemaMismatches(telemetry: Telemetry, run: RunState): void {
  if (run.schemaMismatches === 0) return;
  telemetry.warn(SCHEMA_MISMATCH_MESSAGE, {
    events: run.schemaMismatches,
    fields: Object.fromEntries(run.mismatchedFields),
    exampleUuids: run.mismatchExamples,
  });
}
