import { existsSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { ensureCursorTable, startDynalite } from '../local/dynalite-server';
import { FirehoseStandIn } from '../local/firehose-standin';
import { type LocalCredentials, newLocalCredentials } from '../local/request-auth';
import { SINK_CLIENT_CONFIG } from '../shared/collector/delivery/firehose-sink';
import { CursorStore } from '../shared/collector/state/cursor-store';
import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';
import { commandLine } from './install-kind';
import { displayPath, type StateDir } from './state-dir';
import { lockState } from './state-lock';
import { stateDirRefusals } from './usage-errors';

/** Names the local stand-ins use for the resources the stack creates. */
export const LOCAL_NAMES = {
  cursorTable: 'op-events-cursors',
  tokenSecret: 'op-events/token',
  deliveryStream: (type: EventType) => `op-events-${type}`,
  alertBus: 'default',
} as const;

export const LOCAL_REGION = 'us-east-1';

/**
 * SDK client settings for a loopback stand-in: a fixed region and the run's own random credentials
 * (the stand-in answers nothing else), never a real account.
 */
export function localClientConfig(endpoint: string, credentials: LocalCredentials) {
  return { endpoint, region: LOCAL_REGION, credentials, maxAttempts: 2 };
}

export interface LocalCursorTable {
  readonly endpoint: string;
  /** What dynalite's proxy accepts: the credentials of this run. */
  readonly credentials: LocalCredentials;
  readonly client: DynamoDBClient;
  readonly store: CursorStore;
  close(): Promise<void>;
}

/**
 * Opens the cursor table of a local state folder (dynalite on 127.0.0.1 over `<state>/dynamodb`),
 * holding the folder's lock while it is open. `create: false` refuses a folder without a table
 * instead of creating one.
 */
export async function openLocalCursorTable(
  state: StateDir,
  options: { create: boolean; purpose: string; now?: () => number; credentials?: LocalCredentials },
): Promise<LocalCursorTable> {
  if (!options.create && !existsSync(state.dynamodb)) {
    throw stateDirRefusals.noCursorTable(displayPath(state.root), commandLine('start'));
  }
  const unlock = await lockState(state, options.purpose);
  try {
    const dynalite = await startDynalite({
      path: state.dynamodb,
      credentials: options.credentials ?? newLocalCredentials(),
    });
    const client = new DynamoDBClient(localClientConfig(dynalite.endpoint, dynalite.credentials));
    try {
      await ensureCursorTable(client, LOCAL_NAMES.cursorTable);
    } catch (error) {
      client.destroy();
      await dynalite.stop();
      throw error;
    }
    return {
      endpoint: dynalite.endpoint,
      credentials: dynalite.credentials,
      client,
      store: new CursorStore(client, LOCAL_NAMES.cursorTable, options.now),
      close: async () => {
        client.destroy();
        await dynalite.stop();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

export interface LocalFirehose {
  readonly endpoint: string;
  readonly standIn: FirehoseStandIn;
  /** A client for the stand-in (the collector's runtime uses AWS_ENDPOINT_URL_FIREHOSE instead). */
  client(): FirehoseClient;
  close(): Promise<void>;
}

/**
 * Firehose on 127.0.0.1 with one stream per type, writing what it accepts under `<state>/s3` as the bucket
 * would.
 */
export async function startLocalFirehose(
  state: StateDir,
  credentials: LocalCredentials = newLocalCredentials(),
): Promise<LocalFirehose> {
  const standIn = await FirehoseStandIn.start({
    credentials,
    streams: EVENT_TYPES.map(LOCAL_NAMES.deliveryStream),
    outputDir: state.s3,
    // Everything accepted is on disk; nothing reads it back from memory.
    keepRecords: false,
  });
  const clients: FirehoseClient[] = [];
  return {
    endpoint: standIn.url,
    standIn,
    client: () => {
      const client = new FirehoseClient({
        ...localClientConfig(standIn.url, standIn.credentials),
        ...SINK_CLIENT_CONFIG,
      });
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) client.destroy();
      await standIn.stop();
    },
  };
}
