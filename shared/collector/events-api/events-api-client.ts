import type { EventTypeSpec } from '../../contracts/event-types';
import { describeError } from '../../util/errors';
import { redactSecrets } from '../../util/redaction';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfterMs,
  type RetryPolicy,
  retryDelayWithin,
  sleep,
} from '../../util/retry-policy';
import { apiFailures } from './events-api-errors';
import { resolveEventsOrigin } from './events-host';
import { MalformedPageError, type ParsedPage, parsePageBody } from './page-body';
import { checkedToken, type TokenSource } from './token-source';

/**
 * The largest response body the client reads: 32 MiB. A full page (1,000 events of a few KB) is a
 * few MB; the Lambda has 1024 MB by default, and the body is held as text, parsed, and turned into lines.
 */
export const MAX_RESPONSE_BODY_BYTES = 32 * 1024 * 1024;

/** The two request bodies the API takes, never mixed. */
export type PageRequest = { readonly cursor: string } | ResetRequest;
export interface ResetRequest {
  readonly limit: number;
  readonly start_time: string;
  readonly end_time?: string;
}

export function isCursorRequest(request: PageRequest): request is { readonly cursor: string } {
  return 'cursor' in request;
}

/** GET /api/v2/auth/introspect. */
export interface Introspection {
  readonly uuid: string | undefined;
  readonly issuedAt: string | undefined;
  readonly features: readonly string[];
  readonly accountUuid: string | undefined;
}

/** Counters since the client was made; the collector reads differences per run. */
export interface ApiCallStats {
  requests: number;
  retries: number;
  throttles: number;
}

export interface EventsApiClientOptions {
  readonly tokens: TokenSource;
  /** EVENTS_API_URL, or undefined to take the host from the token. */
  readonly configuredUrl: string | undefined;
  readonly allowLoopback: boolean;
  readonly timeoutMs: number;
  readonly retry?: RetryPolicy;
  /** Waits for a share of the request budget before every request (the types share one account). */
  readonly beforeRequest?: (deadlineMs: number) => Promise<void>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly userAgent?: string;
  /** Largest response body read (tests use a small one); MAX_RESPONSE_BODY_BYTES by default. */
  readonly maxBodyBytes?: number;
}

interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly retryAfter: string | null;
}

/** A failed attempt: what went wrong, and what kind of failure it was when the caller gives up. */
interface Problem {
  readonly problem: string;
  readonly retryAfterMs?: number;
  /** A 429: giving up on it is a throttled stop, not an outage. */
  readonly throttled?: boolean;
  /** A timeout of a request whose timeout the run's deadline had shortened. */
  readonly cutShort?: boolean;
}

type Attempt<T> = { done: T } | Problem;

/** A transport failure (timeout, reset, torn body). */
interface TransportFailure {
  readonly problem: string;
  readonly cutShort: boolean;
}

/**
 * Client for the Events API v2: one request at a time, every request under a timeout, retries with
 * backoff and jitter for 429 (Retry-After honoured), 5xx, network errors, timeouts, torn and
 * malformed bodies; 401/403 re-read the token once and are otherwise final; 400 is final and tells a
 * rejected cursor apart from a rejected reset body.
 */
export class EventsApiClient {
  readonly stats: ApiCallStats = { requests: 0, retries: 0, throttles: 0 };
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private originCache: { token: string; origin: string } | undefined;

  constructor(private readonly options: EventsApiClientOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.now = options.now ?? Date.now;
    this.wait = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
  }

  /** The origin requests go to (checked against 1Password's hosts), from config or the token. */
  async origin(): Promise<string> {
    return this.originFor(await this.options.tokens.get());
  }

  fetchPage(spec: EventTypeSpec, request: PageRequest, deadlineMs: number): Promise<ParsedPage> {
    return this.call<ParsedPage>('POST', spec.path, JSON.stringify(request), deadlineMs, (answer) => {
      if (answer.status === 400) {
        const detail = `${answer.status} ${serverMessage(answer.body)}`;
        if (isCursorRequest(request)) throw apiFailures.cursorRejected(detail);
        throw apiFailures.requestRejected(request, spec.path, detail);
      }
      try {
        return { done: parsePageBody(answer.body) };
      } catch (error) {
        if (error instanceof MalformedPageError)
          return { problem: `malformed page from ${spec.path}: ${error.message}` };
        throw error;
      }
    });
  }

