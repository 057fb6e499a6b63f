import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  PutRecordBatchCommand,
  PutRecordCommand,
} from '@aws-sdk/client-firehose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BILLING_INCREMENT_BYTES,
  FirehoseStandIn,
  type FirehoseStandInOptions,
  MAX_BATCH_BYTES,
  MAX_RECORD_BYTES,
} from '../../local/firehose-standin';
import { standInClientConfig } from './sdk-config';

const STREAM = 'events-stream';

function data(text: string): { Data: Uint8Array } {
  return { Data: Buffer.from(text, 'utf8') };
}

function bytes(length: number): { Data: Uint8Array } {
  return { Data: Buffer.alloc(length, 0x61) };
}

describe('FirehoseStandIn', () => {
  let firehose: FirehoseStandIn;
  let client: FirehoseClient;

  beforeEach(async () => {
    firehose = await FirehoseStandIn.start({ streams: [STREAM] });
    client = new FirehoseClient(standInClientConfig(firehose, firehose.url));
  });
  afterEach(async () => {
    client.destroy();
    await firehose.stop();
  });

  it('accepts a batch, answers a RecordId per record and keeps the records in order', async () => {
    const out = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: STREAM,
        Records: [data('{"a":1}\n{"b":2}\n'), data('{"c":3}\n')],
      }),
    );
    expect(out.FailedPutCount).toBe(0);
    expect(out.RequestResponses?.map((entry) => typeof entry.RecordId)).toEqual(['string', 'string']);
    expect(firehose.records(STREAM).map((record) => record.toString())).toEqual([
      '{"a":1}\n{"b":2}\n',
      '{"c":3}\n',
    ]);
    expect(firehose.lines(STREAM)).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    expect(firehose.stats).toMatchObject({ calls: 1, records: 2, bytes: 24, failedRecords: 0 });
  });

  it('shows lines as S3 would: a record without its final newline runs into the next', async () => {
    await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: STREAM,
        Records: [data('{"a":1}'), data('{"b":2}\n')],
      }),
    );
    expect(firehose.lines(STREAM)).toEqual(['{"a":1}{"b":2}']);
  });

  it('bills each record rounded up to 5 KB', async () => {
    await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: STREAM,
        Records: [bytes(1), bytes(5_120), bytes(5_121)],
      }),
    );
    expect(BILLING_INCREMENT_BYTES).toBe(5_120);
    expect(firehose.stats.billedBytes).toBe(5_120 + 5_120 + 10_240);
  });

  it('answers ResourceNotFoundException for a stream that does not exist', async () => {
    await expect(
      client.send(new PutRecordBatchCommand({ DeliveryStreamName: 'nope', Records: [data('x\n')] })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    expect(firehose.stats.rejectedCalls).toBe(1);
  });

  it('rejects 501 records and accepts 500', async () => {
    const records = Array.from({ length: 501 }, () => data('{}\n'));
    await expect(
      client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: records })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('500') });
    const accepted = await client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: records.slice(0, 500) }),
    );
    expect(accepted.FailedPutCount).toBe(0);
    expect(firehose.stats.records).toBe(500);
  });

  it('rejects a record over 1,000 KiB and accepts one of exactly 1,024,000 bytes', async () => {
    await expect(
      client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: STREAM,
          Records: [bytes(10), bytes(MAX_RECORD_BYTES + 1)],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/records\.2\.member\.data.*1024000/),
    });
    await expect(
      client.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: bytes(MAX_RECORD_BYTES + 1) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: [bytes(MAX_RECORD_BYTES)] }),
    );
    expect(firehose.stats.records).toBe(1);
  });

  it('rejects a call over 4 MiB and accepts exactly 4 MiB', async () => {
    const fourRecords = Array.from({ length: 4 }, () => bytes(MAX_RECORD_BYTES));
    const exact = [...fourRecords, bytes(MAX_BATCH_BYTES - 4 * MAX_RECORD_BYTES)];
    await client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: exact }));
    await expect(
      client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: [...exact, bytes(1)] })),
    ).rejects.toMatchObject({ name: 'InvalidArgumentException', message: expect.stringContaining('4 MB') });
    expect(firehose.stats).toMatchObject({ calls: 1, rejectedCalls: 1, bytes: MAX_BATCH_BYTES });
  });

  it('reports per-record failures from an injected fault, keeping only the accepted records', async () => {
    firehose.enqueueFault({ kind: 'fail-records', indexes: [1, 3] });
    const out = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: STREAM,
        Records: ['r0', 'r1', 'r2', 'r3'].map((text) => data(`${text}\n`)),
      }),
    );
    expect(out.FailedPutCount).toBe(2);
    expect(out.RequestResponses?.[1]).toMatchObject({ ErrorCode: 'ServiceUnavailableException' });
    expect(out.RequestResponses?.[1]?.RecordId).toBeUndefined();
    expect(out.RequestResponses?.[0]?.RecordId).toEqual(expect.any(String));
    expect(firehose.lines(STREAM)).toEqual(['r0', 'r2']);
    expect(firehose.stats).toMatchObject({ records: 2, failedRecords: 2 });
  });

  it('fails records at random with a seeded, repeatable schedule', async () => {
    const outcome = async (seed: number) => {
      const standIn = await FirehoseStandIn.start({ streams: [STREAM], seed, failRecordProbability: 0.5 });
      const seeded = new FirehoseClient(standInClientConfig(standIn, standIn.url));
      try {
        const out = await seeded.send(
          new PutRecordBatchCommand({
            DeliveryStreamName: STREAM,
            Records: Array.from({ length: 40 }, (_, i) => data(`${i}\n`)),
          }),
        );
        return out.RequestResponses?.map((entry) => entry.ErrorCode ?? 'ok');
      } finally {
        seeded.destroy();
        await standIn.stop();
      }
    };
    const first = await outcome(7);
    expect(first).toEqual(await outcome(7));
    expect(first?.filter((code) => code === 'ok').length).toBeGreaterThan(5);
    expect(first?.filter((code) => code === 'ServiceUnavailableException').length).toBeGreaterThan(5);
  });

  it('fails whole calls with 503 ServiceUnavailableException at the configured rate', async () => {
    firehose.setFailureRates({ failCallProbability: 1 });
    await expect(
      client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: [data('x\n')] })),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } });
    firehose.setFailureRates({ failCallProbability: 0 });
    await client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: [data('x\n')] }));
    expect(firehose.stats).toMatchObject({ calls: 1, rejectedCalls: 1, records: 1 });
  });

  it('applies queued transport faults to the named operation only', async () => {
    firehose.enqueueFault({
      kind: 'error',
      type: 'ThrottlingException',
      status: 400,
      operation: 'PutRecord',
    });
    firehose.enqueueFault({ kind: 'reset', operation: 'PutRecordBatch' });
    await expect(
      client.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: [data('x\n')] })),
    ).rejects.toThrow();
    await expect(
      client.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: data('y\n') })),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    await client.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: data('z\n') }));
    expect(firehose.lines(STREAM)).toEqual(['z']);
    expect(firehose.callsReceived('PutRecordBatch')).toBe(1);
    expect(firehose.callsReceived('PutRecord')).toBe(2);
  });

  it('describes a stream as ACTIVE', async () => {
    const out = await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: STREAM }));
    expect(out.DeliveryStreamDescription).toMatchObject({
      DeliveryStreamName: STREAM,
      DeliveryStreamStatus: 'ACTIVE',
    });
  });
});

