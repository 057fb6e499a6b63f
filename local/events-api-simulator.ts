import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  EVENT_TYPE_SPECS,
  EVENT_TYPES,
  type EventType,
  type EventTypeSpec,
} from '../shared/contracts/event-types';
import { FaultSchedule } from './fault-schedule';
import { closeAfterReply, LoopbackServer, readBody } from './loopback-http';
import { type CursorState, decodeCursor, encodeCursor } from './simulator/cursor-codec';
import { EventLog, type TimeWindow } from './simulator/event-log';
import { readTokenClaims } from './simulator/fake-token';
import {
  type Fault,
  MALFORMED_REPLY,
  type SimulatorRequest,
  statusFaultReply,
  truncatedReply,
} from './simulator/faults';
import { encodedReply, errorReply, jsonReply, type Reply, sendReply, sendTorn } from './simulator/http-reply';
import { base32IdOf } from './simulator/ids';
import { parsePageRequest } from './simulator/page-request';
import { RateLimiter } from './simulator/rate-limiter';
import { formatRfc3339, parseRfc3339 } from './simulator/rfc3339';

export { type DemoEvent, type DemoEventOptions, generateDemoEvents } from './simulator/demo-events';
export { type FakeTokenOptions, makeFakeToken } from './simulator/fake-token';
export type { Fault, FaultStatus, SimulatorRequest } from './simulator/faults';

export const INTROSPECT_PATH = '/api/v2/auth/introspect';

export interface TokenGrant {
  /** Features the token may read, e.g. `['auditevents']`. */
  readonly features: readonly string[];
  readonly accountUuid?: string;
  /** Reported as introspection's `uuid`; derived from the token when absent. */
  readonly tokenUuid?: string;
}

export type PageKey = 'cursor' | 'has_more' | 'items';

export interface EventsApiSimulatorOptions {
  readonly port?: number;
  /** Known bearer tokens; any other token is answered 401. */
  readonly tokens?: Readonly<Record<string, TokenGrant>>;
  /** Every request is answered this long after it arrived, the simulator's own work included (benchmarks). */
  readonly latencyMs?: number;
  /** Beyond this many requests in a sliding minute: 429 with Retry-After (seconds). */
  readonly rateLimit?: { readonly perMinute: number };
  /** Types whose pages are stuck from the start (see `setStuckCursor`). */
  readonly stuckCursor?: readonly EventType[];
  /** Key order of page bodies (default cursor, has_more, items; the docs' examples put items first). */
  readonly responseKeyOrder?: readonly PageKey[];
  readonly clock?: () => number;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  /** The body as JSON when it parses, else its text; undefined when empty. */
  readonly body: unknown;
  /** Never the token itself. */
  readonly authorization: '[REDACTED]' | undefined;
  /** Status sent; 0 when the connection was cut without one. */
  readonly status: number;
  readonly fault: Fault['kind'] | undefined;
  /** ISO time the request arrived. */
  readonly at: string;
}

const REDACTED = '[REDACTED]';
const DEFAULT_KEY_ORDER: readonly PageKey[] = ['cursor', 'has_more', 'items'];
const SPEC_BY_PATH = new Map<string, EventTypeSpec>(
  Object.values(EVENT_TYPE_SPECS).map((spec) => [spec.path, spec]),
);
const DEFAULT_ACCOUNT_UUID = base32IdOf('simulator account');

/**
 * The 1Password Events API v2 on 127.0.0.1: cursor paging over append-only logs, token scopes,
 * introspection, rate limiting and injectable faults. Cursors carry all paging state, so nothing a
 * fault interrupts moves a client's position.
 */
export class EventsApiSimulator {
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly logs = new Map<EventType, EventLog>(EVENT_TYPES.map((type) => [type, new EventLog()]));
  private readonly stuck: Set<EventType>;
  private readonly repeating = new Set<EventType>();
  private readonly faults = new FaultSchedule<Fault, SimulatorRequest>(
    (fault, request) => fault.path === undefined || fault.path === request.path,
  );
  private readonly rateLimiter: RateLimiter | undefined;
  private readonly clock: () => number;
  private readonly startedAt: number;
  private requestLog: { -readonly [K in keyof LoggedRequest]: LoggedRequest[K] }[] = [];
  private pathCounts = new Map<string, number>();
  private requestNumber = 0;
  private epoch = 0;
  private keyOrder: readonly PageKey[];
  private server!: LoopbackServer;

  private constructor(private readonly options: EventsApiSimulatorOptions) {
    for (const [token, grant] of Object.entries(options.tokens ?? {})) this.tokens.set(token, grant);
    this.stuck = new Set(options.stuckCursor ?? []);
    this.clock = options.clock ?? Date.now;
    this.startedAt = this.clock();
    this.keyOrder = options.responseKeyOrder ?? DEFAULT_KEY_ORDER;
    this.rateLimiter = options.rateLimit
      ? new RateLimiter(options.rateLimit.perMinute, this.clock)
      : undefined;
  }

