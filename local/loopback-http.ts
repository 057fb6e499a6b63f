import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** Every stand-in listens here and nowhere else. */
export const LOOPBACK_HOST = '127.0.0.1';

export type LoopbackHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** An HTTP server on 127.0.0.1 that can be stopped without leaving sockets or timers behind. */
export class LoopbackServer {
  private readonly stopping = new AbortController();

  private constructor(private readonly server: Server) {}

  static async start(handler: LoopbackHandler, port = 0): Promise<LoopbackServer> {
    const server = createServer((req, res) => {
      handler(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`stand-in failure: ${error instanceof Error ? error.message : String(error)}`);
        } else {
          res.destroy();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, LOOPBACK_HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new LoopbackServer(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `127.0.0.1:<port>`: the Host header of a request meant for this server. */
  get host(): string {
    return `${LOOPBACK_HOST}:${this.port}`;
  }

  get url(): string {
    return `http://${this.host}`;
  }

  /** Aborted when the server stops: pending waits end so no handler keeps the process alive. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** Waits `ms`; resolves false instead when the server stops meanwhile. */
  async wait(ms: number): Promise<boolean> {
    if (ms <= 0) return !this.signal.aborted;
    try {
      await delay(ms, undefined, { signal: this.signal });
      return true;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The body if it is at most `maxBytes`, else undefined: a declared Content-Length over the limit is
 * refused before a byte is read, and a body without one (chunked) stops being read once past it.
 * Either way the caller answers and closes the connection (closeAfterReply): the rest is never read.
 */
export async function readBodyUpTo(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!(declared <= maxBytes)) return undefined;
  return new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (result: Buffer | undefined) => {
      req.off('data', onData).off('end', onEnd).off('error', reject);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // Stop reading without destroying the request: the reply still has to go out on its socket.
      req.pause();
      chunks.length = 0;
      stop(undefined);
    };
    const onEnd = () => stop(Buffer.concat(chunks, size));
    req.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

/**
 * Closes the connection once the reply is sent, reading nothing more of the request: for an answer
 * given before the body was read (a refused signature, a body over the limit). Call before writeHead.
 */
export function closeAfterReply(res: ServerResponse): void {
  res.setHeader('connection', 'close');
  res.once('finish', () => res.req.socket.destroy());
}

/** True when the client is gone (it timed out or the socket was cut): nothing more can be written. */
export function clientGone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded || res.socket === null || res.socket.destroyed;
}

/** Sends `body` to another server (`target`: where, how, which headers) and streams its answer into `res`. */
export function relay(target: RequestOptions, body: Buffer, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const upstream = httpRequest(target, (answer) => {
      if (clientGone(res)) {
        answer.resume();
        resolve();
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end(body);
  });
}
