/**
 * The contracts of a collector run: what it needs (its dependencies and options) and what it reports
 * (its summary). The run (collect-run.ts), its page loop and its report (run-report.ts) all read them.
 */

import type { EventTypeSpec } from '../../contracts/event-types';
import type { AuthError } from '../../util/errors';
import type { EventSink } from '../delivery/firehose-sink';
import type { PageRequest } from '../events-api/events-api-client';
import type { ParsedPage } from '../events-api/page-body';
import type { CursorStore } from '../state/cursor-store';
import type { AlertCounts, AlertDispatch } from './alert-dispatch';
import type { CollectorConfig } from './environment';
import type { Telemetry } from './telemetry';

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
  /**
   * Events with a key twice in one object or a lone surrogate escape, written with one reading
   * (_collector.as_sent).
   */
  readonly ambiguousEvents: number;
  /**
   * Events filed under the day they were received: timestamp missing, unreadable, or a date the `dt`
   * projection does not reach (`_collector.date_fallback`).
   */
  readonly eventsOnReceiveDate: number;
  readonly cursorFallback: boolean;
  readonly newestEventTime: string | undefined;
  /** Now minus the newest event ever delivered, in seconds (the LagSeconds metric is 0 once caught up). */
  readonly lagSeconds: number | undefined;
  /** Age of the oldest event the run delivered: now minus its timestamp at receipt, in seconds. */
  readonly maxEventAgeSeconds: number | undefined;
  /**
   * Lateness: how far the run's most out-of-order event was behind a newer event collected before it
   * (in this run or, per the cursor row, before), in seconds; 0 when every event arrived in time order.
   * Undefined for a run that delivered nothing.
   */
  readonly maxLatenessSeconds: number | undefined;
  /** Pages the API answered with the cursor they were asked with (has_more still true). */
  readonly stuckPages: number;
  /** Seconds until the token's `exp` claim, when it has one. */
  readonly tokenExpiresInSeconds: number | undefined;
  readonly durationMs: number;
  readonly error?: string;
  /** What the run's alerts came to; absent when alerts are off. */
  readonly alerts?: AlertCounts;
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
  /**
   * The one-event rules and the alert outbox; absent when alerts are off
   * (shared/collector/run/alert-dispatch.ts).
   */
  readonly alerts?: AlertDispatch;
}

export interface RunOptions {
  readonly runId: string;
  /** Epoch ms when the invocation ends. The lease expires at most LEASE_GRACE_MS later. */
  readonly deadlineMs: number;
  /** Kept free after the last request ends, for its page's delivery and that of the page ahead of it. */
  readonly reserveMs: number;
  /**
   * The least time a request is given; with less left, no further page is requested. @default MIN_REQUEST_MS
   */
  readonly minRequestMs?: number;
}