  static async start(options: EventsApiSimulatorOptions = {}): Promise<EventsApiSimulator> {
    const self = new EventsApiSimulator(options);
    self.server = await LoopbackServer.start((req, res) => self.handle(req, res), options.port);
    return self;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return this.server.url;
  }

  addToken(token: string, grant: TokenGrant): void {
    this.tokens.set(token, grant);
  }

  removeToken(token: string): void {
    this.tokens.delete(token);
  }

  /** Appends events to the type's log (late ones too: order is insertion, not time). */
  addEvents(type: EventType, events: readonly object[]): void {
    this.logOf(type).append(events);
  }

  /** Appends events given as JSON text; pages return that text verbatim. */
  addEventTexts(type: EventType, texts: readonly string[]): void {
    this.logOf(type).appendTexts(texts);
  }

  eventCount(type: EventType): number {
    return this.logOf(type).size;
  }

  /**
   * How many events a client would collect now: after `from.cursor` (a cursor this simulator
   * issued), or from the reset `from.startTime` (RFC 3339). Undefined for a cursor it would refuse.
   */
  waitingEvents(type: EventType, from: { cursor: string } | { startTime: string }): number | undefined {
    const state: CursorState | undefined =
      'cursor' in from
        ? decodeCursor(from.cursor)
        : { type, position: 0, limit: 1, startTime: from.startTime, endTime: undefined, epoch: this.epoch };
    if (!state || state.type !== type || state.epoch !== this.epoch) return undefined;
    const window = windowOf(state);
    return window ? this.logOf(type).countFrom(state.position, window) : undefined;
  }

  /** Every cursor issued so far is answered 400 "cursor expired" from now on. */
  expireCursors(): void {
    this.epoch += 1;
  }

  /** A misbehaving API: the type answers `has_more: true`, no items and the same cursor, forever. */
  setStuckCursor(type: EventType, stuck = true): void {
    if (stuck) this.stuck.add(type);
    else this.stuck.delete(type);
  }

  /**
   * A misbehaving API: a continuing request for the type gets the page at its cursor with `has_more:
   * true` and the very cursor it sent, so the same page comes back on every request.
   */
  setRepeatingPage(type: EventType, repeating = true): void {
    if (repeating) this.repeating.add(type);
    else this.repeating.delete(type);
  }

  setResponseKeyOrder(order: readonly PageKey[]): void {
    this.keyOrder = order;
  }

  /** Faults for the next requests, first in first out (a fault with `path` waits for that path). */
  enqueueFault(...faults: Fault[]): void {
    this.faults.enqueue(...faults);
  }

  /** Consulted for each request that no queued fault matched. */
  setFaultPlan(plan: ((request: SimulatorRequest) => Fault | undefined) | undefined): void {
    this.faults.setPlan(plan);
  }

  get pendingFaults(): number {
    return this.faults.pending;
  }

  get requests(): readonly LoggedRequest[] {
    return this.requestLog.map((entry) => ({ ...entry }));
  }

  /** Requests received for a path (any outcome), or for all paths. */
  requestCount(path?: string): number {
    if (path !== undefined) return this.pathCounts.get(path) ?? 0;
    return [...this.pathCounts.values()].reduce((sum, count) => sum + count, 0);
  }

