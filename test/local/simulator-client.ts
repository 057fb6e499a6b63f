import type { EventsApiSimulator } from '../../local/events-api-simulator';
import type { EventType } from '../../shared/contracts/event-types';

export interface RawPage {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

export interface Page {
  readonly cursor: string;
  readonly has_more: boolean;
  readonly items: Record<string, unknown>[];
}

/** POSTs a page request with plain fetch and returns the raw answer. */
export async function postPage(
  sim: EventsApiSimulator,
  type: EventType,
  body: unknown,
  token: string | undefined,
  init: RequestInit = {},
): Promise<RawPage> {
  const response = await fetch(`${sim.url}/api/v2/${type}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** POSTs a page request that must succeed and returns the parsed page. */
export async function fetchPage(
  sim: EventsApiSimulator,
  type: EventType,
  body: unknown,
  token: string,
): Promise<Page> {
  const raw = await postPage(sim, type, body, token);
  if (raw.status !== 200) throw new Error(`expected 200, got ${raw.status}: ${raw.text}`);
  return JSON.parse(raw.text) as Page;
}
