import {
  type EventsApiClient,
  isCursorRequest,
  type PageRequest,
} from '../shared/collector/events-api/events-api-client';
import type { ParsedPage } from '../shared/collector/events-api/page-body';
import { MAX_EMPTY_PAGES } from '../shared/collector/run/collect-run';
import type { EventTypeSpec } from '../shared/contracts/event-types';

export interface FetchWindow {
  /** Whole-second RFC 3339 start (`start_time` of the reset request). */
  readonly startTime: string;
  readonly endTime: string | undefined;
  readonly limit: number;
}

export interface FetchedEvents {
  /** All events as one page: parsed items and each item's original text. */
  readonly page: ParsedPage;
  readonly pages: number;
  /** The API had more events in the window than were fetched. */
  readonly more: boolean;
}

const MAX_PAGE = 1000;

/**
 * Reads events from a fresh reset request (start_time, optional end_time) and its cursors, up to
 * `limit` events. Nothing is stored: the cursors live only in this call.
 */
export async function fetchEvents(
  api: EventsApiClient,
  spec: EventTypeSpec,
  window: FetchWindow,
  deadlineMs: number,
): Promise<FetchedEvents> {
  const items: unknown[] = [];
  const rawItems: string[] = [];
  let request: PageRequest = {
    limit: Math.min(MAX_PAGE, window.limit),
    start_time: window.startTime,
    ...(window.endTime ? { end_time: window.endTime } : {}),
  };
  let pages = 0;
  let empty = 0;
  for (;;) {
    const page = await api.fetchPage(spec, request, deadlineMs);
    pages++;
    const room = window.limit - items.length;
    items.push(...page.items.slice(0, room));
    rawItems.push(...page.rawItems.slice(0, room));
    empty = page.items.length === 0 ? empty + 1 : 0;
    const stalled = isCursorRequest(request) && request.cursor === page.cursor;
    if (!page.hasMore || items.length >= window.limit || stalled || empty >= MAX_EMPTY_PAGES) {
      const more = page.items.length > room || (page.hasMore && !stalled);
      return { page: { cursor: page.cursor, hasMore: more, items, rawItems }, pages, more };
    }
    request = { cursor: page.cursor };
  }
}