  /** Clears the request log and counters (events, tokens and faults stay). */
  reset(): void {
    this.requestLog = [];
    this.pathCounts = new Map();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private logOf(type: EventType): EventLog {
    const log = this.logs.get(type);
    if (!log) throw new TypeError(`Unknown event type ${String(type)}`);
    return log;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    // Any local process can reach the simulator: a request without a token it issued is answered
    // without its body being read (nothing it could send is used), and its connection closed.
    const token = bearerToken(req.headers.authorization);
    const issued = token !== undefined && this.tokens.has(token);
    if (!issued) closeAfterReply(res);
    const body = issued ? (await readBody(req)).toString('utf8') : '';
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', this.url).pathname;
    const entry = {
      method,
      path,
      body: bodyForLog(body),
      authorization: req.headers.authorization === undefined ? undefined : REDACTED,
      status: 0,
      fault: undefined as Fault['kind'] | undefined,
      at: new Date(this.clock()).toISOString(),
    } satisfies LoggedRequest;
    this.requestLog.push(entry);
    this.pathCounts.set(path, this.requestCount(path) + 1);

    const fault = this.faults.take({ method, path, n: ++this.requestNumber });
    entry.fault = fault?.kind;
    // Like a remote API, the answer is prepared within the latency, not after it (faults keep their order).
    const prepared = fault
      ? undefined
      : encodedReply(this.answer(method, path, req.headers.authorization, body));
    const latencyLeft = (this.options.latencyMs ?? 0) - (performance.now() - arrivedAt);
    if (!(await this.server.wait(latencyLeft))) return;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay' && !(await this.server.wait(fault.ms))) return;
    if (fault?.kind === 'status') {
      this.send(res, entry, statusFaultReply(fault));
      return;
    }
    const reply = prepared ?? this.answer(method, path, req.headers.authorization, body);
    if (fault?.kind === 'torn') {
      entry.status = reply.status;
      sendTorn(res, reply);
    } else if (fault?.kind === 'truncated-json') {
      this.send(res, entry, truncatedReply(reply));
    } else if (fault?.kind === 'malformed') {
      this.send(res, entry, MALFORMED_REPLY);
    } else {
      this.send(res, entry, reply);
    }
  }

  private send(res: ServerResponse, entry: { status: number }, reply: Reply): void {
    entry.status = reply.status;
    sendReply(res, reply);
  }

  private answer(method: string, path: string, authorization: string | undefined, body: string): Reply {
    const retryAfter = this.rateLimiter?.admit() ?? 0;
    if (retryAfter > 0)
      return statusFaultReply({ kind: 'status', status: 429, retryAfter: String(retryAfter) });
    const spec = SPEC_BY_PATH.get(path);
    if (path !== INTROSPECT_PATH && !spec) return errorReply(404);
    const allowedMethod = spec ? 'POST' : 'GET';
    if (method !== allowedMethod) return errorReply(405);
    const token = bearerToken(authorization);
    const grant = token === undefined ? undefined : this.tokens.get(token);
    // The API answers 401 both for an unknown token and for one without the endpoint's feature.
    if (!token || !grant || (spec && !grant.features.includes(spec.feature)))
      return errorReply(401, 'Unauthorized');
    return spec ? this.page(spec.type, body) : this.introspect(token, grant);
  }

  private introspect(token: string, grant: TokenGrant): Reply {
    const claims = readTokenClaims(token);
    const claimedUuid = claims?.['1password.com/tk'];
    const issuedAt = typeof claims?.iat === 'number' ? claims.iat : Math.floor(this.startedAt / 1000);
    return jsonReply(
      200,
      JSON.stringify({
        uuid:
          grant.tokenUuid ?? (typeof claimedUuid === 'string' ? claimedUuid : base32IdOf(`token:${token}`)),
        issued_at: formatRfc3339({ seconds: issuedAt, nanos: 0 }),
        features: grant.features,
        account_uuid: grant.accountUuid ?? DEFAULT_ACCOUNT_UUID,
      }),
    );
  }

  private page(type: EventType, body: string): Reply {
    const request = parsePageRequest(body, this.clock());
    if (request.kind === 'invalid') return errorReply(400, request.message);
    let state: CursorState;
    let given: string | undefined;
    if (request.kind === 'reset') {
      const { limit, startTime, endTime } = request;
      state = { type, position: 0, limit, startTime, endTime, epoch: this.epoch };
    } else {
      const decoded = decodeCursor(request.cursor);
      if (!decoded) return errorReply(400, 'invalid cursor');
      if (decoded.type !== type) return errorReply(400, `cursor is for ${decoded.type}, not ${type}`);
      if (decoded.epoch !== this.epoch) return errorReply(400, 'cursor expired');
      state = decoded;
      given = request.cursor;
    }
    if (this.stuck.has(type)) return this.pageReply(given ?? encodeCursor(state), true, []);
    const window = windowOf(state);
    if (!window) return errorReply(400, 'invalid cursor');
    const scan = this.logOf(type).scan(state.position, window, state.limit);
    if (given !== undefined && this.repeating.has(type)) return this.pageReply(given, true, scan.texts);
    // Nothing new since this cursor: the API hands the same cursor back.
    const cursor =
      given !== undefined && scan.next === state.position
        ? given
        : encodeCursor({ ...state, position: scan.next });
    return this.pageReply(cursor, scan.hasMore, scan.texts);
  }

  /** Assembles the page from the stored event texts, so each event's bytes are what was added. */
  private pageReply(cursor: string, hasMore: boolean, texts: readonly string[]): Reply {
    const members: Record<PageKey, string> = {
      cursor: JSON.stringify(cursor),
      has_more: String(hasMore),
      items: `[${texts.join(',')}]`,
    };
    return jsonReply(200, `{${this.keyOrder.map((key) => `"${key}":${members[key]}`).join(',')}}`);
  }
}

function windowOf(state: CursorState): TimeWindow | undefined {
  const start = parseRfc3339(state.startTime);
  const end = state.endTime === undefined ? undefined : parseRfc3339(state.endTime);
  if (!start || (state.endTime !== undefined && !end)) return undefined;
  return { start, end };
}

function bodyForLog(body: string): unknown {
  if (body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
}
