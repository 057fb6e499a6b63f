import type { EventType } from './event-types';

/**
 * What the collector writes: NDJSON, one event per line, each line the API's event with every field
 * as the API sent it, plus ONE top-level key the API does not use, holding the collector's metadata.
 */
export const METADATA_KEY = '_collector';

export interface CollectorMetadata {
  /** Event type (the API's name). */
  readonly type: EventType;
  /** UTC date (YYYY-MM-DD) of the event's own timestamp; the receive date when it has none. S3 partition. */
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
  /** Present only on the pieces of an event too large for one Firehose record (see firehose-sink). */
  readonly chunk?: { readonly uuid: string; readonly index: number; readonly count: number };
}

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
