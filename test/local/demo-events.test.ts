import { describe, expect, it } from 'vitest';
import { EventsApiSimulator, generateDemoEvents } from '../../local/events-api-simulator';
import { compareInstants, parseRfc3339 } from '../../local/simulator/rfc3339';
import { findSchemaMismatches } from '../../shared/collector/events-api/event-schemas';
import { EVENT_TYPES } from '../../shared/contracts/event-types';
import { fetchPage } from './simulator-client';

const RANGE = { start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z', seed: 42 };
const UUID = /^[A-Z2-7]{26}$/;

function fractionDigits(timestamp: string): number {
  return /\.(\d+)/.exec(timestamp)?.[1]?.length ?? 0;
}

describe('generateDemoEvents', () => {
  it('is deterministic for a seed and differs between seeds and types', () => {
    const a = generateDemoEvents('auditevents', 50, RANGE);
    expect(JSON.stringify(generateDemoEvents('auditevents', 50, RANGE))).toBe(JSON.stringify(a));
    expect(JSON.stringify(generateDemoEvents('auditevents', 50, { ...RANGE, seed: 43 }))).not.toBe(
      JSON.stringify(a),
    );
    expect(generateDemoEvents('itemusages', 1, RANGE)[0]?.uuid).not.toBe(a[0]?.uuid);
  });

  it.each(EVENT_TYPES)(
    '%s: drifted events have exactly one field of another type, only when asked',
    (type) => {
      const mismatched = (events: Record<string, unknown>[]) =>
        events.map((event) => findSchemaMismatches(type, event)).filter((fields) => fields.length > 0);
      expect(mismatched(generateDemoEvents(type, 300, RANGE))).toEqual([]);
      const drifted = mismatched(generateDemoEvents(type, 300, { ...RANGE, drifted: 3 }));
      expect(drifted).toHaveLength(3);
      for (const fields of drifted) expect(fields).toHaveLength(1);
      expect(new Set(drifted.map(([field]) => field)).size).toBe(3);
    },
  );

  it('continues one demo account across batches that share an accountSeed', () => {
    const first = generateDemoEvents('itemusages', 20, { ...RANGE, seed: 1, accountSeed: 99 });
    const next = generateDemoEvents('itemusages', 20, { ...RANGE, seed: 2, accountSeed: 99 });
    expect(new Set(next.map((event) => event.account_uuid))).toEqual(new Set([first[0]?.account_uuid]));
    const firstUuids = new Set(first.map((event) => event.uuid));
    expect(next.some((event) => firstUuids.has(event.uuid))).toBe(false);
  });

  it.each(EVENT_TYPES)(
    '%s: uuids, timestamps inside the range with 0-9 digits and offsets, late arrivals',
    (type) => {
      const events = generateDemoEvents(type, 400, RANGE);
      expect(events).toHaveLength(400);
      const start = parseRfc3339(RANGE.start)!;
      const end = parseRfc3339(RANGE.end)!;
      const instants = events.map((event) => {
        expect(event.uuid).toMatch(UUID);
        const instant = parseRfc3339(String(event.timestamp));
        expect(instant, String(event.timestamp)).toBeDefined();
        expect(compareInstants(instant!, start)).toBeGreaterThanOrEqual(0);
        expect(compareInstants(instant!, end)).toBeLessThan(0);
        return instant!;
      });
      const stamps = events.map((event) => String(event.timestamp));
      const digitCounts = new Set(stamps.map(fractionDigits));
      expect(digitCounts.has(0)).toBe(true);
      expect(digitCounts.size).toBeGreaterThanOrEqual(4);
      expect(stamps.some((stamp) => /[+-]\d{2}:\d{2}$/.test(stamp))).toBe(true);
      const outOfOrder = instants.filter(
        (instant, i) => i > 0 && compareInstants(instant, instants[i - 1]!) < 0,
      );
      expect(outOfOrder.length).toBeGreaterThan(0);
      expect(events.some((event) => event.location === undefined)).toBe(true);
      expect(events.some((event) => event.location !== undefined)).toBe(true);
    },
  );

  it('gives each type its own v2 shape, with nulls, absent fields and open enums', () => {
    const audit = generateDemoEvents('auditevents', 300, RANGE);
    expect(audit[0]).toMatchObject({
      actor_uuid: expect.stringMatching(UUID),
      action: expect.any(String),
      session: expect.any(Object),
    });
    expect(audit.some((event) => typeof event.aux_id === 'number')).toBe(true);

    const usages = generateDemoEvents('itemusages', 300, RANGE);
    expect(usages[0]).toMatchObject({
      used_version: expect.any(Number),
      user: expect.any(Object),
      client: expect.any(Object),
    });
    expect(usages.some((event) => event.action === undefined)).toBe(true);
    expect(usages.some((event) => /^[a-z2-7]{26}$/.test(String(event.vault_uuid)))).toBe(true);

    const signIns = generateDemoEvents('signinattempts', 300, RANGE);
    expect(signIns.some((event) => event.details === null)).toBe(true);
    expect(
      signIns.some((event) => typeof (event.details as { value?: unknown } | null)?.value === 'string'),
    ).toBe(true);
    expect(new Set(signIns.map((event) => event.category)).size).toBeGreaterThanOrEqual(4);
  });

  it('serves through the simulator: every event once, in insertion order', async () => {
    const token = 'demo-token';
    const sim = await EventsApiSimulator.start({ tokens: { [token]: { features: ['signinattempts'] } } });
    try {
      const events = generateDemoEvents('signinattempts', 1_234, RANGE);
      sim.addEvents('signinattempts', events);
      const uuids: unknown[] = [];
      let page = await fetchPage(sim, 'signinattempts', { limit: 1000, start_time: RANGE.start }, token);
      uuids.push(...page.items.map((event) => event.uuid));
      while (page.has_more) {
        page = await fetchPage(sim, 'signinattempts', { cursor: page.cursor }, token);
        uuids.push(...page.items.map((event) => event.uuid));
      }
      expect(uuids).toEqual(events.map((event) => event.uuid));
    } finally {
      await sim.stop();
    }
  });
});
