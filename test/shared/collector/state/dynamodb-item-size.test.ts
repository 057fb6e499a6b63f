import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCursorTable, type RunningDynalite, startDynalite } from '../../../../local/dynalite-server';
import { assertCursorFits } from '../../../../shared/collector/state/cursor-store';
import { attributeSizeBytes, itemSizeBytes } from '../../../../shared/collector/state/dynamodb-item-size';
import { DYNAMODB } from '../../../../shared/contracts/aws-limits';
import { CursorTooLargeError } from '../../../../shared/util/errors';
import { standInClientConfig } from '../../../local/sdk-config';

describe('itemSizeBytes', () => {
  it('counts names and values as "DynamoDB item sizes and formats" describes', () => {
    expect(attributeSizeBytes('pk', { S: 'cursor#itemusages' })).toBe(2 + 17);
    expect(attributeSizeBytes('name', { S: 'é' })).toBe(4 + 2);
    expect(attributeSizeBytes('n', { N: '12345' })).toBe(1 + 3 + 1);
    expect(attributeSizeBytes('n', { N: '-0.00120' })).toBe(1 + 1 + 1);
    expect(attributeSizeBytes('b', { BOOL: true })).toBe(2);
    expect(attributeSizeBytes('m', { M: { a: { S: 'xy' }, b: { NULL: true } } })).toBe(
      1 + 3 + (1 + 1 + 2) + (1 + 1 + 1),
    );
    expect(attributeSizeBytes('l', { L: [{ S: 'x' }, { N: '1' }] })).toBe(1 + 3 + (1 + 1) + (1 + 2));
    expect(itemSizeBytes({ pk: { S: 'k' }, cursor: { S: 'abc' } })).toBe(2 + 1 + 6 + 3);
  });
});

describe('DynamoDB’s 400 KB item limit, as dynalite enforces it', () => {
  let dynalite: RunningDynalite;
  let client: DynamoDBClient;
  beforeAll(async () => {
    dynalite = await startDynalite();
    client = new DynamoDBClient(standInClientConfig(dynalite, dynalite.endpoint));
    await ensureCursorTable(client, 'rows');
  });
  afterAll(async () => {
    client.destroy();
    await dynalite.stop();
  });

  const rowOf = (bytes: number) => {
    const base = { pk: { S: 'cursor#itemusages' } };
    const cursor = 'c'.repeat(bytes - itemSizeBytes(base) - 'cursor'.length);
    return { ...base, cursor: { S: cursor } };
  };

  it('accepts a row of exactly 409,600 bytes by this count and refuses one byte more', async () => {
    expect(itemSizeBytes(rowOf(DYNAMODB.maxItemBytes))).toBe(409_600);
    await client.send(new PutItemCommand({ TableName: 'rows', Item: rowOf(DYNAMODB.maxItemBytes) }));
    await expect(
      client.send(new PutItemCommand({ TableName: 'rows', Item: rowOf(DYNAMODB.maxItemBytes + 1) })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/Item size/) });
  });
});

describe('assertCursorFits', () => {
  it('passes a cursor that leaves room for the run’s bookkeeping', () => {
    expect(() => assertCursorFits('itemusages', 'c'.repeat(300_000), 2_000)).not.toThrow();
  });

  it('refuses one the row cannot hold, naming the sizes and the limit', () => {
    const attempt = () => assertCursorFits('auditevents', 'c'.repeat(404_000), 2_000);
    expect(attempt).toThrow(CursorTooLargeError);
    expect(attempt).toThrow(
      /cursor of 404006 bytes for auditevents: with the rest of the cursor row \(2000 bytes, plus 4096 kept for run bookkeeping\) it does not fit in one DynamoDB item \(409600 bytes, 400 KB\)/,
    );
  });
});
