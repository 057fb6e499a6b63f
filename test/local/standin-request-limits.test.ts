import { once } from 'node:events';
import { connect } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCursorTable, type RunningDynalite, startDynalite } from '../../local/dynalite-server';
import { EventsApiSimulator, makeFakeToken } from '../../local/events-api-simulator';
import { FirehoseStandIn } from '../../local/firehose-standin';
import { type LocalCredentials, signForStandIn } from '../../local/request-auth';
import { SecretsStandIn } from '../../local/secrets-standin';
import { DYNAMODB, FIREHOSE, FIREHOSE_REQUESTS, SECRETS_MANAGER } from '../../shared/contracts/aws-limits';

// The review's repro: an unsigned 256 MiB POST from any local process grew a running
// `op-events start` by ~770 MiB, because every stand-in read the whole body before checking the
// signature. Now the headers are checked first, and a body over the API's documented request limit
// (shared/contracts/aws-limits.ts) is refused without being read: the answer comes while the client is still
// sending, the connection is closed, and the server's memory does not grow with the body.

const MiB = 1024 * 1024;
const STREAM = 'op-events-auditevents';
const SECRET_ID = 'op-events/token';
const TABLE = 'cursors';
const SIM_TOKEN = makeFakeToken({ host: 'events.1password.com', features: ['auditevents'] });

let secrets: SecretsStandIn;
let firehose: FirehoseStandIn;
let dynalite: RunningDynalite;

beforeAll(async () => {
  secrets = await SecretsStandIn.start({ secrets: { [SECRET_ID]: 'x'.repeat(200) } });
  firehose = await FirehoseStandIn.start({ streams: [STREAM] });
  dynalite = await startDynalite();
  const dynamo = new DynamoDBClient(clientConfig(dynalite.endpoint, dynalite.credentials));
  await ensureCursorTable(dynamo, TABLE);
  dynamo.destroy();
});
afterAll(async () => {
  await Promise.all([secrets.stop(), firehose.stop(), dynalite.stop()]);
});

const clientConfig = (endpoint: string, credentials: LocalCredentials) => ({
  endpoint,
  region: 'us-east-1',
  credentials,
  maxAttempts: 1,
});

interface Pushed {
  /** Status of the answer, 0 when none came. */
  readonly status: number;
  readonly answer: string;
  /** Body bytes the client managed to hand to its socket before the server closed the connection. */
  readonly sentBytes: number;
  /** Growth of this process's buffer memory (the stand-ins run in it) while sending. */
  readonly bufferGrowth: number;
}

/**
 * Sends `POST /` with `headers` and a body of `totalBytes` from a raw socket, 1 MiB at a time and
 * only as fast as the server takes it, until everything is sent or the server closes the connection.
 * `chunked`: no Content-Length, the body in chunked transfer encoding.
 */
async function pushBody(
  endpoint: string,
  headers: Record<string, string>,
  totalBytes: number,
  chunked = false,
  path = '/',
): Promise<Pushed> {
  const url = new URL(endpoint);
  const socket = connect(Number(url.port), url.hostname);
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (data: Buffer) => {
    answer += data.toString('latin1');
  });
  socket.on('error', () => undefined); // a reset after the answer is the server closing, as intended
  let closed = false;
  const gone = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  globalThis.gc?.();
  const buffersBefore = process.memoryUsage().arrayBuffers;
  const head = Object.entries({
    ...headers,
    ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(totalBytes) }),
  })
    .filter(([name]) => !(chunked && name.toLowerCase() === 'content-length'))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
  const chunk = Buffer.alloc(MiB, 0x61);
  const frame = chunked
    ? [Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]
    : [chunk];
  let sentBytes = 0;
  while (sentBytes < totalBytes && !closed) {
    let flushed = true;
    for (const part of frame) flushed = socket.write(part) && flushed;
    sentBytes += chunk.length;
    if (!flushed) await Promise.race([once(socket, 'drain').catch(() => undefined), gone]);
  }
  if (!closed && chunked) socket.write('0\r\n\r\n');
  await gone;
  const bufferGrowth = process.memoryUsage().arrayBuffers - buffersBefore;
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), answer, sentBytes, bufferGrowth };
}

interface StandInCase {
  readonly name: string;
  readonly endpoint: () => string;
  /** The API's documented request limit the stand-in enforces. */
  readonly maxRequestBytes: number;
  /** Headers of a request the SDK signed with the stand-in's credentials. */
  readonly signedHeaders: () => Promise<Record<string, string>>;
}

/** Headers of `POST /` signed with a stand-in's credentials, as the SDK signs them. */
function signed(endpoint: string, credentials: LocalCredentials, service: string, target: string) {
  const { host } = new URL(endpoint);
  const body = new TextEncoder().encode('{}');
  return signForStandIn(
    {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body,
    },
    host,
    credentials,
    { region: 'us-east-1', service },
  );
}

