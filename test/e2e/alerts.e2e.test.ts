import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventBridgeStandIn } from '../../local/eventbridge-standin';
import { runCollector } from '../../shared/collector/run/collector-runtime';
import { Metric } from '../../shared/contracts/metric-names';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE, type AlertDetail } from '../../shared/detections/alert-event';
import { outboxKeyFor } from '../../shared/detections/alert-outbox';
import { vaultExport } from '../support/alert-events';
import { makeEvents, PipelineHarness } from '../support/pipeline-harness';

// The alert path end to end: the collector against the Events API simulator, the Firehose stand-in,
// dynalite (outbox and suppression rows, conditional writes) and the EventBridge stand-in, with
// faults injected into EventBridge and into the cursor commit.
let h: PipelineHarness;
let bus: EventBridgeStandIn;

beforeEach(async () => {
  h = await PipelineHarness.start();
  bus = await EventBridgeStandIn.start({ credentials: h.credentials, buses: ['alerts'] });
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.url;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await bus.stop();
  await h.stop();
});

const soon = () => Date.now() + 30_000;

function runtime(extra: Record<string, string> = {}) {
  return h.runtime('auditevents', { ALERT_EVENT_BUS: 'alerts', ...extra });
}

const sentAlerts = () => bus.events.map((e) => e.detail as AlertDetail);

async function stagedIds(): Promise<string[]> {
  const row = await h.dynamo.send(
    new GetItemCommand({ TableName: h.tableName, Key: { pk: { S: outboxKeyFor('auditevents') } } }),
  );
  return row.Item?.pending?.SS ?? [];
}

describe('one-event rules in the collector', () => {
  it('publishes a vault export within the run that delivered it, with the documented shape', async () => {
    h.api.addEvents('auditevents', [...makeEvents('auditevents', 60), vaultExport(1, 'ACTOR1')]);
    const summary = await runCollector(runtime(), { deadlineMs: soon() });
    expect(summary).toMatchObject({
      status: 'ok',
      events: 61,
      alerts: { raised: 1, published: 1, suppressed: 0, publishFailures: 0, pending: 0 },
    });
    expect(bus.events).toHaveLength(1);
    expect(bus.events[0]).toMatchObject({
      source: ALERT_SOURCE,
      detailType: ALERT_DETAIL_TYPE,
      eventBusName: 'alerts',
    });
    expect(sentAlerts()[0]).toMatchObject({
      rule_id: 'vault-export',
      event_uuids: ['EXPORT00000000000000000001'],
      event_types: ['auditevents'],
      first_seen: '2026-01-01T00:10:01Z',
      schema_version: 1,
      event_count: 1,
    });
    expect(await stagedIds()).toEqual([]);
    expect(h.telemetry.total(Metric.AlertsPublished)).toBe(1);
  });

  it('evaluates nothing and touches no alert row when ALERT_EVENT_BUS is unset', async () => {
    h.api.addEvents('auditevents', [vaultExport(1, 'ACTOR1')]);
    const summary = await runCollector(h.runtime('auditevents'), { deadlineMs: soon() });
    expect(summary.alerts).toBeUndefined();
    expect(bus.calls()).toBe(0);
    expect(await stagedIds()).toEqual([]);
  });

  it('keeps collecting while EventBridge fails, and sends the staged alert once it is back', async () => {
    bus.faults.setPlan(() => ({ kind: 'error', type: 'InternalException', status: 500 }));
    h.api.addEvents('auditevents', [...makeEvents('auditevents', 30), vaultExport(1, 'ACTOR1')]);
    const first = await runCollector(runtime(), { deadlineMs: soon() });
    // Ingestion is not blocked: every event delivered and committed.
    expect(first).toMatchObject({ status: 'ok', events: 31, alerts: { published: 0, pending: 1 } });
    expect(first.alerts?.publishFailures).toBeGreaterThanOrEqual(1);
    expect((await h.store().read('auditevents')).totalEvents).toBe(31);
    expect(h.telemetry.total(Metric.AlertPublishFailures)).toBeGreaterThanOrEqual(1);
    expect(await stagedIds()).toHaveLength(1);

    bus.faults.clear();
    const second = await runCollector(runtime(), { deadlineMs: soon() });
    expect(second).toMatchObject({ events: 0, alerts: { published: 1, pending: 0 } });
    expect(sentAlerts().map((a) => a.rule_id)).toEqual(['vault-export']);
    expect(await stagedIds()).toEqual([]);
  });

  it('misses no alert when the commit after staging fails, and sends it once when the page comes again', async () => {
    h.api.addEvents('auditevents', [...makeEvents('auditevents', 10), vaultExport(1, 'ACTOR1')]);
    const failing = runtime();
    vi.spyOn(failing.store, 'commitPage').mockRejectedValueOnce(new Error('DynamoDB went away'));
    await expect(runCollector(failing, { deadlineMs: soon() })).rejects.toThrow(/went away/);
    // Staged, not published: the page's cursor never moved.
    expect(bus.events).toEqual([]);
    expect(await stagedIds()).toHaveLength(1);

    vi.restoreAllMocks();
    const again = await runCollector(runtime(), { deadlineMs: soon() });
    expect(again).toMatchObject({
      status: 'ok',
      events: 11,
      alerts: { published: 1, suppressed: 1, pending: 0 },
    });
    expect(sentAlerts().map((a) => a.event_uuids)).toEqual([['EXPORT00000000000000000001']]);
    expect(await stagedIds()).toEqual([]);
  });

  it('suppresses repeats of one rule and group key inside the window, not other actors', async () => {
    h.api.addEvents('auditevents', [
      vaultExport(1, 'ACTOR1'),
      vaultExport(2, 'ACTOR1'),
      vaultExport(3, 'ACTOR2'),
    ]);
    const summary = await runCollector(runtime({ PAGE_SIZE: '1' }), { deadlineMs: soon() });
    expect(summary.alerts).toMatchObject({ raised: 3, published: 2, suppressed: 1, pending: 0 });
    expect(
      sentAlerts()
        .map((a) => a.group_key)
        .sort(),
    ).toEqual(['ACTOR1', 'ACTOR2']);

    // A zero-minute window sends every one.
    bus.events.length = 0;
    await h.table();
    const settings = JSON.stringify({ suppressionMinutes: 0 });
    const unsuppressed = await runCollector(runtime({ PAGE_SIZE: '1', DETECTION_SETTINGS: settings }), {
      deadlineMs: soon(),
    });
    expect(unsuppressed.alerts).toMatchObject({ published: 3, suppressed: 0 });
  });

  it('fails the run at once, naming the variable, for a bad bus or settings', () => {
    expect(() => runtime({ ALERT_EVENT_BUS: 'has spaces' })).toThrow(/ALERT_EVENT_BUS/);
    expect(() => runtime({ DETECTION_SETTINGS: '{not json' })).toThrow(/DETECTION_SETTINGS/);
  });
});
