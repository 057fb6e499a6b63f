import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES } from '../../shared/collector/delivery/event-lines';
import { packRecords } from '../../shared/collector/delivery/record-packer';
import { type CollectRunDeps, collectRun } from '../../shared/collector/run/collect-run';
import { runCollector } from '../../shared/collector/run/collector-runtime';
import { DYNAMODB, FIREHOSE } from '../../shared/contracts/aws-limits';
import { eventsPrefixFor, PARTITION_COLUMN } from '../../shared/contracts/s3-layout';
import { CursorTooLargeError } from '../../shared/util/errors';
import { standInClientConfig } from '../local/sdk-config';
import { eventTextOf, makeEvents, PipelineHarness, streamFor } from '../support/pipeline-harness';

// The collector against stand-ins as strict as the deployed services: a Firehose stream with dynamic
// partitioning and record de-aggregation writing the bucket's layout (what lands under events/ and
// errors/), and dynalite's 400 KB item limit on the cursor row.
let h: PipelineHarness;
let bucket: string;

beforeEach(async () => {
  bucket = await mkdtemp(join(tmpdir(), 'firehose-limits-'));
  h = await PipelineHarness.start({ firehoseOutputDir: bucket });
});
afterEach(async () => {
  await h.stop();
  await rm(bucket, { recursive: true, force: true });
});

async function objectLines(key: string): Promise<string[]> {
  const text = gunzipSync(await readFile(join(bucket, key))).toString('utf8');
  return text.split('\n').filter((line) => line.length > 0);
}

describe('Firehose limits end to end', () => {
  it('delivers a full 1,000-event page into the events layout with nothing under errors/', async () => {
    const events = makeEvents('itemusages', 1000);
    h.api.addEvents('itemusages', events);
    const summary = await runCollector(h.runtime('itemusages', { PAGE_SIZE: '1000' }), {
      deadlineMs: Date.now() + 30_000,
    });
    expect(summary).toMatchObject({ status: 'ok', events: 1000, pages: 1 });
    // Two records of 500 lines: de-aggregation takes at most 500 objects from a record.
    expect(summary.records).toBe(2);
    const keys = h.firehose.writtenObjects;
    expect(keys.filter((key) => key.startsWith('errors/'))).toEqual([]);
    expect(h.firehose.stats.recordsToErrors).toBe(0);
    const lines: string[] = [];
    for (const key of keys) {
      expect(key.startsWith(`${eventsPrefixFor('itemusages')}${PARTITION_COLUMN}=`)).toBe(true);
      lines.push(...(await objectLines(key)));
    }
    expect(lines.map(eventTextOf).sort()).toEqual(events.map((e) => JSON.stringify(e)).sort());
  });

  it('shows why: the same page packed as one record of 1,000 lines goes whole to errors/', async () => {
    const events = makeEvents('itemusages', 1000);
    const lines = events.map(
      (e) => `{"_collector":{"type":"itemusages","event_date":"2026-01-01"},${JSON.stringify(e).slice(1)}`,
    );
    const [record] = packRecords(lines, MAX_RECORD_BYTES, lines.length);
    const client = new FirehoseClient(standInClientConfig(h.firehose, h.firehose.url));
    try {
      const out = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: streamFor('itemusages'),
          Records: [{ Data: record }],
        }),
      );
      expect(out.FailedPutCount).toBe(0);
    } finally {
      client.destroy();
    }
    expect(lines.length).toBeGreaterThan(FIREHOSE.maxObjectsPerRecord);
    expect(h.firehose.writtenObjects).toEqual([
      expect.stringMatching(/^errors\/itemusages\/partitioning-failed\//),
    ]);
    expect(h.lines('itemusages')).toEqual([]);
  });

  it('fails a run whose cursor the row cannot hold before delivering its page, and never delivers it', async () => {
    h.api.addEvents('itemusages', makeEvents('itemusages', 30));
    const runtime = h.runtime('itemusages', { PAGE_SIZE: '10' });
    runtime.scopeChecked = true;
    // The API's second page (events 10..19) comes back with a cursor of 420,000 bytes, every time.
    const hugeCursor = 'c'.repeat(420_000);
    const deliveries: number[] = [];
    const deps: CollectRunDeps = {
      spec: runtime.spec,
      settings: runtime.config,
      store: runtime.store,
      telemetry: runtime.telemetry,
      now: Date.now,
      api: {
        stats: runtime.api.stats,
        fetchPage: async (...args) => {
          const page = await runtime.api.fetchPage(...args);
          return page.rawItems[0]?.includes('"seq":10,')
            ? { ...page, cursor: hugeCursor, rawItems: page.rawItems }
            : page;
        },
      },
      sink: {
        deliver: (lines, deadline) => {
          deliveries.push(lines.length);
          return runtime.sink.deliver(lines, deadline);
        },
      },
    };
    const run = () =>
      collectRun(deps, {
        runId: `run-${deliveries.length}`,
        deadlineMs: Date.now() + 30_000,
        reserveMs: 1_000,
      });

    await expect(run()).rejects.toThrow(CursorTooLargeError);
    await expect(run()).rejects.toThrow(/cursor of 420006 bytes for itemusages.*400 KB/);
    // Page 1 delivered and committed once; page 2 never reached Firehose, in either run.
    expect(deliveries).toEqual([10]);
    expect(h.lines('itemusages')).toHaveLength(10);
    const state = await h.store().read('itemusages');
    expect(state.totalEvents).toBe(10);
    expect(state.cursor).not.toBe(hugeCursor);
    expect(state.lastRun).toMatchObject({
      result: 'failed',
      error: expect.stringContaining('DynamoDB item'),
    });
    expect(hugeCursor.length).toBeGreaterThan(DYNAMODB.maxItemBytes);
  });
});
