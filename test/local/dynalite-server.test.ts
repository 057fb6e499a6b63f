import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureCursorTable, type RunningDynalite, startDynalite } from '../../local/dynalite-server';
import { standInClientConfig } from './sdk-config';

const TABLE = 'cursors';

describe('startDynalite and ensureCursorTable', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(path?: string): Promise<{ dynalite: RunningDynalite; client: DynamoDBClient }> {
    const dynalite = await startDynalite({ path });
    const client = new DynamoDBClient(standInClientConfig(dynalite, dynalite.endpoint));
    cleanups.push(async () => {
      client.destroy();
      await dynalite.stop();
    });
    return { dynalite, client };
  }

  it('creates the cursor table once (string key pk, on demand) and waits until it is ACTIVE', async () => {
    const { dynalite, client } = await start();
    expect(dynalite.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await ensureCursorTable(client, TABLE);
    await ensureCursorTable(client, TABLE);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
  });

  it('enforces conditional writes', async () => {
    const { client } = await start();
    await ensureCursorTable(client, TABLE);
    const takeLease = (owner: string) =>
      client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'cursor#auditevents' }, owner: { S: owner } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await takeLease('run-1');
    await expect(takeLease('run-2')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: { pk: { S: 'cursor#auditevents' } },
        ConsistentRead: true,
      }),
    );
    expect(Item?.owner?.S).toBe('run-1');
  });

  it('keeps tables and items across restarts when given a path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dynalite-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const first = await startDynalite({ path: dir });
    const firstClient = new DynamoDBClient(standInClientConfig(first, first.endpoint));
    await ensureCursorTable(firstClient, TABLE);
    await firstClient.send(
      new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'kept' }, v: { N: '7' } } }),
    );
    firstClient.destroy();
    await first.stop();

    const { client } = await start(dir);
    await ensureCursorTable(client, TABLE);
    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'kept' } } }));
    expect(Item?.v?.N).toBe('7');
  });
});
