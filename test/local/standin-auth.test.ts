import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DeserializeHandler, DeserializeHandlerArguments, MiddlewareStack } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCursorTable, type RunningDynalite, startDynalite } from '../../local/dynalite-server';
import { FirehoseStandIn } from '../../local/firehose-standin';
import { type LocalCredentials, newLocalCredentials } from '../../local/request-auth';
import { SecretsStandIn } from '../../local/secrets-standin';
import { postRaw } from '../support/raw-post';

const TOKEN =
  'eyJhbGciOiJFUzI1NiJ9.eyJzZWNyZXQiOiJyZWFsLXRva2VuLXBheWxvYWQifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const SECRET_ID = 'op-events/token';
const TABLE = 'cursors';
const STREAM = 'op-events-signinattempts';
/** The item the cursor table holds; refused answers must not carry it either. */
const STORED_MARK = 'stored-cursor-position-7d1f';

interface SignedRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A signed request replayed without the SDK, with one thing changed. */
const rawPost = (endpoint: string, request: SignedRequest) =>
  postRaw(endpoint, request.headers, request.body);

/** Records each request a client sends after the SDK signed it (the deserialize step runs after signing). */
function recordSignedRequests<Input extends object, Output extends object>(client: {
  middlewareStack: MiddlewareStack<Input, Output>;
}) {
  const seen: SignedRequest[] = [];
  client.middlewareStack.add(
    (next: DeserializeHandler<Input, Output>) => async (args: DeserializeHandlerArguments<Input>) => {
      const request = args.request as { headers: Record<string, string>; body: unknown };
      seen.push({ headers: { ...request.headers }, body: String(request.body ?? '') });
      return next(args);
    },
    { step: 'deserialize', name: 'recordSignedRequest' },
  );
  return seen;
}

/**
 * Makes one call through `client`, adding the requests it signed to `record` if one is given, and
 * destroys the client however the call ends.
 */
async function callRecorded<Input extends object, Output extends object, Client extends { destroy(): void }>(
  client: Client & { middlewareStack: MiddlewareStack<Input, Output> },
  record: SignedRequest[] | undefined,
  call: (client: Client) => Promise<string>,
): Promise<string> {
  const seen = recordSignedRequests(client);
  try {
    return await call(client);
  } finally {
    record?.push(...seen);
    client.destroy();
  }
}

const clientConfig = (endpoint: string, credentials: LocalCredentials) => ({
  endpoint,
  region: 'us-east-1',
  credentials,
  maxAttempts: 1,
});

interface StandInCase {
  readonly name: string;
  readonly endpoint: () => string;
  readonly credentials: () => LocalCredentials;
  /** A call through the SDK with these credentials; resolves to the answer's text. */
  readonly call: (credentials: LocalCredentials, record?: SignedRequest[]) => Promise<string>;
  /** Text that only a successful answer holds. */
  readonly secretText: string;
}

let secrets: SecretsStandIn;
let firehose: FirehoseStandIn;
let dynalite: RunningDynalite;

beforeAll(async () => {
  secrets = await SecretsStandIn.start({ secrets: { [SECRET_ID]: TOKEN } });
  firehose = await FirehoseStandIn.start({ streams: [STREAM] });
  dynalite = await startDynalite();
  const dynamo = new DynamoDBClient(clientConfig(dynalite.endpoint, dynalite.credentials));
  await ensureCursorTable(dynamo, TABLE);
  await dynamo.send(
    new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'cursor' }, mark: { S: STORED_MARK } } }),
  );
  dynamo.destroy();
});
afterAll(async () => {
  await Promise.all([secrets.stop(), firehose.stop(), dynalite.stop()]);
});

