import { type DateFallback, METADATA_KEY } from '../../contracts/s3-layout';
import {
  compareInstants,
  type Instant,
  instantToMillis,
  parseTimestamp,
  utcDate,
} from '../../util/timestamp';
import { findSchemaMismatches } from '../events-api/event-schemas';
import { unambiguousText } from '../events-api/json-ambiguity';
import type { ParsedPage } from '../events-api/page-body';
import { dateFallback, dayOfMillis } from './event-date';
import {
  encodeEventLines,
  type LineContext,
  type MetadataExtras,
  metadataText,
  renameOwnMetadataKeys,
} from './event-lines';

export interface SchemaMismatch {
  readonly uuid: string | undefined;
  readonly fields: readonly string[];
}

/** A page turned into output lines, with what the run reports about its events. */
export interface PageLines {
  readonly lines: string[];
  /** Newest event timestamp on the page, as the API wrote it. */
  readonly newestEventTime: string | undefined;
  /** Largest (received - event time) on the page, in milliseconds. */
  readonly maxEventAgeMs: number | undefined;
  /**
   * Largest amount by which an event's time is behind the newest event before it (on this page, or
   * `newestBeforeMs`), in milliseconds: how late events arrive in the API's order. 0 when none is behind.
   */
  readonly maxBehindMs: number;
  /** Events at or before `since` (for counting repeats after a cursor fallback). */
  readonly eventsNotAfter: number;
  readonly schemaMismatches: readonly SchemaMismatch[];
  /** Events that needed more than one line (larger than a Firehose record). */
  readonly oversizedEvents: number;
  /** Events (uuid, or position on the page) whose own `_collector` key was renamed. */
  readonly renamedKeyEvents: readonly string[];
  /**
   * Events (uuid, or position on the page) that JSON readers would read differently, written with one
   * reading and their text as sent (`_collector.as_sent`; shared/collector/events-api/json-ambiguity.ts).
   */
  readonly ambiguousEvents: readonly string[];
  /** Events filed under the receive date, and why (shared/collector/delivery/event-date.ts). */
  readonly dateFallbacks: readonly DateFallbackEvent[];
}

export interface DateFallbackEvent {
  /** The event's uuid, or its position on the page. */
  readonly event: string;
  readonly reason: DateFallback;
}

/** What a page's lines are made with: the line context, with the receive time as epoch milliseconds. */
export interface PageContext extends Omit<LineContext, 'receivedAt'> {
  readonly receivedAtMs: number;
  /** Events at or before this instant are counted as repeats of a rejected cursor's pages. */
  readonly repeatsNotAfter?: Instant;
  /** The newest event time (epoch ms) among the pages before this one. */
  readonly newestBeforeMs?: number;
}

/**
 * The collector's hot path: for each event, check it against its schema, find its date and write
 * its line from the original text. Nothing here changes an event.
 */
export function pageToLines(page: ParsedPage, pageContext: PageContext): PageLines {
  const context: LineContext = {
    ...pageContext,
    receivedAt: new Date(pageContext.receivedAtMs).toISOString(),
  };
  const receivedDate = context.receivedAt.slice(0, 10);
  const lines: string[] = [];
  const mismatches: SchemaMismatch[] = [];
  let newest: Instant | undefined;
  let oldest: Instant | undefined;
  let newestText: string | undefined;
  let oversized = 0;
  let notAfter = 0;
  let runningNewestMs = pageContext.newestBeforeMs;
  let maxBehindMs = 0;
  const renamedKeyEvents: string[] = [];
  const ambiguousEvents: string[] = [];
  const dateFallbacks: DateFallbackEvent[] = [];
  const receivedDay = dayOfMillis(pageContext.receivedAtMs);
  const metadataByDate = new Map<string, string>();
  const rawItems = page.rawItems;
  const ambiguous = page.ambiguousItems;
  page.items.forEach((item, index) => {
    const event = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const uuid = typeof event.uuid === 'string' ? event.uuid : undefined;
    const fields = findSchemaMismatches(context.type, item);
    if (fields.length > 0) mismatches.push({ uuid, fields });
    const parsed = parseTimestamp(event.timestamp);
    const fallback = dateFallback(event.timestamp, parsed, receivedDay);
    // A time outside the projected dates is not one the run reasons with (newest event, lateness):
    // a year-9999 timestamp would otherwise move a cursor fallback's restart past every real event.
    const at = fallback === undefined ? parsed : undefined;
    if (at && (!newest || compareInstants(at, newest) > 0)) {
      newest = at;
      newestText = event.timestamp as string;
    }
    if (at && (!oldest || compareInstants(at, oldest) < 0)) oldest = at;
    if (at) {
      const atMs = instantToMillis(at);
      if (runningNewestMs === undefined || atMs > runningNewestMs) runningNewestMs = atMs;
      else maxBehindMs = Math.max(maxBehindMs, runningNewestMs - atMs);
    }
    if (at && pageContext.repeatsNotAfter && compareInstants(at, pageContext.repeatsNotAfter) <= 0)
      notAfter++;
    const eventDate = at ? utcDate(at) : receivedDate;
    const asSent = rawItems[index] as string;
    let text = asSent;
    let extras: MetadataExtras | undefined;
    if (fallback !== undefined) {
      extras = { date_fallback: fallback };
      dateFallbacks.push({ event: uuid ?? `item ${index}`, reason: fallback });
    }
    if (Object.hasOwn(event, METADATA_KEY) && !Array.isArray(item)) {
      const kept = renameOwnMetadataKeys(text);
      text = kept.text;
      extras = { ...extras, renamed_keys: kept.renamed };
      renamedKeyEvents.push(uuid ?? `item ${index}`);
    }
    const rewritten = ambiguous?.has(index) ? unambiguousText(text) : undefined;
    if (rewritten) {
      text = rewritten.text;
      extras = {
        ...extras,
        ...(rewritten.repeatedKeys.length > 0 ? { repeated_keys: rewritten.repeatedKeys } : {}),
        ...(rewritten.loneSurrogates > 0 ? { lone_surrogates: rewritten.loneSurrogates } : {}),
        as_sent: asSent,
      };
      ambiguousEvents.push(uuid ?? `item ${index}`);
    }
    let metadata = extras ? metadataText(eventDate, context, extras) : metadataByDate.get(eventDate);
    if (metadata === undefined) {
      metadata = metadataText(eventDate, context);
      metadataByDate.set(eventDate, metadata);
    }
    const eventLines = encodeEventLines(
      text,
      eventDate,
      context,
      uuid ?? `${context.runId}-${index}`,
      metadata,
      text === asSent && fallback === undefined ? undefined : { text: asSent, dateFallback: fallback },
    );
    if (eventLines.length > 1) oversized++;
    for (const line of eventLines) lines.push(line);
  });
  return {
    lines,
    newestEventTime: newestText,
    maxEventAgeMs: oldest ? pageContext.receivedAtMs - instantToMillis(oldest) : undefined,
    maxBehindMs,
    eventsNotAfter: notAfter,
    schemaMismatches: mismatches,
    oversizedEvents: oversized,
    renamedKeyEvents,
    ambiguousEvents,
    dateFallbacks,
  };
}
