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

/** The times of a page's events: newest and oldest, how late they arrive, repeats of a rejected cursor. */
class PageTimes {
  newest: Instant | undefined;
  newestText: string | undefined;
  oldest: Instant | undefined;
  maxBehindMs = 0;
  notAfter = 0;
  private runningNewestMs: number | undefined;

  constructor(private readonly context: PageContext) {
    this.runningNewestMs = context.newestBeforeMs;
  }

  /** An event whose time the run reasons with, `text` as the API wrote it. */
  add(at: Instant, text: string): void {
    if (!this.newest || compareInstants(at, this.newest) > 0) {
      this.newest = at;
      this.newestText = text;
    }
    if (!this.oldest || compareInstants(at, this.oldest) < 0) this.oldest = at;
    const atMs = instantToMillis(at);
    if (this.runningNewestMs === undefined || atMs > this.runningNewestMs) this.runningNewestMs = atMs;
    else this.maxBehindMs = Math.max(this.maxBehindMs, this.runningNewestMs - atMs);
    const { repeatsNotAfter } = this.context;
    if (repeatsNotAfter && compareInstants(at, repeatsNotAfter) <= 0) this.notAfter++;
  }
}

/** What the page's lines say about events written other than as sent. */
interface PageNotes {
  readonly renamedKeyEvents: string[];
  readonly ambiguousEvents: string[];
  readonly dateFallbacks: DateFallbackEvent[];
}

/**
 * The text an event's line holds, and what its metadata adds: the date fallback, its own
 * `_collector` key renamed, one reading of text JSON readers would read differently.
 */
function textToWrite(
  page: ParsedPage,
  index: number,
  event: Record<string, unknown>,
  uuid: string | undefined,
  fallback: DateFallback | undefined,
  notes: PageNotes,
): { text: string; extras: MetadataExtras | undefined } {
  const name = uuid ?? `item ${index}`;
  const asSent = page.rawItems[index] as string;
  let text = asSent;
  let extras: MetadataExtras | undefined;
  if (fallback !== undefined) {
    extras = { date_fallback: fallback };
    notes.dateFallbacks.push({ event: name, reason: fallback });
  }
  if (Object.hasOwn(event, METADATA_KEY) && !Array.isArray(page.items[index])) {
    const kept = renameOwnMetadataKeys(text);
    text = kept.text;
    extras = { ...extras, renamed_keys: kept.renamed };
    notes.renamedKeyEvents.push(name);
  }
  const rewritten = page.ambiguousItems?.has(index) ? unambiguousText(text) : undefined;
  if (rewritten) {
    text = rewritten.text;
    extras = {
      ...extras,
      ...(rewritten.repeatedKeys.length > 0 ? { repeated_keys: rewritten.repeatedKeys } : {}),
      ...(rewritten.loneSurrogates > 0 ? { lone_surrogates: rewritten.loneSurrogates } : {}),
      as_sent: asSent,
    };
    notes.ambiguousEvents.push(name);
  }
  return { text, extras };
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
  const receivedDay = dayOfMillis(pageContext.receivedAtMs);
  const lines: string[] = [];
  const mismatches: SchemaMismatch[] = [];
  const times = new PageTimes(pageContext);
  const notes: PageNotes = { renamedKeyEvents: [], ambiguousEvents: [], dateFallbacks: [] };
  let oversized = 0;
  const metadataByDate = new Map<string, string>();
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
    if (at) times.add(at, event.timestamp as string);
    const eventDate = at ? utcDate(at) : receivedDate;
    const asSent = page.rawItems[index] as string;
    const { text, extras } = textToWrite(page, index, event, uuid, fallback, notes);
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
    newestEventTime: times.newestText,
    maxEventAgeMs: times.oldest ? pageContext.receivedAtMs - instantToMillis(times.oldest) : undefined,
    maxBehindMs: times.maxBehindMs,
    eventsNotAfter: times.notAfter,
    schemaMismatches: mismatches,
    oversizedEvents: oversized,
    ...notes,
  };
}
