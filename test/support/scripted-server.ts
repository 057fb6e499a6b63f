import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly authorization: string | undefined;
}

export type Reply = (res: ServerResponse, req: IncomingMessage) => void;

/** Answers each request with the next scripted reply (on 127.0.0.1), for client unit tests. */
export class ScriptedServer {
  readonly seen: SeenRequest[] = [];
  private readonly replies: Reply[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScriptedServer> {
    let self: ScriptedServer | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        self!.seen.push({
          method: req.method ?? '',
          path: req.url ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
          authorization: req.headers.authorization,
        });
        const reply = self!.replies.shift() ?? json(500, { message: 'no scripted reply left' });
        reply(res, req);
      });
    });
    self = new ScriptedServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  script(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  /** Drops replies a test scripted but did not use. */
  clearReplies(): void {
    this.replies.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

/** Promises a full body, sends half, then cuts the connection. */
export function torn(body: unknown): Reply {
  const text = JSON.stringify(body);
  return (res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
    });
    res.write(text.slice(0, Math.floor(text.length / 2)));
    setTimeout(() => res.socket?.destroy(), 5);
  };
}

export function silentFor(ms: number, then: Reply): Reply {
  return (res, req) => {
    setTimeout(() => {
      if (!res.socket?.destroyed) then(res, req);
    }, ms);
  };
}