  introspect(deadlineMs: number): Promise<Introspection> {
    return this.call<Introspection>('GET', '/api/v2/auth/introspect', undefined, deadlineMs, (answer) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(answer.body);
      } catch {
        return { problem: 'introspection body is not complete JSON' };
      }
      const features = parsed.features ?? parsed.Features;
      if (!Array.isArray(features)) return { problem: 'introspection body has no "features" list' };
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return {
        done: {
          uuid: text(parsed.uuid ?? parsed.UUID),
          issuedAt: text(parsed.issued_at ?? parsed.IssuedAt),
          features: features.filter((f): f is string => typeof f === 'string'),
          accountUuid: text(parsed.account_uuid),
        },
      };
    });
  }

  private originFor(token: string): string {
    if (this.originCache?.token !== token) {
      // Whatever the token source, a token that cannot go in a header as it is is never sent.
      checkedToken(token, 'The token source', 'Store the token again without it.');
      const origin = resolveEventsOrigin({
        configuredUrl: this.options.configuredUrl,
        allowLoopback: this.options.allowLoopback,
        token,
      });
      this.originCache = { token, origin };
    }
    return this.originCache.origin;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    deadlineMs: number,
    onOk: (answer: HttpAnswer) => Attempt<T>,
  ): Promise<T> {
    let tokenReread = false;
    for (let attempt = 1; ; attempt++) {
      await this.options.beforeRequest?.(deadlineMs);
      const token = await this.options.tokens.get(deadlineMs);
      const origin = this.originFor(token);
      let outcome: Attempt<T>;
      const answer = await this.send(method, origin + path, body, token, deadlineMs);
      if ('problem' in answer) {
        outcome = answer;
      } else if (answer.status === 401 || answer.status === 403) {
        if (!tokenReread && (await this.options.tokens.refresh(deadlineMs))) {
          tokenReread = true;
          attempt--;
          continue;
        }
        throw apiFailures.tokenRefused(origin, path, `${answer.status} ${serverMessage(answer.body)}`);
      } else if (answer.status === 429) {
        this.stats.throttles++;
        const retryAfterMs = parseRetryAfterMs(answer.retryAfter, this.now());
        if (retryAfterMs !== undefined && retryAfterMs > this.retry.maxRetryAfterMs) {
          throw apiFailures.throttledTooLong(retryAfterMs, this.retry.maxRetryAfterMs);
        }
        outcome = {
          problem: `429 ${serverMessage(answer.body)}`,
          throttled: true,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        };
      } else if (answer.status >= 500) {
        outcome = { problem: `${answer.status} ${serverMessage(answer.body)}` };
      } else if (answer.status === 200 || answer.status === 400) {
        outcome = onOk(answer);
      } else {
        throw apiFailures.unexpectedStatus(answer.status, origin + path, serverMessage(answer.body));
      }
      if ('done' in outcome) return outcome.done;
      const delay = retryDelayWithin(
        this.retry,
        attempt,
        outcome.retryAfterMs ?? backoffDelayMs(this.retry, attempt, this.random),
        this.now(),
        deadlineMs,
      );
      if (delay === undefined) throw giveUp(`${method} ${path}`, attempt, outcome);
      this.stats.retries++;
      await this.wait(delay);
    }
  }

  /** One HTTP exchange; a string describes a transport failure (timeout, reset, torn body). */
  private async send(
    method: string,
    url: string,
    body: string | undefined,
    token: string,
    deadlineMs: number,
  ): Promise<HttpAnswer | TransportFailure> {
    this.stats.requests++;
    // Never past the caller's deadline: a short invocation gets shorter requests, not none.
    const timeoutMs = Math.max(1, Math.min(this.options.timeoutMs, deadlineMs - this.now()));
    const limit = this.options.maxBodyBytes ?? MAX_RESPONSE_BODY_BYTES;
    let text: string | undefined;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'User-Agent': this.options.userAgent ?? 'onepassword-events-to-s3',
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      text = await readBodyWithin(response, limit);
    } catch (error) {
      const cause = error instanceof Error && error.cause ? ` (${describeError(error.cause)})` : '';
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        problem: `request failed: ${describeError(error)}${cause}`,
        cutShort: timedOut && timeoutMs < this.options.timeoutMs,
      };
    }
    if (text === undefined) {
      // Not retried: the same request would bring the same body.
      throw apiFailures.tooLarge(`${method} ${new URL(url).pathname}`, response.status, limit);
    }
    return { status: response.status, body: text, retryAfter: response.headers.get('retry-after') };
  }
}

/** The error for a call given up after `attempts`: throttled, out of time, or the API unavailable. */
function giveUp(call: string, attempts: number, last: Problem): Error {
  if (last.throttled) return apiFailures.stillThrottled(call, attempts);
  if (last.cutShort) return apiFailures.timedOut(call, last.problem);
  return apiFailures.unavailable(call, attempts, last.problem);
}

/**
 * The body as text, read chunk by chunk so that no more than `limit` bytes (after any content
 * decoding) are ever held; undefined once it is larger. A declared Content-Length over the limit is
 * refused before reading.
 */
async function readBodyWithin(response: Response, limit: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  // As response.text(): UTF-8, a leading byte-order mark dropped.
  return new TextDecoder().decode(Buffer.concat(chunks, size));
}

/** The message of an error body in either shape the API uses, trimmed and token-free. */
export function serverMessage(body: string): string {
  let message: unknown;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Error?: { Message?: unknown } };
    message = parsed.message ?? parsed.Error?.Message;
  } catch {
    message = undefined;
  }
  // Redacted whole, then cut: a cut first would leave fragments of an echoed token too short to recognise.
  const text = redactSecrets(typeof message === 'string' ? message : body);
  return (
    text
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, typeof message === 'string' ? 300 : 200) || '(no message)'
  );
}
