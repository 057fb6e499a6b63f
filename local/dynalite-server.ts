import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { DYNAMODB } from '../shared/contracts/aws-limits';
import { clientGone, closeAfterReply, LoopbackServer, relay } from './loopback-http';
import {
  authenticatedBody,
  type LocalCredentials,
  newLocalCredentials,
  RequestAuthenticator,
} from './request-auth';

export interface DynaliteOptions {
  /** LevelDB directory to persist tables in; in memory when absent. */
  readonly path?: string;
  readonly port?: number;
  /** How long a new table stays CREATING (dynalite's default is 500 ms; short keeps tests fast). */
  readonly createTableMs?: number;
  /** The only credentials whose signed requests are answered. @default - new random ones */
  readonly credentials?: LocalCredentials;
}

export interface RunningDynalite {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` or AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpoint: string;
  /** What a client must sign its requests with. */
  readonly credentials: LocalCredentials;
  stop(): Promise<void>;
}

/**
 * Starts dynalite (DynamoDB's protocol: conditions, updates, atomic per key) behind an
 * authenticating proxy on 127.0.0.1. dynalite itself checks no signature, so it listens on a Unix
 * socket in a folder only this user can open; the proxy answers only requests for its own
 * host:port signed with `credentials` (local/request-auth.ts) and forwards them to the socket. It
 * reads no body before the signature headers pass, and none over DynamoDB's request limit.
 */
export async function startDynalite(options: DynaliteOptions = {}): Promise<RunningDynalite> {
  const delayMs = options.createTableMs ?? 5;
  const credentials = options.credentials ?? newLocalCredentials();
  const socketDir = mkdtempSync(join(tmpdir(), 'op-events-dynalite-'));
  const socketPath = join(socketDir, 'dynalite.sock');
  const server = dynalite({
    path: options.path,
    createTableMs: delayMs,
    deleteTableMs: delayMs,
    updateTableMs: delayMs,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const auth = new RequestAuthenticator(credentials);
  let proxy: LoopbackServer | undefined;
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const read = await authenticatedBody(req, auth, (proxy as LoopbackServer).host, DYNAMODB.maxRequestBytes);
    if ('refused' in read) {
      closeAfterReply(res);
      sendRefusal(res, read.refused.status, read.refused.type, read.refused.message);
      return;
    }
    await relay({ socketPath, method: req.method, path: req.url, headers: req.headers }, read.body, res);
  };
  try {
    proxy = await LoopbackServer.start(forward, options.port);
  } catch (error) {
    await closeDynalite(server, socketDir);
    throw error;
  }
  const running = proxy;
  return {
    endpoint: running.url,
    credentials,
    stop: async () => {
      await running.stop();
      await closeDynalite(server, socketDir);
    },
  };
}

async function closeDynalite(server: ReturnType<typeof dynalite>, socketDir: string): Promise<void> {
  // SDK clients keep connections alive; without this, close() waits for them (and the LevelDB
  // store is only released once the HTTP side has closed).
  server.closeAllConnections();
  try {
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  } finally {
    rmSync(socketDir, { recursive: true, force: true });
  }
}

/** DynamoDB's JSON error shape (awsJson1_0), so the SDK raises the named exception. */
function sendRefusal(res: ServerResponse, status: number, type: string, message: string): void {
  if (clientGone(res)) return;
  const text = JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Creates the cursor table (string partition key `pk`, no sort key, on-demand) unless it exists,
 * then waits until it is ACTIVE.
 */
export async function ensureCursorTable(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 30_000,
): Promise<void> {
  if ((await tableStatus(client, tableName)) === undefined) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (error) {
      // Created meanwhile by someone else: fine, wait for it like for our own.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await tableStatus(client, tableName);
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(
        `Table ${tableName} is not ACTIVE after ${timeoutMs} ms (status: ${status ?? 'absent'})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function tableStatus(client: DynamoDBClient, tableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus ?? 'UNKNOWN';
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
