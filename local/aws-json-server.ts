import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultSchedule } from './fault-schedule';
import { clientGone, closeAfterReply, LoopbackServer } from './loopback-http';
import {
  authenticatedBody,
  type LocalCredentials,
  newLocalCredentials,
  RequestAuthenticator,
} from './request-auth';

/**
 * The awsJson1_1 protocol as the AWS SDK speaks it: `POST /`, header
 * `X-Amz-Target: <prefix>.<Operation>`, JSON in and out (content type application/x-amz-json-1.1),
 * errors as HTTP 4xx/5xx with `{"__type": "<Code>", "message": "..."}`.
 */
export const AWS_JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** Thrown by an operation handler to answer with an AWS error. */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** Faults every AWS stand-in understands. `operation` limits a queued fault to that operation. */
export type AwsTransportFault =
  /** Answer with this AWS error instead of running the operation. */
  | { kind: 'error'; type: string; status?: number; message?: string; operation?: string }
  /** Close the connection without answering. */
  | { kind: 'reset'; operation?: string }
  /** Wait, then run the operation normally (client timeouts). */
  | { kind: 'delay'; ms: number; operation?: string };

export interface AwsCall {
  readonly operation: string;
  /** 1-based number of this request since the server started. */
  readonly n: number;
}

/** A service-specific fault the stand-in handles itself (e.g. Firehose per-record failures). */
export interface ServiceFault {
  readonly kind: string;
  readonly operation?: string;
}

export type OperationHandler<Extra> = (
  input: Record<string, unknown>,
  context: { readonly call: AwsCall; readonly fault: Extra | undefined },
) => unknown;

export interface AwsJsonServerOptions<Extra> {
  /** Service prefix of the X-Amz-Target header, e.g. `Firehose_20150804`. */
  readonly targetPrefix: string;
  readonly operations: Readonly<Record<string, OperationHandler<Extra>>>;
  readonly port?: number;
  /** Every request is answered this long after it arrived, the stand-in's own work included. */
  readonly latencyMs?: number;
  /** The only credentials whose signed requests are answered. @default - new random ones */
  readonly credentials?: LocalCredentials;
  /**
   * The largest request body the service accepts (shared/contracts/aws-limits.ts cites the page); a larger
   * one is refused unread, as is any request whose signature headers fail.
   */
  readonly maxRequestBytes: number;
}

const TRANSPORT_KINDS = new Set(['error', 'reset', 'delay']);

function isTransportFault(fault: ServiceFault): fault is AwsTransportFault {
  return TRANSPORT_KINDS.has(fault.kind);
}

/**
 * The loopback server behind each AWS stand-in: authentication, routing, JSON, errors, latency and
 * faults. A request is answered only when its Host header names this server and it is signed with
 * the server's credentials (local/request-auth.ts); anything else gets the AWS error and nothing more,
 * before its body is read. A body over the API's request limit is refused without being read whole.
 */
export class AwsJsonServer<Extra extends ServiceFault = never> {
  readonly faults = new FaultSchedule<AwsTransportFault | Extra, AwsCall>(
    (fault, call) => fault.operation === undefined || fault.operation === call.operation,
  );
  private readonly callCounts = new Map<string, number>();
  private requestCount = 0;
  private server!: LoopbackServer;
  readonly credentials: LocalCredentials;
  private readonly auth: RequestAuthenticator;

  private constructor(private readonly options: AwsJsonServerOptions<Extra>) {
    this.credentials = options.credentials ?? newLocalCredentials();
    this.auth = new RequestAuthenticator(this.credentials);
  }

  static async start<Extra extends ServiceFault = never>(
    options: AwsJsonServerOptions<Extra>,
  ): Promise<AwsJsonServer<Extra>> {
    const self = new AwsJsonServer<Extra>(options);
    self.server = await LoopbackServer.start((req, res) => self.handle(req, res), options.port);
    return self;
  }

  get url(): string {
    return this.server.url;
  }

  /** Requests received per operation (faulted ones included). */
  calls(operation: string): number {
    return this.callCounts.get(operation) ?? 0;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    const read = await authenticatedBody(req, this.auth, this.server.host, this.options.maxRequestBytes);
    if ('refused' in read) {
      const { refused } = read;
      closeAfterReply(res);
      this.sendError(res, new AwsServiceError(refused.type, refused.message, refused.status));
      return;
    }
    const { body } = read;
    const target = req.headers['x-amz-target'];
    const prefix = `${this.options.targetPrefix}.`;
    const operation =
      typeof target === 'string' && target.startsWith(prefix) ? target.slice(prefix.length) : '';
    const handler = Object.hasOwn(this.options.operations, operation)
      ? this.options.operations[operation]
      : undefined;
    if (req.method !== 'POST' || !handler) {
      this.sendError(res, new AwsServiceError('UnknownOperationException', `Unknown operation ${target}`));
      return;
    }
    const call: AwsCall = { operation, n: ++this.requestCount };
    this.callCounts.set(operation, this.calls(operation) + 1);

    const fault = this.faults.take(call);
    if (fault && isTransportFault(fault)) {
      if (!(await this.server.wait(this.options.latencyMs ?? 0))) return;
      if (fault.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'error') {
        const error = new AwsServiceError(
          fault.type,
          fault.message ?? `Injected ${fault.type}`,
          fault.status,
        );
        this.sendError(res, error);
        return;
      }
      if (!(await this.server.wait(fault.ms))) return;
      if (clientGone(res)) return;
      const reply = await this.reply(body, handler, call, undefined);
      this.send(res, reply.status, reply.payload);
      return;
    }
    // Like the service, the call's work is done within the latency, not after it.
    const reply = await this.reply(body, handler, call, fault as Extra | undefined);
    if (!(await this.server.wait((this.options.latencyMs ?? 0) - (performance.now() - arrivedAt)))) return;
    this.send(res, reply.status, reply.payload);
  }

  /** What the operation answers: its output, or the service error it raised. */
  private async reply(
    body: Buffer,
    handler: OperationHandler<Extra>,
    call: AwsCall,
    fault: Extra | undefined,
  ): Promise<{ status: number; payload: unknown }> {
    const failure = (error: AwsServiceError) => ({
      status: error.status,
      payload: { __type: error.type, message: error.message },
    });
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return failure(new AwsServiceError('SerializationException', 'Request body is not valid JSON'));
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return failure(new AwsServiceError('SerializationException', 'Request body must be a JSON object'));
    }
    try {
      const output = await handler(input as Record<string, unknown>, { call, fault });
      return { status: 200, payload: output ?? {} };
    } catch (error) {
      return failure(
        error instanceof AwsServiceError
          ? error
          : new AwsServiceError(
              'InternalFailure',
              error instanceof Error ? error.message : String(error),
              500,
            ),
      );
    }
  }

  private sendError(res: ServerResponse, error: AwsServiceError): void {
    this.send(res, error.status, { __type: error.type, message: error.message });
  }

  private send(res: ServerResponse, status: number, payload: unknown): void {
    if (clientGone(res)) return;
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': AWS_JSON_CONTENT_TYPE,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  }
}

/** Reads a required string member of an operation's input, or fails as the service would. */
export function requireString(input: Record<string, unknown>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value.length === 0) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${member[0]?.toLowerCase()}${member.slice(1)}' failed to ` +
        'satisfy constraint: Member must not be null',
    );
  }
  return value;
}