const cases: StandInCase[] = [
  {
    name: 'Firehose stand-in',
    endpoint: () => firehose.url,
    maxRequestBytes: FIREHOSE_REQUESTS.maxRequestBytes,
    signedHeaders: () =>
      signed(firehose.url, firehose.credentials, 'firehose', 'Firehose_20150804.PutRecordBatch'),
  },
  {
    name: 'Secrets Manager stand-in',
    endpoint: () => secrets.url,
    maxRequestBytes: SECRETS_MANAGER.maxGetSecretValueRequestBytes,
    signedHeaders: () =>
      signed(secrets.url, secrets.credentials, 'secretsmanager', 'secretsmanager.GetSecretValue'),
  },
  {
    name: 'dynalite behind its proxy',
    endpoint: () => dynalite.endpoint,
    maxRequestBytes: DYNAMODB.maxRequestBytes,
    signedHeaders: () =>
      signed(dynalite.endpoint, dynalite.credentials, 'dynamodb', 'DynamoDB_20120810.GetItem'),
  },
];

describe.each(cases)('$name', (standIn) => {
  it('answers an unsigned 256 MiB POST before the body is sent, closes, and does not grow', async () => {
    const host = new URL(standIn.endpoint()).host;
    const pushed = await pushBody(
      standIn.endpoint(),
      { host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Any.Operation' },
      256 * MiB,
    );
    expect(pushed.status).toBe(403);
    expect(pushed.answer).toContain('MissingAuthenticationToken');
    expect(pushed.sentBytes).toBeLessThan(64 * MiB);
    expect(pushed.bufferGrowth).toBeLessThan(32 * MiB);
  });

  it('refuses a signed request declaring a body over the limit, unread (413)', async () => {
    const headers = await standIn.signedHeaders();
    const pushed = await pushBody(standIn.endpoint(), headers, standIn.maxRequestBytes + 1 + 64 * MiB);
    expect(pushed.status).toBe(413);
    expect(pushed.answer).toContain('RequestEntityTooLarge');
    expect(pushed.answer).toContain(`larger than ${standIn.maxRequestBytes} bytes`);
    expect(pushed.sentBytes).toBeLessThan(64 * MiB);
    expect(pushed.bufferGrowth).toBeLessThan(32 * MiB);
  });

  it('stops reading a chunked body once past the limit (413)', async () => {
    const headers = await standIn.signedHeaders();
    const pushed = await pushBody(standIn.endpoint(), headers, standIn.maxRequestBytes + 128 * MiB, true);
    expect(pushed.status).toBe(413);
    expect(pushed.sentBytes).toBeLessThan(standIn.maxRequestBytes + 64 * MiB);
  });
});

describe('the Events API simulator', () => {
  it('answers a 256 MiB POST without a token it issued before the body is sent (401), and does not grow', async () => {
    const sim = await EventsApiSimulator.start({ tokens: { [SIM_TOKEN]: { features: ['auditevents'] } } });
    try {
      const host = new URL(sim.url).host;
      for (const authorization of [undefined, 'Bearer not-a-token-it-issued']) {
        const pushed = await pushBody(
          sim.url.replace(/\/$/, ''),
          { host, 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          256 * MiB,
          false,
          '/api/v2/auditevents',
        );
        expect(pushed.status).toBe(401);
        expect(pushed.sentBytes).toBeLessThan(64 * MiB);
        expect(pushed.bufferGrowth).toBeLessThan(32 * MiB);
      }
    } finally {
      await sim.stop();
    }
  });
});

describe('the limits admit every request the API accepts', () => {
  it('a PutRecordBatch of 500 records and exactly 4 MiB of data is accepted', async () => {
    const client = new FirehoseClient(clientConfig(firehose.url, firehose.credentials));
    try {
      const each = FIREHOSE.maxBatchBytes / FIREHOSE.maxRecordsPerBatch;
      const records = Array.from({ length: FIREHOSE.maxRecordsPerBatch }, (_, i) => ({
        Data: Buffer.alloc(
          i === 0 ? FIREHOSE.maxBatchBytes - Math.floor(each) * 499 : Math.floor(each),
          0x7b,
        ),
      }));
      const answer = await client.send(
        new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: records }),
      );
      expect(answer.FailedPutCount).toBe(0);
      expect(records.reduce((sum, r) => sum + r.Data.length, 0)).toBe(FIREHOSE.maxBatchBytes);
    } finally {
      client.destroy();
    }
  });

  it('a GetSecretValue with every member at its documented longest is answered (not found, not refused)', async () => {
    const client = new SecretsManagerClient(clientConfig(secrets.url, secrets.credentials));
    try {
      const call = client.send(
        new GetSecretValueCommand({
          SecretId: `${'a'.repeat(2_047)}"`,
          VersionId: 'b'.repeat(64),
          VersionStage: 'c'.repeat(256),
        }),
      );
      await expect(call).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      client.destroy();
    }
  });
});
