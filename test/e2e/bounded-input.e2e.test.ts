import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RESPONSE_BODY_BYTES } from '../../shared/collector/events-api/events-api-client';
import { topLevelKeys } from '../../shared/collector/events-api/page-body';
import { runCollector } from '../../shared/collector/run/collector-runtime';
import { Metric } from '../../shared/contracts/metric-names';
import { METADATA_KEY, RENAMED_METADATA_KEY } from '../../shared/contracts/s3-layout';
import { makeEvents, PipelineHarness } from '../support/pipeline-harness';

// Pages a hostile or broken server could send, through the whole pipeline.
let h: PipelineHarness;
beforeEach(async () => {
  h = await PipelineHarness.start();
});
afterEach(() => h.stop());

const soon = () => Date.now() + 30_000;

describe('an event carrying its own _collector key', () => {
  it('is filed under its own date with the collector metadata, its value kept under _event_collector', async () => {
    const forged = '{"type":"auditevents","event_date":"1999-01-01","run_id":"forged"}';
    const text = `{"uuid":"FORGED00000000000000000000","timestamp":"2026-01-01T00:00:09Z","_collector":${forged}}`;
    h.api.addEventTexts('auditevents', [JSON.stringify(makeEvents('auditevents', 1)[0]), text]);
    const summary = await runCollector(h.runtime('auditevents'), { deadlineMs: soon() });
    expect(summary.events).toBe(2);
    const line = h.lines('auditevents').find((l) => l.includes('FORGED'))!;
    // A reader that keeps the last of repeated keys (jq, which partitions in Firehose) sees ours.
    const parsed = JSON.parse(line);
    expect(parsed[METADATA_KEY]).toMatchObject({ event_date: '2026-01-01', run_id: summary.runId });
    expect(JSON.stringify(parsed[RENAMED_METADATA_KEY])).toBe(forged);
    expect(topLevelKeys(line)?.filter((key) => key.name === METADATA_KEY)).toHaveLength(1);
    expect(h.telemetry.logs.some((l) => l.message.includes('own top-level _collector key'))).toBe(true);
  });
});

describe('an event with a key twice in a nested object, or a lone surrogate escape', () => {
  it('is delivered and committed with one reading, marked and counted; collection goes on', async () => {
    const duplicated =
      '{"uuid":"DUPKEY0000000000000000000","timestamp":"2026-01-01T00:00:09Z","session":{"ip":"10.0.0.1","ip":"203.0.113.9"}}';
    const lone =
      '{"uuid":"LONE00000000000000000000","timestamp":"2026-01-01T00:00:10Z","aux_info":"\\udfff"}';
    h.api.addEventTexts('auditevents', [duplicated, lone]);
    const summary = await runCollector(h.runtime('auditevents'), { deadlineMs: soon() });
    expect(summary).toMatchObject({ status: 'ok', events: 2, ambiguousEvents: 2 });
    expect(h.telemetry.total(Metric.AmbiguousEvents)).toBe(2);
    expect((await h.store().read('auditevents')).cursor).toBeDefined();
    const parsed = h.lines('auditevents').map((line) => JSON.parse(line));
    expect(parsed.map((p) => [p.uuid, p.session?.ip, p.aux_info, p[METADATA_KEY].as_sent])).toEqual([
      ['DUPKEY0000000000000000000', '203.0.113.9', undefined, duplicated],
      ['LONE00000000000000000000', undefined, '\ufffd', lone],
    ]);
    // The next page is collected as usual.
    h.api.addEvents('auditevents', makeEvents('auditevents', 2, 10));
    expect((await runCollector(h.runtime('auditevents'), { deadlineMs: soon() })).events).toBe(2);
  });
});

describe('events whose date no dt projection reaches', () => {
  it('are filed under the receive date, marked, counted in the summary and a metric, and logged', async () => {
    const [ok, far, bad] = makeEvents('auditevents', 3);
    h.api.addEvents('auditevents', [
      ok!,
      { ...far!, timestamp: '9999-12-31T23:59:59-01:00' },
      { ...bad!, timestamp: '2026-02-30T00:00:00Z' },
    ]);
    const summary = await runCollector(h.runtime('auditevents'), { deadlineMs: soon() });
    expect(summary).toMatchObject({ status: 'ok', events: 3, eventsOnReceiveDate: 2 });
    // The far-future timestamp is not taken for the newest event (a cursor fallback restarts from it).
    expect(summary.newestEventTime).toBe(ok!.timestamp);
    expect(h.telemetry.total(Metric.EventsOnReceiveDate)).toBe(2);
    const metadata = h.lines('auditevents').map((line) => JSON.parse(line)[METADATA_KEY]);
    const receivedDate = metadata[0].received_at.slice(0, 10);
    expect(metadata.map((m) => [m.event_date, m.date_fallback])).toEqual([
      [ok!.timestamp.slice(0, 10), undefined],
      [receivedDate, 'after_range'],
      [receivedDate, 'unreadable'],
    ]);
    const warning = h.telemetry.logs.find((l) => l.message.includes('under the day they were received'));
    expect(warning?.fields).toMatchObject({ reasons: { after_range: 1, unreadable: 1 } });
  });
});

describe('a response body over the limit', () => {
  it('fails the run clearly, commits nothing, and is not retried', async () => {
    h.api.addEvents('auditevents', makeEvents('auditevents', 3));
    h.api.enqueueFault({
      kind: 'status',
      status: 500,
      path: '/api/v2/auditevents',
      body: 'x'.repeat(MAX_RESPONSE_BODY_BYTES + 1),
    });
    await expect(runCollector(h.runtime('auditevents'), { deadlineMs: soon() })).rejects.toThrow(
      /body larger than 33554432 bytes \(MAX_RESPONSE_BODY_BYTES\)/,
    );
    const row = await h.store().read('auditevents');
    expect(row.cursor).toBeUndefined();
    expect(row.lastRun).toMatchObject({
      result: 'failed',
      error: expect.stringMatching(/ResponseTooLargeError/),
    });
    expect(h.api.requests.filter((r) => r.path === '/api/v2/auditevents')).toHaveLength(1);
    expect(h.lines('auditevents')).toHaveLength(0);
    // The next run gets the page.
    expect((await runCollector(h.runtime('auditevents'), { deadlineMs: soon() })).events).toBe(3);
  });
});
