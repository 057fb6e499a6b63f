import type { EventType } from './event-types';

/**
 * What the collector writes: NDJSON, one event per line, each line the API's event with every field
 * as the API sent it, plus ONE top-level key the API does not use, holding the collector's metadata.
 */
export const METADATA_KEY = '_collector';

export interface CollectorMetadata {
  /** Event type (the API's name). */
  readonly type: EventType;
  /**
   * UTC date (YYYY-MM-DD) of the event's own timestamp; the receive date when `date_fallback` says
   * why the timestamp's date is not used. S3 partition.
   */
  readonly event_date: string;
  /** When the collector received the page (UTC, milliseconds). */
  readonly received_at: string;
  /** Identifier of the collector run that delivered the line. */
  readonly run_id: string;
  /**
   * Present only when the event had its own top-level `_collector` key: its value is kept under a new
   * name (`_event_collector`, then `_event_collector_2`, ...). Maps each new name to the original.
   */
  readonly renamed_keys?: Readonly<Record<string, string>>;
  /**
   * Present only when `event_date` is the receive date: the event has no `timestamp` (`missing`), one
   * that is not RFC 3339 (`unreadable`), or one whose date the `dt` projection does not reach
   * (`before_range`: before PROJECTION_FIRST_DATE; `after_range`: after the receive date plus
   * PROJECTION_DAYS_AHEAD).
   */
  readonly date_fallback?: DateFallback;
  /**
   * Present only when JSON readers would read the event differently
   * (shared/collector/events-api/json-ambiguity.ts): the JSON Pointers of keys repeated within one object
   * (the line keeps each one's last member).
   */
  readonly repeated_keys?: readonly string[];
  /** Lone surrogate escapes the line carries as `\ufffd` (present only when there were any). */
  readonly lone_surrogates?: number;
  /** The event's JSON text exactly as the API sent it, when the line's copy had to be rewritten (above). */
  readonly as_sent?: string;
  /** Present only on the pieces of an event too large for one Firehose record (see firehose-sink). */
  readonly chunk?: { readonly uuid: string; readonly index: number; readonly count: number };
}

export type DateFallback = 'missing' | 'unreadable' | 'before_range' | 'after_range';

/** Where an event's own top-level `_collector` key is kept (the line's `_collector` is the collector's). */
export const RENAMED_METADATA_KEY = '_event_collector';

/** Key under which a chunk line carries its slice of the oversized event's JSON text. */
export const CHUNK_TEXT_KEY = '_chunk';

/**
 * S3 layout, shared by the stack (Firehose prefixes, Glue partition projection) and the local run:
 *   events/<type>/dt=<YYYY-MM-DD>/<object>.gz       partitioned on the event's own UTC date
 *   errors/<type>/<error-output-type>/<yyyy/MM/dd>/ Firehose processing and delivery failures
 */
export const PARTITION_COLUMN = 'dt';

export function eventsPrefixFor(type: EventType): string {
  return `events/${type}/`;
}

export function errorsPrefixFor(type: EventType): string {
  return `errors/${type}/`;
}
