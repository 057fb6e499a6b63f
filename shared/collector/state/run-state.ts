import { instantToMillis, parseTimestamp } from '../../util/timestamp';
import type { CursorState } from './cursor-store';

/** What one run has done and knows so far; the page loop and each page's delivery update it. */
export class RunState {
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
  /** Events written with one reading of JSON that readers read differently (PageLines.ambiguousEvents). */
  ambiguousEvents = 0;
  /** Events filed under the receive date instead of their own (PageLines.dateFallbacks). */
  eventsOnReceiveDate = 0;
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
  /** Largest age (receipt minus event time) among the events this run delivered. */
  maxEventAgeMs: number | undefined;
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

/** What a failed run leaves behind, for its error message: committed pages and the page under way. */
export function whatWasCommitted(run: RunState): string {
  const committed =
    run.committedPages === 0
      ? 'This run committed nothing; the next run starts again from the same cursor.'
      : `This run delivered and committed ${run.events} events in ${run.committedPages} pages; the next ` +
        'run continues after them.';
  const underWay =
    run.deliveredNotCommitted > 0
      ? ` ${run.deliveredNotCommitted} events of the page under way may be in S3 without their cursor; ` +
        'the next run delivers them again (duplicates).'
      : '';
  return committed + underWay;
}
