import {
  FirehoseClient,
  FirehoseServiceException,
  PutRecordBatchCommand,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '../../../../shared/collector/delivery/event-lines';
import { FirehoseSink } from '../../../../shared/collector/delivery/firehose-sink';
import {
  groupIntoBatches,
  MAX_BATCH_BYTES,
  MAX_LINES_PER_RECORD,
  MAX_RECORDS_PER_BATCH,
  packRecords,
} from '../../../../shared/collector/delivery/record-packer';
import { FIREHOSE } from '../../../../shared/contracts/aws-limits';
import { DeliveryError } from '../../../../shared/util/errors';

const firehose = mockClient(FirehoseClient);
const noSleep = async () => undefined;

function sink(maxAttempts = 5) {
  return new FirehoseSink({
    client: new FirehoseClient({}),
    streamName: 'stream-a',
    sleep: noSleep,
    retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
  });
}

function sentData(callIndex: number): string[] {
  const input = firehose.commandCalls(PutRecordBatchCommand)[callIndex]!.args[0].input;
  return (input.Records ?? []).map((r) => Buffer.from(r.Data as Uint8Array).toString('utf8'));
}

beforeEach(() => firehose.reset());

describe('packRecords and groupIntoBatches', () => {
  it('packs newline-terminated lines into records under the record limit', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(900)}"}`);
    const records = packRecords(lines, MAX_RECORD_BYTES, 3000);
    expect(records.length).toBe(3);
    for (const record of records) expect(record.length).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    expect(records.map((r) => r.toString('utf8')).join('')).toBe(lines.map((l) => `${l}\n`).join(''));
  });

  it('puts at most 500 lines in a record, the objects Firehose de-aggregates from one record', () => {
    expect(MAX_LINES_PER_RECORD).toBe(FIREHOSE.maxObjectsPerRecord);
    const linesOf = (record: Buffer) => record.toString('utf8').split('\n').length - 1;
    const page = Array.from({ length: 1000 }, (_, i) => `{"i":${i}}`);
    expect(packRecords(page).map(linesOf)).toEqual([500, 500]);
    expect(packRecords(page.slice(0, 501)).map(linesOf)).toEqual([500, 1]);
    // The byte limit still applies within the line cap: 3,000 lines of ~912 bytes need 6 records.
    const large = Array.from({ length: 3000 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(900)}"}`);
    const records = packRecords(large);
    expect(records.map(linesOf)).toEqual([500, 500, 500, 500, 500, 500]);
    expect(records.map((r) => r.toString('utf8')).join('')).toBe(large.map((l) => `${l}\n`).join(''));
    const wide = Array.from({ length: 400 }, (_, i) => `{"i":${i},"pad":"${'w'.repeat(5_000)}"}`);
    for (const record of packRecords(wide)) expect(record.length).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    expect(packRecords([])).toEqual([]);
  });

  it('keeps batches within 500 records and 4 MiB', () => {
    expect(MAX_RECORDS_PER_BATCH).toBe(FIREHOSE.maxRecordsPerBatch);
    expect(MAX_BATCH_BYTES).toBe(FIREHOSE.maxBatchBytes);
    const small = Array.from({ length: 1201 }, () => Buffer.alloc(10));
    expect(groupIntoBatches(small).map((b) => b.length)).toEqual([500, 500, 201]);
    const large = Array.from({ length: 9 }, () => Buffer.alloc(1_000_000));
    const batches = groupIntoBatches(large);
    for (const batch of batches) {
      expect(batch.reduce((n, r) => n + r.length, 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    }
    expect(batches.flat()).toHaveLength(9);
  });

  it('refuses a line that cannot fit (the encoder splits those first)', () => {
    expect(() => packRecords(['x'.repeat(MAX_RECORD_BYTES)])).toThrow(RangeError);
  });
});

describe('FirehoseSink', () => {
  it('re-sends only the records a partial failure names', async () => {
    const lines = Array.from({ length: 3 }, (_, i) => `{"i":${i},"pad":"${'y'.repeat(600_000)}"}`);
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 1,
        RequestResponses: [
          { RecordId: 'a' },
          { ErrorCode: 'ServiceUnavailableException' },
          { RecordId: 'c' },
        ],
      })
      .resolvesOnce({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'b' }] });
    const report = await sink().deliver(lines, Date.now() + 60_000);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(2);
    expect(sentData(0)).toHaveLength(3);
    expect(sentData(1)).toEqual([`${lines[1]}\n`]);
    expect(report).toMatchObject({ records: 3, calls: 2, recordRetries: 1, duplicatesAvoided: 2 });
  });

  it('retries a failed call and then succeeds', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .rejectsOnce(new ServiceUnavailableException({ message: 'slow down', $metadata: {} }))
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'a' }] });
    const report = await sink().deliver(['{"a":1}'], Date.now() + 60_000);
    expect(report.calls).toBe(2);
    expect(sentData(1)).toEqual(['{"a":1}\n']);
  });

  it('fails with DeliveryError when records keep failing', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'InternalFailure' }] });
    await expect(sink(3).deliver(['{"a":1}'], Date.now() + 60_000)).rejects.toThrow(
      /did not accept every record after 3 attempts: 1 of 1 records failed \(InternalFailure\)/,
    );
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(3);
  });

  it('does not retry a stream that does not exist', async () => {
    const missing = new ResourceNotFoundException({
      message: 'Stream stream-a not found',
      $metadata: { httpStatusCode: 400 },
    });
    firehose.on(PutRecordBatchCommand).rejects(missing);
    await expect(sink().deliver(['{}'], Date.now() + 60_000)).rejects.toThrow(DeliveryError);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(1);
  });

  /** An error the Firehose model does not name, as the SDK makes it from the service's answer. */
  const unmodelled = (name: string, $fault: 'client' | 'server', httpStatusCode: number) =>
    new FirehoseServiceException({ name, message: name, $fault, $metadata: { httpStatusCode } });

  it.each([
    [
      'a client fault the model does not name (AccessDenied)',
      unmodelled('AccessDeniedException', 'client', 400),
      1,
    ],
    ['a server fault the model does not name', unmodelled('InternalFailure', 'server', 500), 3],
    ['a 5xx answer, whatever its fault', unmodelled('BadGateway', 'client', 502), 3],
    ['HTTP 429', unmodelled('TooManyRequests', 'client', 429), 3],
    [
      'a failure with no answer from the service (a reset connection)',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      3,
    ],
  ])('judges %s by what the SDK put on it', async (_what, error, calls) => {
    firehose.on(PutRecordBatchCommand).rejects(error);
    await expect(sink(3).deliver(['{}'], Date.now() + 60_000)).rejects.toThrow(DeliveryError);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(calls);
  });

  it('counts a throttling answer and re-sends after it', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .rejectsOnce(unmodelled('ThrottlingException', 'client', 429))
      .rejectsOnce(
        new ServiceUnavailableException({ message: 'Slow down.', $metadata: { httpStatusCode: 500 } }),
      )
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'a' }] });
    const report = await sink().deliver(['{"a":1}'], Date.now() + 60_000);
    expect(report).toMatchObject({ calls: 3, throttles: 2 });
  });

  it('binds every call to the delivery deadline with an abort signal', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'a' }] });
    await sink().deliver(['{"a":1}'], Date.now() + 60_000);
    await sink().deliver(['{"a":1}'], Date.now() - 1);
    // The mock records what send was given besides the command: the HTTP handler options.
    const [inTime, late] = firehose
      .commandCalls(PutRecordBatchCommand)
      .map((call) => (call.args as unknown[])[1] as { abortSignal?: AbortSignal } | undefined);
    expect(inTime?.abortSignal).toBeInstanceOf(AbortSignal);
    expect(inTime?.abortSignal?.aborted).toBe(false);
    expect(late?.abortSignal?.aborted).toBe(true);
  });

  it('stops retrying at the deadline', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'X' }] });
    await expect(sink(100).deliver(['{}'], Date.now() - 1)).rejects.toThrow(/after 1 attempts/);
  });

  it('treats a response with missing answers as a failure of the unanswered records', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({ FailedPutCount: 0, RequestResponses: [] })
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'a' }] });
    await sink().deliver(['{"a":1}'], Date.now() + 60_000);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(2);
  });
});

describe('FirehoseSink record buffers', () => {
  it('gives a page its own buffers while its call is in flight, even with another delivery under way', async () => {
    // Each call is serialised when sent; the mock keeps the Data it was given, so a buffer reused
    // before its call settled would show the other page's bytes here.
    let answer: (() => void) | undefined;
    const firstAnswered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    firehose
      .on(PutRecordBatchCommand)
      .callsFakeOnce(async () => {
        await firstAnswered;
        return { FailedPutCount: 0, RequestResponses: [{ RecordId: 'a' }] };
      })
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'b' }] });
    const target = sink();
    const page = (tag: string) =>
      Array.from({ length: 200 }, (_, i) => `{"${tag}":${i},"pad":"${'x'.repeat(900)}"}`);
    const first = target.deliver(page('a'), Date.now() + 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    await target.deliver(page('b'), Date.now() + 60_000);
    answer?.();
    await first;
    expect(sentData(0).join('')).toBe(
      page('a')
        .map((l) => `${l}\n`)
        .join(''),
    );
    expect(sentData(1).join('')).toBe(
      page('b')
        .map((l) => `${l}\n`)
        .join(''),
    );
  });
});
