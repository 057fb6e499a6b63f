import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { LOOPBACK_HOST } from './loopback-http';

export interface DynaliteOptions {
  /** LevelDB directory to persist tables in; in memory when absent. */
  readonly path?: string;
  readonly port?: number;
  /** How long a new table stays CREATING (dynalite's default is 500 ms; short keeps tests fast). */
  readonly createTableMs?: number;
}

export interface RunningDynalite {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` or AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts dynalite (DynamoDB's protocol: conditions, updates, atomic per key) on 127.0.0.1. */
export async function startDynalite(options: DynaliteOptions = {}): Promise<RunningDynalite> {
  const delayMs = options.createTableMs ?? 5;
  const server = dynalite({
    path: options.path,
    createTableMs: delayMs,
    deleteTableMs: delayMs,
    updateTableMs: delayMs,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, LOOPBACK_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${LOOPBACK_HOST}:${port}`,
    stop: async () => {
      // SDK clients keep connections alive; without this, close() waits for them (and the LevelDB
      // store is only released once the HTTP side has closed).
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
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
