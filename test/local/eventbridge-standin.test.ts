import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeStandIn } from '../../local/eventbridge-standin';
import { EVENTBRIDGE } from '../../shared/contracts/aws-limits';
import { ALERT_DETAIL_TYPE, ALERT_SOURCE, entrySizeBytes } from '../../shared/detections/alert-event';
import { standInClientConfig } from './sdk-config';

const entry = (detail: object, bus = 'default') => ({
  Source: ALERT_SOURCE,
  DetailType: ALERT_DETAIL_TYPE,
  Detail: JSON.stringify(detail),
  EventBusName: bus,
});

describe('EventBridgeStandIn (PutEvents limits of the API reference and the entry-size page)', () => {
  let bus: EventBridgeStandIn;
  let client: EventBridgeClient;

  beforeEach(async () => {
    bus = await EventBridgeStandIn.start({ buses: ['alerts'] });
    client = new EventBridgeClient(standInClientConfig(bus, bus.url));
  });
  afterEach(async () => {
    client.destroy();
    await bus.stop();
  });

  it('listens on 127.0.0.1 only', () => {
    expect(new URL(bus.url).hostname).toBe('127.0.0.1');
  });

  it('accepts up to 10 entries and keeps each event as a rule would see it', async () => {
    const answer = await client.send(
      new PutEventsCommand({ Entries: Array.from({ length: 10 }, (_, i) => entry({ n: i }, 'alerts')) }),
    );
    expect(answer.FailedEntryCount).toBe(0);
    expect(answer.Entries?.every((e) => typeof e.EventId === 'string')).toBe(true);
    expect(bus.events.map((e) => e.detail)).toEqual(Array.from({ length: 10 }, (_, i) => ({ n: i })));
    expect(bus.events[0]).toMatchObject({
      source: ALERT_SOURCE,
      detailType: ALERT_DETAIL_TYPE,
      eventBusName: 'alerts',
    });
  });

  it('refuses a call of 11 entries as a whole', async () => {
    await expect(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, (_, i) => entry({ n: i })) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    expect(bus.events).toEqual([]);
  });

  it('refuses an entry over 256 KB with its call', async () => {
    const big = entry({ text: 'x'.repeat(EVENTBRIDGE.maxEntryBytes) });
    expect(entrySizeBytes(big)).toBeGreaterThan(EVENTBRIDGE.maxEntryBytes);
    await expect(client.send(new PutEventsCommand({ Entries: [big] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(bus.events).toEqual([]);
  });

  it('fails one entry in the 200 answer and accepts the others (FailedEntryCount)', async () => {
    const answer = await client.send(
      new PutEventsCommand({ Entries: [entry({ ok: 1 }), entry({ ok: 2 }, 'missing-bus')] }),
    );
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries?.[1]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
    expect(bus.events.map((e) => e.detail)).toEqual([{ ok: 1 }]);
  });

  it('refuses a call whose entries together pass 256 KB', async () => {
    const half = entry({ text: 'y'.repeat(EVENTBRIDGE.maxPutEventsBytes / 2) });
    await expect(client.send(new PutEventsCommand({ Entries: [half, half] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('injects per-entry failures on request', async () => {
    bus.faults.enqueue({ kind: 'fail-entries', indexes: [0, 2], errorCode: 'ThrottlingException' });
    const answer = await client.send(
      new PutEventsCommand({ Entries: [entry({ a: 0 }), entry({ a: 1 }), entry({ a: 2 })] }),
    );
    expect(answer.FailedEntryCount).toBe(2);
    expect(answer.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ThrottlingException',
      'ok',
      'ThrottlingException',
    ]);
    expect(bus.events.map((e) => e.detail)).toEqual([{ a: 1 }]);
  });

  it('answers only requests signed with its credentials', async () => {
    const stranger = new EventBridgeClient({
      ...standInClientConfig(bus, bus.url),
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-the-key' },
    });
    await expect(stranger.send(new PutEventsCommand({ Entries: [entry({})] }))).rejects.toBeTruthy();
    stranger.destroy();
    expect(bus.events).toEqual([]);
  });
});