describe('FirehoseStandIn throughput quota', () => {
  let now = 0;
  let standIn: FirehoseStandIn;
  let client: FirehoseClient;
  const start = async (options: Partial<FirehoseStandInOptions>) => {
    standIn = await FirehoseStandIn.start({ streams: [STREAM, 'other'], clock: () => now, ...options });
    client = new FirehoseClient(standInClientConfig(standIn, standIn.url));
  };
  const put = (records: { Data: Uint8Array }[], stream = STREAM) =>
    client.send(new PutRecordBatchCommand({ DeliveryStreamName: stream, Records: records }));
  const throttled = {
    name: 'ServiceUnavailableException',
    message: 'Slow down.',
    $metadata: { httpStatusCode: 503 },
  };

  beforeEach(() => {
    now = Date.parse('2026-01-01T00:00:00Z');
  });
  afterEach(async () => {
    client.destroy();
    await standIn.stop();
  });

  it('defaults to the region’s quota: 5 MiB/s in us-east-1, 1 MiB/s in eu-central-1', async () => {
    await start({});
    await put([
      bytes(MAX_RECORD_BYTES),
      bytes(MAX_RECORD_BYTES),
      bytes(MAX_RECORD_BYTES),
      bytes(MAX_RECORD_BYTES),
    ]);
    // 4,096,000 of 5,242,880 bytes taken: two more records do not fit in this second.
    await expect(put([bytes(MAX_RECORD_BYTES), bytes(MAX_RECORD_BYTES)])).rejects.toMatchObject(throttled);
    await standIn.stop();
    client.destroy();
    await start({ region: 'eu-central-1' });
    await put([bytes(MAX_RECORD_BYTES)]);
    await expect(put([bytes(100_000)])).rejects.toMatchObject(throttled);
    expect(standIn.stats).toMatchObject({ calls: 1, throttledCalls: 1, records: 1 });
  });

  it('refuses a call beyond the bytes per second, accepts nothing of it, and refills with time', async () => {
    await start({ throughputQuota: { bytesPerSecond: 1_000, recordsPerSecond: 100, requestsPerSecond: 10 } });
    await put([bytes(600)]);
    await expect(put([bytes(300), bytes(300)])).rejects.toMatchObject(throttled);
    expect(standIn.records(STREAM)).toHaveLength(1);
    now += 200; // 200 bytes back: 600 now fit
    await put([bytes(300), bytes(300)]);
    // Each stream has its own quota.
    await put([bytes(1_000)], 'other');
    expect(standIn.stats).toMatchObject({ calls: 3, throttledCalls: 1, records: 4 });
  });

  it('counts records and requests per second too, PutRecord and PutRecordBatch together', async () => {
    await start({
      throughputQuota: { bytesPerSecond: 1_000_000, recordsPerSecond: 10, requestsPerSecond: 3 },
    });
    await put(Array.from({ length: 10 }, () => data('x\n')));
    await expect(put([data('y\n')])).rejects.toMatchObject(throttled);
    now += 1_000;
    await put([data('a\n')]);
    await client.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: data('b\n') }));
    await put([data('c\n')]);
    await expect(put([data('d\n')])).rejects.toMatchObject(throttled);
    expect(standIn.stats.throttledCalls).toBe(2);
  });

  it('admits a call larger than a second’s worth into a full bucket only, leaving it in debt', async () => {
    await start({ throughputQuota: { bytesPerSecond: 1_000, recordsPerSecond: 100, requestsPerSecond: 10 } });
    await put([bytes(2_500)]);
    now += 1_000; // 1,000 back, still 500 short of zero
    await expect(put([bytes(1)])).rejects.toMatchObject(throttled);
    now += 1_500;
    await put([bytes(1_000)]);
    expect(standIn.stats).toMatchObject({ calls: 2, throttledCalls: 1 });
  });

  it('can be turned off', async () => {
    await start({ throughputQuota: false, region: 'eu-central-1' });
    for (let i = 0; i < 3; i++) await put([bytes(MAX_RECORD_BYTES), bytes(MAX_RECORD_BYTES)]);
    expect(standIn.stats.throttledCalls).toBe(0);
  });
});

