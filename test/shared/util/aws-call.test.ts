import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConditionalCheckFailedException, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordBatchCommand, ServiceUnavailableException } from '@aws-sdk/client-firehose';
import { ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SINK_CLIENT_CONFIG } from '../../../shared/collector/delivery/firehose-sink';
import { classifyAwsError, untilDeadline } from '../../../shared/util/aws-call';

describe('classifyAwsError', () => {
  it('reads the SDK error classes as their models mark them', () => {
    // Firehose's answer to a call over the stream's quota: a server fault, so retried.
    expect(classifyAwsError(new ServiceUnavailableException({ message: 'Slow down.', $metadata: {} }))).toBe(
      'transient',
    );
    expect(
      classifyAwsError(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} })),
    ).toBe('permanent');
    expect(classifyAwsError(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))).toBe(
      'permanent',
    );
  });

  it('uses $retryable, then the fault and the HTTP status, for errors the model does not name', () => {
    const error = (facts: object) =>
      Object.assign(new DynamoDBServiceException({ name: 'X', $fault: 'client', $metadata: {} }), facts);
    expect(classifyAwsError(error({ $retryable: { throttling: true } }))).toBe('throttling');
    expect(classifyAwsError(error({ $retryable: {} }))).toBe('transient');
    expect(classifyAwsError(error({ $metadata: { httpStatusCode: 429 } }))).toBe('throttling');
    expect(classifyAwsError(error({ $metadata: { httpStatusCode: 503 } }))).toBe('transient');
    expect(classifyAwsError(error({ $fault: 'server', $metadata: { httpStatusCode: 400 } }))).toBe(
      'transient',
    );
    expect(classifyAwsError(error({ $metadata: { httpStatusCode: 403 } }))).toBe('permanent');
  });

  it('treats a call the service never answered as worth retrying', () => {
    expect(classifyAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      'transient',
    );
    expect(classifyAwsError('a string')).toBe('transient');
  });
});

describe('untilDeadline', () => {
  it('gives no signal without a deadline, an aborted one after it, and a running one before it', () => {
    expect(untilDeadline(undefined)).toBeUndefined();
    expect(untilDeadline(1_000, () => 2_000)?.abortSignal.aborted).toBe(true);
    expect(untilDeadline(5_000, () => 2_000)?.abortSignal.aborted).toBe(false);
    // Clocks with fractions of a millisecond (performance.now) are fine too.
    expect(untilDeadline(5_000.5, () => 2_000.25)?.abortSignal.aborted).toBe(false);
  });

  describe('with a real SDK client against a loopback server that never answers', () => {
    let server: Server;
    let endpoint: string;
    beforeAll(async () => {
      server = createServer(() => undefined);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('aborts the call at the deadline', async () => {
      const client = new FirehoseClient({
        ...SINK_CLIENT_CONFIG,
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      });
      const started = Date.now();
      const call = client.send(
        new PutRecordBatchCommand({ DeliveryStreamName: 's', Records: [{ Data: Buffer.from('{}\n') }] }),
        untilDeadline(started + 300),
      );
      await expect(call).rejects.toMatchObject({ name: 'AbortError' });
      const tookMs = Date.now() - started;
      expect(tookMs).toBeGreaterThanOrEqual(250);
      expect(tookMs).toBeLessThan(5_000);
      client.destroy();
    });
  });
});