const cases: StandInCase[] = [
  {
    name: 'Secrets Manager stand-in',
    endpoint: () => secrets.url,
    credentials: () => secrets.credentials,
    secretText: TOKEN,
    call: (credentials, record) =>
      callRecorded(
        new SecretsManagerClient(clientConfig(secrets.url, credentials)),
        record,
        async (client) => {
          const answer = await client.send(new GetSecretValueCommand({ SecretId: SECRET_ID }));
          return answer.SecretString ?? '';
        },
      ),
  },
  {
    name: 'Firehose stand-in',
    endpoint: () => firehose.url,
    credentials: () => firehose.credentials,
    secretText: STREAM,
    call: (credentials, record) =>
      callRecorded(new FirehoseClient(clientConfig(firehose.url, credentials)), record, async (client) => {
        const answer = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: STREAM }));
        return answer.DeliveryStreamDescription?.DeliveryStreamName ?? '';
      }),
  },
  {
    name: 'dynalite behind its proxy',
    endpoint: () => dynalite.endpoint,
    credentials: () => dynalite.credentials,
    secretText: STORED_MARK,
    call: (credentials, record) =>
      callRecorded(
        new DynamoDBClient(clientConfig(dynalite.endpoint, credentials)),
        record,
        async (client) => {
          const answer = await client.send(
            new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'cursor' } } }),
          );
          return answer.Item?.mark?.S ?? '';
        },
      ),
  },
];

describe.each(cases)('$name', (standIn) => {
  /** A request the SDK signed with the right credentials, to replay with one thing changed. */
  async function signedRequest(): Promise<SignedRequest> {
    const record: SignedRequest[] = [];
    await standIn.call(standIn.credentials(), record);
    const [first] = record;
    if (!first) throw new Error('no request recorded');
    return first;
  }

  it('answers the SDK signing with the per-run credentials', async () => {
    expect(await standIn.call(standIn.credentials())).toBe(standIn.secretText);
  });

  it('answers a replay of a signed request unchanged (the replays below differ in one thing only)', async () => {
    const answer = await rawPost(standIn.endpoint(), await signedRequest());
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(standIn.secretText);
  });

  it('refuses an unsigned request', async () => {
    const { headers, body } = await signedRequest();
    const { authorization: _, ...unsigned } = headers;
    const answer = await rawPost(standIn.endpoint(), { headers: unsigned, body });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('MissingAuthenticationToken');
    expect(answer.body).not.toContain(standIn.secretText);
  });

  it('refuses other credentials: another access key id, or the right id with another secret key', async () => {
    await expect(standIn.call(newLocalCredentials())).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
    const wrongSecret = { ...standIn.credentials(), secretAccessKey: newLocalCredentials().secretAccessKey };
    await expect(standIn.call(wrongSecret)).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('refuses a signed request whose body was changed', async () => {
    const request = await signedRequest();
    const answer = await rawPost(standIn.endpoint(), { ...request, body: `${request.body} ` });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('SignatureDoesNotMatch');
    expect(answer.body).not.toContain(standIn.secretText);
  });

  it.each([
    ['another host name (DNS rebinding)', (port: string) => `attacker.example:${port}`],
    ['localhost instead of the bound address', (port: string) => `localhost:${port}`],
    ['another port', (port: string) => `127.0.0.1:${Number(port) + 1}`],
  ])('refuses a signed request for %s', async (_, host) => {
    const request = await signedRequest();
    const port = new URL(standIn.endpoint()).port;
    const answer = await rawPost(standIn.endpoint(), {
      ...request,
      headers: { ...request.headers, host: host(port) },
    });
    expect(answer.status).toBe(421);
    expect(answer.body).toContain('InvalidHostHeader');
    expect(answer.body).not.toContain(standIn.secretText);
  });

  it('refuses a signed request dated more than 15 minutes away', async () => {
    const request = await signedRequest();
    const stale = new Date(Date.now() - 20 * 60_000)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const answer = await rawPost(standIn.endpoint(), {
      ...request,
      headers: { ...request.headers, 'x-amz-date': stale },
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.body).not.toContain(standIn.secretText);
  });
});
