import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeEventLines } from '../../shared/collector/delivery/event-lines';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { eventsPrefixFor } from '../../shared/contracts/s3-layout';
import type { RawEvent } from '../../shared/detections/event-fields';
import type { DetectionWindow, WindowRuleCase } from '../../shared/detections/window-rule';

const MINUTE_MS = 60_000;

/** A window case's events with their timestamps placed before the window's end, and the window. */
export function placeCase(
  c: WindowRuleCase,
  endMs: number,
): { readonly events: Record<EventType, RawEvent[]>; readonly window: DetectionWindow } {
  const events = Object.fromEntries(EVENT_TYPES.map((type) => [type, [] as RawEvent[]])) as Record<
    EventType,
    RawEvent[]
  >;
  for (const type of EVENT_TYPES) {
    for (const placed of c.events[type] ?? []) {
      const at = new Date(endMs - Math.round(placed.minutesBeforeEnd * MINUTE_MS)).toISOString();
      events[type].push({ ...placed.event, timestamp: at });
    }
  }
  return { events, window: { sinceMs: endMs - c.windowMinutes * MINUTE_MS, untilMs: endMs } };
}

/**
 * Writes events as the collector and Firehose lay them out: per type and event date one gzip NDJSON
 * object, events/<type>/dt=<date>/<runId>-<type>.gz.
 */
export function writeEventFiles(
  s3Dir: string,
  events: Readonly<Partial<Record<EventType, readonly RawEvent[]>>>,
  runId = 'rule-case',
): void {
  const receivedAt = new Date().toISOString();
  for (const type of EVENT_TYPES) {
    const byDate = new Map<string, string[]>();
    for (const event of events[type] ?? []) {
      const date = String(event.timestamp).slice(0, 10);
      const lines = byDate.get(date) ?? [];
      lines.push(
        ...encodeEventLines(JSON.stringify(event), date, { type, receivedAt, runId }, String(event.uuid)),
      );
      byDate.set(date, lines);
    }
    for (const [date, lines] of byDate) {
      const dir = join(s3Dir, eventsPrefixFor(type), `dt=${date}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${runId}-${type}.gz`), gzipSync(`${lines.join('\n')}\n`));
    }
  }
}
