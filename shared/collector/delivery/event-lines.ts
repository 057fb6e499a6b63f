import { FIREHOSE } from '../../contracts/aws-limits';
import type { EventType } from '../../contracts/event-types';
import {
  CHUNK_TEXT_KEY,
  type CollectorMetadata,
  type DateFallback,
  METADATA_KEY,
  RENAMED_METADATA_KEY,
} from '../../contracts/s3-layout';
import { topLevelKeys } from '../events-api/page-body';

/** Firehose's limit for one record (1,000 KiB), which one line plus its newline must fit. */
export const MAX_RECORD_BYTES = FIREHOSE.maxRecordBytes;

/** UTF-16 units of event text per chunk line: even at 3 bytes per unit a chunk stays under a record. */
const CHUNK_UNITS = 300_000;

export interface LineContext {
  readonly type: EventType;
  readonly receivedAt: string;
  readonly runId: string;
}

/**
 * Turns one event's original JSON text into its NDJSON line: the same text with the collector's
 * metadata inserted as the first key. Nothing of the event is parsed or rewritten.
 *
 * An event whose line would not fit in one Firehose record (never seen in practice, but the API
 * sets no size limit) becomes several chunk lines: each carries `_collector.chunk` = {uuid, index,
 * count} and a slice of the event's JSON text in `_chunk`; concatenating the slices in index order
 * gives the event's text back. Returns the line(s), each without its newline.
 */
export function encodeEventLines(
  rawEvent: string,
  eventDate: string,
  context: LineContext,
  uuid: string,
  metadata: string = metadataText(eventDate, context),
  chunking: ChunkSource = { text: rawEvent },
): string[] {
  const line = withMetadata(rawEvent, metadata);
  if (!mayExceedRecord(line)) return [line];
  return splitIntoChunks(chunking, eventDate, context, uuid);
}

/**
 * What the chunk lines of an oversized event carry: the event's text as the API sent it (put together
 * again, the chunks give the event back exactly) and why its date is the receive date, if it is.
 */
export interface ChunkSource {
  readonly text: string;
  readonly dateFallback?: DateFallback;
}

/** What a line's `_collector` holds for one event besides the page's type, date, receive time and run. */
export type MetadataExtras = Pick<
  CollectorMetadata,
  'renamed_keys' | 'date_fallback' | 'repeated_keys' | 'lone_surrogates' | 'as_sent' | 'chunk'
>;

/**
 * The `_collector` object's JSON for a line. Within a page only the event date varies, so callers
 * encoding a whole page make it once per date and pass it to encodeEventLines.
 */
export function metadataText(eventDate: string, context: LineContext, extras?: MetadataExtras): string {
  const metadata: CollectorMetadata = {
    type: context.type,
    event_date: eventDate,
    received_at: context.receivedAt,
    run_id: context.runId,
    ...extras,
  };
  return JSON.stringify(metadata);
}

/**
 * An event's text with each of its own top-level `_collector` keys renamed (to `_event_collector`,
 * then `_event_collector_2`, ... whichever the event does not use), so the line carries the
 * collector's metadata exactly once and a reader (jq takes the last duplicate key, Athena one of
 * them) cannot take the event's value for it. Every value stays as sent; `renamed` maps new names to
 * the original. Only called for events that have such a key.
 */
export function renameOwnMetadataKeys(rawEvent: string): {
  text: string;
  renamed: Record<string, string>;
} {
  const keys = topLevelKeys(rawEvent) ?? [];
  const taken = new Set(keys.map((key) => key.name));
  const renamed: Record<string, string> = {};
  let text = '';
  let copiedUntil = 0;
  for (const key of keys) {
    if (key.name !== METADATA_KEY) continue;
    let name = RENAMED_METADATA_KEY;
    for (let n = 2; taken.has(name); n++) name = `${RENAMED_METADATA_KEY}_${n}`;
    taken.add(name);
    renamed[name] = key.name;
    text += `${rawEvent.slice(copiedUntil, key.start)}${JSON.stringify(name)}`;
    copiedUntil = key.end;
  }
  return { text: text + rawEvent.slice(copiedUntil), renamed };
}

function withMetadata(rawEvent: string, metadataText: string): string {
  const head = `{"${METADATA_KEY}":${metadataText}`;
  if (rawEvent.charCodeAt(0) !== 123) return `${head},"_item":${rawEvent}}`;
  return rawEvent.charCodeAt(1) === 125 ? `${head}}` : `${head},${rawEvent.slice(1)}`;
}

/** Cheap length test first: a string of n UTF-16 units is at most 3n UTF-8 bytes. */
function mayExceedRecord(line: string): boolean {
  return line.length * 3 >= MAX_RECORD_BYTES && Buffer.byteLength(line) + 1 > MAX_RECORD_BYTES;
}

function splitIntoChunks(
  { text: rawEvent, dateFallback }: ChunkSource,
  eventDate: string,
  context: LineContext,
  uuid: string,
): string[] {
  const slices: string[] = [];
  for (let start = 0; start < rawEvent.length; ) {
    let end = Math.min(rawEvent.length, start + CHUNK_UNITS);
    // Never cut a surrogate pair in two.
    const last = rawEvent.charCodeAt(end - 1);
    if (end < rawEvent.length && last >= 0xd800 && last <= 0xdbff) end--;
    slices.push(rawEvent.slice(start, end));
    start = end;
  }
  const fallback = dateFallback ? { date_fallback: dateFallback } : {};
  return slices.map((slice, index) => {
    const chunk = { uuid, index, count: slices.length };
    const metadata = metadataText(eventDate, context, { ...fallback, chunk });
    return `{"${METADATA_KEY}":${metadata},"${CHUNK_TEXT_KEY}":${JSON.stringify(slice)}}`;
  });
}

/** Puts an oversized event back together from its chunk lines (any order). For tests and tools. */
export function joinChunks(lines: readonly string[]): string {
  const parts = lines.map(
    (line) => JSON.parse(line) as Record<string, { chunk: { index: number } } | string>,
  );
  parts.sort(
    (a, b) =>
      (a[METADATA_KEY] as { chunk: { index: number } }).chunk.index -
      (b[METADATA_KEY] as { chunk: { index: number } }).chunk.index,
  );
  return parts.map((p) => p[CHUNK_TEXT_KEY] as string).join('');
}
