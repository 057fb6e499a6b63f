import { MIN_FUNCTION_TIMEOUT_SECONDS, MIN_REQUEST_MS } from '../../contracts/run-timing';
import { AccountChangedError, AuthError, ConfigError, describeError } from '../../util/errors';
import { secondsSince } from '../../util/timestamp';
import type { RunRecord } from '../state/cursor-store';
import { RunState, whatWasCommitted } from '../state/run-state';
import { normalStopFor, pageLoop } from './page-loop';
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

  const lease = await store.acquireLease(
    spec.type,
    options.runId,
    options.deadlineMs + LEASE_GRACE_MS,
    options.deadlineMs,
  );
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
    // Alerts earlier runs staged and did not publish: sent beside the paging, never in its way.
    deps.alerts?.resumeStaged(options.deadlineMs);
    const stopReason = await pageLoop(deps, options, run, lease.state, lease.rowBytesWithoutCursor);
    const alerts = await deps.alerts?.settle();
    await store.releaseLease(spec.type, options.runId, runRecord('ok', stopReason), options.deadlineMs);
    logSchemaMismatches(telemetry, run);
    const summary = { ...summarize(run, 'ok', stopReason), ...(alerts ? { alerts } : {}) };
    reportRun(telemetry, summary);
    return summary;
  } catch (thrown) {
    let error = thrown;
    // Alerts of the pages committed before the failure are still sent (a send never throws).
    const alerts = await deps.alerts?.settle();
    if (error instanceof AuthError && deps.explainAuthFailure) error = await deps.explainAuthFailure(error);
    const message = `${describeError(error)} ${whatWasCommitted(run)}`;
    try {
      await store.releaseLease(
        spec.type,
        options.runId,
        runRecord('failed', 'failed', message),
        options.deadlineMs,
      );
    } catch (releaseError) {
      telemetry.warn('Could not release the lease; it expires by itself at the invocation deadline', {
        error: describeError(releaseError),
      });
    }
    logSchemaMismatches(telemetry, run);
    const summary = { ...summarize(run, 'failed', 'failed', message), ...(alerts ? { alerts } : {}) };
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

/** A token of another account than the one the type has collected from fails the run until an operator accepts it. */
function requireSameAccount(type: string, stored: string | undefined, seen: string | undefined): void {
  if (stored === undefined || seen === undefined || stored === seen) return;
  throw new AccountChangedError(
    `The token in the secret belongs to 1Password account ${seen}, but ${type} has been collected from account ${stored} so far; nothing was collected. If the token was replaced by mistake, put the right one back. If the new account is intended, run "op-events accept-account --type ${type}" (with --stack or --table) and the next run continues with it.`,
  );
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
