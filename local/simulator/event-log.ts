import { compareInstants, type Instant, parseRfc3339 } from './rfc3339';

/** Events whose `timestamp` lies in [start, end); `end` absent = open. */
export interface TimeWindow {
  readonly start: Instant;
  readonly end: Instant | undefined;
}

export interface ScanResult {
  /** JSON text of the matching events, exactly as stored. */
  readonly texts: string[];
  /** Log position after the last entry scanned. */
  readonly next: number;
  /** Whether a matching entry exists after `next` in the log as it is now. */
  readonly hasMore: boolean;
}

interface LoggedEvent {
  readonly text: string;
  /** Undefined when the event has no readable `timestamp`: such events match every window. */
  readonly instant: Instant | undefined;
}

/** One event type's events in insertion order (not time order: late events are appended too). */
export class EventLog {
  private readonly entries: LoggedEvent[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** Appends events, serialising each once: pages splice that text, byte for byte. */
  append(events: readonly object[]): void {
    this.appendTexts(events.map((event) => JSON.stringify(event)));
  }

  /** Appends events given as JSON text, kept verbatim (number spellings, escapes, key order). */
  appendTexts(texts: readonly string[]): void {
    const parsed = texts.map((text) => {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new TypeError(`An event must be a JSON object: ${text.slice(0, 80)}`);
      }
      const timestamp = (value as Record<string, unknown>).timestamp;
      return { text, instant: typeof timestamp === 'string' ? parseRfc3339(timestamp) : undefined };
    });
    // One at a time: spreading a large array into push() overflows the call stack.
    for (const entry of parsed) this.entries.push(entry);
  }

  scan(from: number, window: TimeWindow, limit: number): ScanResult {
    const texts: string[] = [];
    let position = from;
    while (position < this.entries.length && texts.length < limit) {
      const entry = this.entries[position++];
      if (entry && inWindow(entry, window)) texts.push(entry.text);
    }
    return { texts, next: position, hasMore: this.anyMatchFrom(position, window) };
  }

  /** Entries from `position` on that match the window: what scanning to the end would return. */
  countFrom(position: number, window: TimeWindow): number {
    let count = 0;
    for (let index = position; index < this.entries.length; index++) {
      const entry = this.entries[index];
      if (entry && inWindow(entry, window)) count++;
    }
    return count;
  }

  private anyMatchFrom(position: number, window: TimeWindow): boolean {
    for (let index = position; index < this.entries.length; index++) {
      const entry = this.entries[index];
      if (entry && inWindow(entry, window)) return true;
    }
    return false;
  }
}

function inWindow(entry: LoggedEvent, window: TimeWindow): boolean {
  if (!entry.instant) return true;
  if (compareInstants(entry.instant, window.start) < 0) return false;
  return window.end === undefined || compareInstants(entry.instant, window.end) < 0;
}
