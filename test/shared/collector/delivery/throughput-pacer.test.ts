import { FirehoseClient } from '@aws-sdk/client-firehose';
import { afterEach, describe, expect, it } from 'vitest';
import { FirehoseStandIn } from '../../../../local/firehose-standin';
import { FirehoseSink } from '../../../../shared/collector/delivery/firehose-sink';
import { QUOTA_HEADROOM, ThroughputPacer } from '../../../../shared/collector/delivery/throughput-pacer';
import { createRuntime } from '../../../../shared/collector/run/collector-runtime';
import type { DirectPutQuota } from '../../../../shared/contracts/aws-limits';
import { standInClientConfig } from '../../../local/sdk-config';

const QUOTA: DirectPutQuota = { bytesPerSecond: 1_000, recordsPerSecond: 100, requestsPerSecond: 10 };

function pacerAt(start = 0, quota = QUOTA) {
  const clock = { now: start };
  return { clock, pacer: new ThroughputPacer(quota, () => clock.now) };
}

describe('ThroughputPacer', () => {
  it('lets a second’s worth go at once, then spaces calls at 90% of the quota', () => {
    const { clock, pacer } = pacerAt();
    expect(QUOTA_HEADROOM).toBe(0.9);
    expect(pacer.maxCallBytes).toBe(900);
    expect(pacer.reserve({ bytes: 450, records: 1 })).toBe(0);
    expect(pacer.reserve({ bytes: 450, records: 1 })).toBe(0);
    // 450 more bytes at 900 bytes/s: half a second after now.
    expect(pacer.reserve({ bytes: 450, records: 1 })).toBe(500);
    // The next one queues behind it: booked in virtual time, whatever the caller did meanwhile.
    expect(pacer.reserve({ bytes: 450, records: 1 })).toBe(1_000);
    clock.now += 1_000;
    expect(pacer.reserve({ bytes: 450, records: 1 })).toBe(500);
  });

  it('paces records and requests per second as well as bytes', () => {
    const { pacer } = pacerAt();
    for (let i = 0; i < 9; i++) expect(pacer.reserve({ bytes: 1, records: 1 })).toBe(0);
    expect(pacer.reserve({ bytes: 1, records: 1 })).toBeCloseTo(1000 / 9, 6);
    const records = pacerAt().pacer;
    expect(records.reserve({ bytes: 1, records: 90 })).toBe(0);
    expect(records.reserve({ bytes: 1, records: 45 })).toBe(500);
  });

  it('lets a call larger than one second go when the bucket is full, and the next one pays for it', () => {
    const { clock, pacer } = pacerAt();
    expect(pacer.reserve({ bytes: 100, records: 1 })).toBe(0);
    // 1,800 bytes: waits for a full bucket (100 bytes short: 111 ms), then leaves 900 bytes of debt.
    expect(pacer.reserve({ bytes: 1_800, records: 1 })).toBeCloseTo(1000 / 9, 6);
    clock.now += 1000 / 9;
    expect(pacer.reserve({ bytes: 900, records: 1 })).toBeCloseTo(2_000, 6);
  });

  it('books nothing for a call that could not go before the deadline', () => {
    const { pacer } = pacerAt();
    pacer.reserve({ bytes: 900, records: 1 });
    expect(pacer.reserve({ bytes: 900, records: 1 }, 999)).toBeUndefined();
    expect(pacer.reserve({ bytes: 900, records: 1 }, 1_000)).toBe(1_000);
  });

  it('starts from empty buckets after the stream throttled a call', () => {
    const { pacer } = pacerAt();
    pacer.throttled();
    expect(pacer.reserve({ bytes: 180, records: 1 })).toBe(200);
  });
});

describe('FirehoseSink under a stream’s quota', () => {
  // One fake clock for the stand-in and the sink; a sleep moves it on. 100,000 bytes/s.
  const STREAM_QUOTA: DirectPutQuota = {
    bytesPerSecond: 100_000,
    recordsPerSecond: 1_000,
    requestsPerSecond: 20,
  };
  let standIn: FirehoseStandIn | undefined;
  let client: FirehoseClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await standIn?.stop();
  });

  /** Delivers 600,000 bytes (six seconds of the stream's quota) with a pacer that believes `pacedQuota`. */
  async function deliver(pacedQuota: DirectPutQuota) {
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    standIn = await FirehoseStandIn.start({
      streams: ['s'],
      throughputQuota: STREAM_QUOTA,
      clock: () => clock.now,
    });
    client = new FirehoseClient(standInClientConfig(standIn, standIn.url));
    const sink = new FirehoseSink({
      client,
      streamName: 's',
      now: () => clock.now,
      sleep: async (ms) => {
        clock.now += ms;
      },
      retry: { maxAttempts: 50, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 1 },
      pacer: new ThroughputPacer(pacedQuota, () => clock.now),
    });
    const lines = Array.from(
      { length: 6000 },
      (_, i) => `{"i":${String(i).padStart(4, '0')},"p":"${'x'.repeat(88)}"}`,
    );
    const startedAt = clock.now;
    const report = await sink.deliver(lines, clock.now + 600_000);
    return {
      lines,
      report,
      seconds: (clock.now - startedAt) / 1000,
      stats: standIn.stats,
      delivered: standIn.lines('s'),
    };
  }

  it('drains a backlog at the quota without a single throttled call', async () => {
    const { lines, report, seconds, stats, delivered } = await deliver(STREAM_QUOTA);
    expect(delivered).toEqual(lines);
    expect(stats.throttledCalls).toBe(0);
    expect(report.throttles).toBe(0);
    // At 90% of 100,000 bytes/s after the first second's 90,000: about 5.7 s of the fake clock.
    expect(seconds).toBeGreaterThan(5);
  });

  it('retries calls the stream throttles anyway (a quota set too high) until every line is in, none twice', async () => {
    const { lines, report, stats, delivered } = await deliver({ ...STREAM_QUOTA, bytesPerSecond: 300_000 });
    expect(stats.throttledCalls).toBeGreaterThan(0);
    expect(report.throttles).toBe(stats.throttledCalls);
    expect(delivered).toEqual(lines);
  });
});

describe('the collector’s quota', () => {
  const env = {
    EVENT_TYPE: 'itemusages',
    TOKEN_SECRET_ID: 'secret',
    CURSOR_TABLE: 'table',
    DELIVERY_STREAM: 'stream',
  };
  const mib = (extra: Record<string, string>) =>
    createRuntime({ ...env, ...extra }).firehoseQuota.bytesPerSecond / 2 ** 20;

  it('is the default quota of AWS_REGION unless FIREHOSE_QUOTA_MIB_PER_SECOND says otherwise', () => {
    expect(mib({ AWS_REGION: 'us-west-2' })).toBe(5);
    expect(mib({ AWS_REGION: 'eu-central-1' })).toBe(1);
    expect(mib({ AWS_REGION: 'eu-central-1', FIREHOSE_QUOTA_MIB_PER_SECOND: '3' })).toBe(3);
  });
});
