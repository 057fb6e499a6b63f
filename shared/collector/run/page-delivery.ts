/**
 * A page's way from the API's body to a committed cursor: its lines are built when it arrives, then
 * delivered to Firehose, then its cursor is committed, each page after the one before it.
 */
import { createHash } from 'node:crypto';
import type { AlertDetail } from '../../detections/alert-event';
import { instantToMillis, laterTimestamp, parseTimestamp } from '../../util/timestamp';
import type { DeliveryReport } from '../delivery/firehose-sink';
import { type PageLines, pageToLines, type SchemaMismatch } from '../delivery/page-lines';
import type { ParsedPage } from '../events-api/page-body';
import type { RunState } from '../state/run-state';
import type { CollectRunDeps, RunOptions } from './run-types';

/** Example event uuids the run's one schema-mismatch log line names. */
const MISMATCH_EXAMPLES = 5;

/** Identifies a stuck page: the cursor it was asked with and its items' text. */
export function stuckPageFingerprint(sentCursor: string | undefined, page: ParsedPage): string {
  const hash = createHash('sha256').update(sentCursor ?? '');
  for (const item of page.rawItems) hash.update('\n').update(item);
  return hash.digest('base64url');
}

/** A page ready for delivery: its lines and what the run records about it, without the parsed events. */
export interface EncodedPage extends PageLines {
  readonly cursor: string;
  readonly events: number;
  /** Set on a stuck page: its fingerprint, kept on the row so that it is not delivered again. */
  readonly stuckPage?: string;
  /** What the one-event rules found on the page: staged before its commit, published after. */
  readonly alerts: readonly AlertDetail[];
}

export function encodePage(
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
  if (encoded.ambiguousEvents.length > 0) {
    deps.telemetry.warn(
      'Events had a key twice in one object or a lone surrogate escape; written with the value jq and ' +
        'JSON.parse read, the text as sent kept in _collector.as_sent',
      { events: encoded.ambiguousEvents.slice(0, 5), count: encoded.ambiguousEvents.length },
    );
  }
  if (encoded.dateFallbacks.length > 0) {
    const reasons: Record<string, number> = {};
    for (const { reason } of encoded.dateFallbacks) reasons[reason] = (reasons[reason] ?? 0) + 1;
    deps.telemetry.warn(
      'Events filed under the day they were received: their timestamp is missing, unreadable, or a ' +
        'date the dt projection does not reach (_collector.date_fallback)',
      { reasons, events: encoded.dateFallbacks.slice(0, 5).map((e) => e.event) },
    );
  }
  if (encoded.oversizedEvents > 0) {
    deps.telemetry.warn('Events larger than one Firehose record were delivered as chunk lines', {
      oversizedEvents: encoded.oversizedEvents,
    });
  }
  // The rules read the parsed events here, the one place they exist: a waiting page keeps only its lines.
  const alerts = deps.alerts && page.items.length > 0 ? deps.alerts.detect(deps.spec.type, page.items) : [];
  return {
    ...encoded,
    cursor: page.cursor,
    events: page.items.length,
    alerts,
    ...(stuckPage ? { stuckPage } : {}),
  };
}

/**
 * Delivers a page, then commits its cursor. Not async on purpose: the lines are handed to the sink
 * (which packs them at once) before anything waits, so they do not stay reachable from a suspended
 * frame while Firehose and DynamoDB answer.
 */
export function deliverAndCommit(
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
  run.ambiguousEvents += facts.ambiguousEvents.length;
  run.eventsOnReceiveDate += facts.dateFallbacks.length;
  run.duplicatesPossible += facts.eventsNotAfter;
  if (facts.maxEventAgeMs !== undefined) {
    run.maxEventAgeMs = Math.max(run.maxEventAgeMs ?? facts.maxEventAgeMs, facts.maxEventAgeMs);
  }
  run.newestEventTime = laterTimestamp(run.newestEventTime, facts.newestEventTime);
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
  page: {
    readonly cursor: string;
    readonly events: number;
    readonly stuckPage?: string;
    readonly alerts: readonly AlertDetail[];
  },
): Promise<void> {
  await delivered;
  // Kept on the row in whole seconds, only when it grew: the least overlap of a later cursor fallback.
  const lateness = Math.ceil(run.maxBehindMs / 1000);
  const latenessGrew = lateness > (run.storedMaxLatenessSeconds ?? 0);
  if (page.cursor !== run.cursor || page.events > 0) {
    try {
      // Staged before the commit: a crash after it leaves them for the next run's publish.
      if (deps.alerts && page.alerts.length > 0) await deps.alerts.stage(page.alerts, options.deadlineMs);
      await deps.store.commitPage(
        deps.spec.type,
        options.runId,
        {
          cursor: page.cursor,
          pageLimit: run.pageLimit,
          newestEventTime: run.newestEventTime,
          events: page.events,
          ...(run.accountUuid ? { accountUuid: run.accountUuid } : {}),
          ...(latenessGrew ? { maxLatenessSeconds: lateness } : {}),
          ...(page.stuckPage ? { stuckPage: page.stuckPage } : {}),
        },
        options.deadlineMs,
      );
      if (latenessGrew) run.storedMaxLatenessSeconds = lateness;
    } catch (error) {
      run.duplicatesPossible += page.events;
      run.deliveredNotCommitted += page.events;
      throw error;
    }
    run.cursor = page.cursor;
    deps.alerts?.publishAfterCommit(page.alerts, options.deadlineMs);
  }
  run.committedPages++;
  run.events += page.events;
}
