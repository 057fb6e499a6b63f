import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer, readBody, relay } from '../local/loopback-http';
import { type LocalCredentials, signForStandIn } from '../local/request-auth';

/**
 * A loopback proxy that forwards AWS JSON calls to a stand-in (dynalite) and counts them by
 * operation (the X-Amz-Target header) and by the kind of row they touch (the part of the key `pk`
 * before `#`: `cursor` rows or the `budget` row): every DynamoDB request a run makes, conditional
 * writes that fail included (DynamoDB bills those too). It signs each call again for dynalite's
 * host with the harness's credentials, since dynalite's proxy checks the Host header and signature.
 */
export class CountingProxy {
  private readonly counts = new Map<string, number>();

  private constructor(
    private readonly server: LoopbackServer,
    private readonly target: URL,
    private readonly credentials: LocalCredentials,
  ) {}

  static async start(targetUrl: string, credentials: LocalCredentials): Promise<CountingProxy> {
    let self: CountingProxy | undefined;
    const server = await LoopbackServer.start((req, res) => (self as CountingProxy).forward(req, res));
    self = new CountingProxy(server, new URL(targetUrl), credentials);
    return self;
  }

  get url(): string {
    return this.server.url;
  }

  /** Calls per operation since the last reset. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  reset(): void {
    this.counts.clear();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const operation =
      String(req.headers['x-amz-target'] ?? 'unknown')
        .split('.')
        .pop() ?? 'unknown';
    const body = await readBody(req);
    const key = `${operation} ${rowKind(body)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const headers = await signForStandIn(
      {
        method: req.method ?? 'POST',
        path: req.url ?? '/',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body,
      },
      this.target.host,
      this.credentials,
      { region: 'us-east-1', service: 'dynamodb' },
    );
    await relay(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers },
      body,
      res,
    );
  }
}

function rowKind(body: Buffer): string {
  try {
    const input = JSON.parse(body.toString('utf8')) as { Key?: { pk?: { S?: string } } };
    return input.Key?.pk?.S?.split('#')[0] ?? 'table';
  } catch {
    return 'unknown';
  }
}