describe('FirehoseStandIn outputDir', () => {
  let dir: string;
  let firehose: FirehoseStandIn;
  let client: FirehoseClient;
  const now = Date.parse('2024-06-01T12:34:56Z');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firehose-standin-'));
    firehose = await FirehoseStandIn.start({ streams: [STREAM], outputDir: dir, clock: () => now });
    client = new FirehoseClient(standInClientConfig(firehose, firehose.url));
  });
  afterEach(async () => {
    client.destroy();
    await firehose.stop();
    await rm(dir, { recursive: true, force: true });
  });

  function line(uuid: string, type: string, date: string): string {
    return JSON.stringify({
      uuid,
      timestamp: `${date}T01:02:03Z`,
      _collector: { type, event_date: date, run_id: 'r' },
    });
  }

  async function gunzipLines(key: string): Promise<string[]> {
    const text = gunzipSync(await readFile(join(dir, key))).toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    return text.slice(0, -1).split('\n');
  }

  it('de-aggregates records and writes one gzip NDJSON object per event date, plus errors', async () => {
    const a = line('A', 'auditevents', '2024-05-31');
    const b = line('B', 'auditevents', '2024-06-01');
    const c = line('C', 'auditevents', '2024-05-31');
    const usage = line('U', 'itemusages', '2024-06-01');
    const noMetadata = '{"uuid":"N"}';
    await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: STREAM,
        Records: [data(`${a}\n${b}\n`), data(`${c}\n${usage}\n${noMetadata}\nnot json\n`)],
      }),
    );
    const keys = [...firehose.writtenObjects].sort();
    const name = /^[a-z-]+-20240601123456-\d{6}\.gz$/;
    expect(keys).toHaveLength(4);
    const byPrefix = new Map(keys.map((key) => [key.slice(0, key.lastIndexOf('/') + 1), key]));
    const auditOld = byPrefix.get('events/auditevents/dt=2024-05-31/')!;
    expect(auditOld.split('/').at(-1)).toMatch(name);
    expect(auditOld.split('/').at(-1)?.startsWith(`${STREAM}-`)).toBe(true);
    expect(await gunzipLines(auditOld)).toEqual([a, c]);
    expect(await gunzipLines(byPrefix.get('events/auditevents/dt=2024-06-01/')!)).toEqual([b]);
    expect(await gunzipLines(byPrefix.get('events/itemusages/dt=2024-06-01/')!)).toEqual([usage]);

    const errors = await gunzipLines(byPrefix.get('errors/unknown/partitioning-failed/2024/06/01/')!);
    expect(errors.map((text) => Buffer.from(JSON.parse(text).rawData, 'base64').toString())).toEqual([
      noMetadata,
      'not json',
    ]);
    const files = await readdir(dir, { recursive: true });
    expect(files.filter((file) => file.includes('.tmp'))).toEqual([]);
  });

  it('files a line under whatever value its partition key has, as Firehose does; no key goes to errors', async () => {
    // Firehose makes a partition of any value the jq query yields: nothing checks that it is a date.
    const keyed = ['0000-12-31', '+010000-01', 'June 1st'].map((date) =>
      JSON.stringify({ uuid: date, _collector: { type: 'signinattempts', event_date: date } }),
    );
    const unkeyed = [null, { y: 2026 }, undefined].map((date) =>
      JSON.stringify({ uuid: 'X', _collector: { type: 'signinattempts', event_date: date } }),
    );
    const tooLong = JSON.stringify({
      uuid: 'L',
      _collector: { type: 'signinattempts', event_date: 'd'.repeat(500) },
    });
    await client.send(
      new PutRecordCommand({
        DeliveryStreamName: STREAM,
        Record: data(`${[...keyed, ...unkeyed, tooLong].join('\n')}\n`),
      }),
    );
    const folders = firehose.writtenObjects.map((key) => key.slice(0, key.lastIndexOf('/') + 1)).sort();
    expect(folders).toEqual([
      'errors/signinattempts/partitioning-failed/2024/06/01/',
      'events/signinattempts/dt=+010000-01/',
      'events/signinattempts/dt=0000-12-31/',
      'events/signinattempts/dt=June 1st/',
    ]);
    const errorsKey = firehose.writtenObjects.find((key) => key.startsWith('errors/'))!;
    const errors = (await gunzipLines(errorsKey)).map((text) => JSON.parse(text));
    expect(errors.map((e) => Buffer.from(e.rawData, 'base64').toString())).toEqual([...unkeyed, tooLong]);
    expect(errors.at(-1).errorMessage).toMatch(/longer than 512 characters/);
  });

  it('sends a record of 501 JSON objects whole to the error prefix and de-aggregates one of 500', async () => {
    const lines = (count: number, from: number) =>
      Array.from({ length: count }, (_, i) => line(`E${from + i}`, 'itemusages', '2024-05-31'));
    const full = Buffer.from(`${lines(500, 0).join('\n')}\n`);
    const overFull = Buffer.from(`${lines(501, 500).join('\n')}\n`);
    const out = await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: STREAM,
        Records: [{ Data: full }, { Data: overFull }],
      }),
    );
    // The API accepts both: the cap applies after ingestion, in the delivery stream.
    expect(out.FailedPutCount).toBe(0);
    expect(firehose.stats).toMatchObject({ records: 2, recordsToErrors: 1 });
    const keys = [...firehose.writtenObjects].sort();
    expect(keys).toEqual([
      expect.stringMatching(/^errors\/itemusages\/partitioning-failed\/2024\/06\/01\/events-stream-/),
      expect.stringMatching(/^events\/itemusages\/dt=2024-05-31\/events-stream-/),
    ]);
    expect(await gunzipLines(keys[1]!)).toEqual(lines(500, 0));
    const errors = await gunzipLines(keys[0]!);
    expect(errors).toHaveLength(1);
    const error = JSON.parse(errors[0]!);
    expect(Buffer.from(error.rawData, 'base64').equals(overFull)).toBe(true);
    expect(error.errorMessage).toContain('501 JSON objects');
    expect(firehose.lines(STREAM)).toEqual(lines(500, 0));
    expect(firehose.errorRecords(STREAM)).toEqual([overFull]);
  });

  it('writes nothing for refused records', async () => {
    firehose.enqueueFault({ kind: 'fail-records', indexes: [0] });
    await client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: STREAM,
        Records: [data(`${line('A', 'auditevents', '2024-05-31')}\n`)],
      }),
    );
    expect(firehose.writtenObjects).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});
