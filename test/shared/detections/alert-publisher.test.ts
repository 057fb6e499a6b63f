import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeStandIn } from '../../../local/eventbridge-standin';
import { EVENTBRIDGE } from '../../../shared/contracts/aws-limits';
import {
  type AlertDetail,
  alertDetail,
  alertEntry,
  entrySizeBytes,
  MAX_ALERT_DETAIL_BYTES,
  putEventsBatches,
} from '../../../shared/detections/alert-event';
import { EventBridgePublisher } from '../../../shared/detections/alert-publisher';
import type { Detection } from '../../../shared/detections/detection';
import { standInClientConfig } from '../../local/sdk-config';

function detection(n: number, overrides: Partial<Detection> = {}): Detection {
  return {
    rule_id: 'vault-export',
    severity: 'HIGH',
    title: 'A vault was exported',
    group_key: `user-${n}`,
    event_types: ['auditevents'],
    event_uuids: [`EVENT${String(n).padStart(20, '0')}`],
    first_seen: '2026-01-01T00:00:00Z',
    last_seen: '2026-01-01T00:00:00Z',
    user: { uuid: `user-${n}`, email: `u${n}@example.com` },
    ip: '192.0.2.1',
    key_fields: { action: 'export', object_type: 'vault' },
    query: "SELECT * FROM audit_events WHERE dt = '2026-01-01'",
    ...overrides,
  };
}

describe('EventBridgePublisher against the PutEvents stand-in', () => {
  let bus: EventBridgeStandIn;
  let client: EventBridgeClient;
  const noWait = async () => undefined;

  beforeEach(async () => {
    bus = await EventBridgeStandIn.start({ buses: ['alerts'] });
    client = new EventBridgeClient(standInClientConfig(bus, bus.url));
  });
  afterEach(async () => {
    client.destroy();
    await bus.stop();
  });

  const publisher = () => new EventBridgePublisher({ client, eventBusName: 'alerts', sleep: noWait });
  const soon = () => Date.now() + 10_000;

  it('sends 23 alerts in calls of at most 10 entries, each once', async () => {
    const alerts = Array.from({ length: 23 }, (_, i) => alertDetail(detection(i)));
    const result = await publisher().publish(alerts, soon());
    expect(result.failed).toEqual([]);
    expect(result.published).toHaveLength(23);
    expect(bus.calls()).toBe(3);
    expect(bus.events.map((e) => (e.detail as AlertDetail).alert_id).sort()).toEqual(
      alerts.map((a) => a.alert_id).sort(),
    );
  });

  it('cuts a detection with many events to 16 KiB, keeping the count', () => {
    const uuids = Array.from({ length: 2000 }, (_, i) => `UUID${String(i).padStart(22, '0')}`);
    const alert = alertDetail(detection(1, { event_uuids: uuids }));
    expect(alert).toMatchObject({ event_uuids_truncated: true, event_count: 2000 });
    expect(Buffer.byteLength(JSON.stringify(alert))).toBeLessThanOrEqual(MAX_ALERT_DETAIL_BYTES);
    expect(uuids.slice(0, alert.event_uuids.length)).toEqual(alert.event_uuids);
  });

  it('re-sends only the entries that failed (FailedEntryCount > 0)', async () => {
    bus.faults.enqueue({ kind: 'fail-entries', indexes: [1, 3], errorCode: 'ThrottlingException' });
    const alerts = Array.from({ length: 5 }, (_, i) => alertDetail(detection(i)));
    const result = await publisher().publish(alerts, soon());
    expect(result).toMatchObject({ failed: [] });
    expect(bus.calls()).toBe(2);
    expect(bus.events).toHaveLength(5);
  });

  it('reports alerts it could not send instead of throwing', async () => {
    bus.faults.setPlan(() => ({ kind: 'error', type: 'AccessDeniedException', status: 400 }));
    const alerts = [alertDetail(detection(1)), alertDetail(detection(2))];
    const result = await publisher().publish(alerts, soon());
    expect(result.published).toEqual([]);
    expect(result.failed.map((f) => f.alertId)).toEqual(alerts.map((a) => a.alert_id));
    expect(result.failed[0]?.error).toMatch(/AccessDenied/);
    expect(bus.events).toEqual([]);
  });
});

describe('putEventsBatches', () => {
  it('keeps every call within 10 entries and 256 KB, in order', () => {
    const entries = Array.from({ length: 30 }, (_, i) =>
      alertEntry(alertDetail(detection(i, { title: 'x'.repeat(60_000) })), 'alerts'),
    );
    const batches = putEventsBatches(entries);
    expect(batches.flat()).toEqual(entries);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(EVENTBRIDGE.maxEntriesPerPutEvents);
      expect(batch.reduce((sum, e) => sum + entrySizeBytes(e), 0)).toBeLessThanOrEqual(
        EVENTBRIDGE.maxPutEventsBytes,
      );
    }
    expect(batches[0]).toHaveLength(4);
    const small = putEventsBatches(
      Array.from({ length: 25 }, (_, i) => alertEntry(alertDetail(detection(i)), 'b')),
    );
    expect(small.map((b) => b.length)).toEqual([10, 10, 5]);
  });
});

describe('alert ids', () => {
  it('are the same for the same rule, group key and events in any order, and differ otherwise', () => {
    const a = alertDetail(detection(1, { event_uuids: ['A', 'B'] }));
    const b = alertDetail(detection(1, { event_uuids: ['B', 'A'], title: 'other wording' }));
    const c = alertDetail(detection(1, { event_uuids: ['A', 'C'] }));
    const d = alertDetail(detection(2, { event_uuids: ['A', 'B'] }));
    expect(a.alert_id).toBe(b.alert_id);
    expect(new Set([a.alert_id, c.alert_id, d.alert_id]).size).toBe(3);
  });
});
