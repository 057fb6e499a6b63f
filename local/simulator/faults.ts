import { bodyBytes, errorReply, jsonReply, type Reply } from './http-reply';

/** Statuses a `status` fault can answer with. */
export type FaultStatus = 400 | 401 | 403 | 429 | 500 | 502 | 503 | 504;

/**
 * What can go wrong with one request. `path` limits a queued fault to requests for that path.
 * No fault moves a cursor on: the client can repeat the same body and get the same page.
 */
export type Fault = (
  | {
      readonly kind: 'status';
      readonly status: FaultStatus;
      /** Value of a Retry-After header (seconds or an HTTP date). */
      readonly retryAfter?: string;
      /** Body to send instead of the default for the status. */
      readonly body?: string;
    }
  /** Headers with the full content-length, half the body, then the socket is destroyed. */
  | { readonly kind: 'torn' }
  /** A complete 200 response whose JSON body is cut short. */
  | { readonly kind: 'truncated-json' }
  /** The socket is destroyed without an answer. */
  | { readonly kind: 'reset' }
  /** The answer comes after `ms` (client timeouts). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** A 200 with valid JSON of the wrong shape. */
  | { readonly kind: 'malformed' }
) & { readonly path?: string };

export interface SimulatorRequest {
  readonly method: string;
  readonly path: string;
  /** 1-based number of the request since the simulator started. */
  readonly n: number;
}

/**
 * Default bodies: 429 and 4xx in the current `{"status", "message"}` shape, 500 in the older
 * `{"Error": {"Message"}}` shape (clients must parse both), 502/504 as the HTML a gateway sends.
 */
export function statusFaultReply(fault: Extract<Fault, { kind: 'status' }>): Reply {
  const headers: Record<string, string> =
    fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
  if (fault.body !== undefined) return jsonReply(fault.status, fault.body, headers);
  if (fault.status === 500) {
    return jsonReply(500, JSON.stringify({ Error: { Message: 'Internal Server Error' } }), headers);
  }
  if (fault.status === 502 || fault.status === 504) {
    const title = fault.status === 502 ? '502 Bad Gateway' : '504 Gateway Time-out';
    return {
      status: fault.status,
      headers: { 'content-type': 'text/html', ...headers },
      body: `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`,
    };
  }
  const reply = errorReply(fault.status);
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

/** The same answer with its JSON cut in the middle (content-length matches what is sent). */
export function truncatedReply(reply: Reply): Reply {
  const body = bodyBytes(reply);
  return {
    status: 200,
    headers: reply.headers,
    body: body.subarray(0, Math.floor(body.length / 2)).toString('utf8'),
  };
}

export const MALFORMED_REPLY: Reply = jsonReply(
  200,
  JSON.stringify({ cursor: 42, has_more: 'maybe', items: { not: 'an array' } }),
);
