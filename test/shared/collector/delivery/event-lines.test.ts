import { describe, expect, it } from 'vitest';
import {
  encodeEventLines,
  joinChunks,
  MAX_RECORD_BYTES,
} from '../../../../shared/collector/delivery/event-lines';
import { pageToLines } from '../../../../shared/collector/delivery/page-lines';
import { findSchemaMismatches } from '../../../../shared/collector/events-api/event-schemas';
import { parsePageBody } from '../../../../shared/collector/events-api/page-body';
import { sampleText } from '../../../support/samples';

const context = { type: 'itemusages' as const, receivedAt: '2026-11-22T10:00:00.000Z', runId: 'run-1' };

describe('encodeEventLines', () => {
  it('inserts the metadata as the first key and keeps the event text after it', () => {
    const [line] = encodeEventLines('{"uuid":"U1","n":1.50}', '2026-11-21', context, 'U1');
    expect(line).toBe(
      '{"_collector":{"type":"itemusages","event_date":"2026-11-21","received_at":"2026-11-22T10:00:00.000Z","run_id":"run-1"},"uuid":"U1","n":1.50}',
    );
  });

  it('handles an empty object and a non-object item', () => {
    expect(JSON.parse(encodeEventLines('{}', 'd', context, 'x')[0]!)).toEqual({
      _collector: { type: 'itemusages', event_date: 'd', received_at: context.receivedAt, run_id: 'run-1' },
    });
    expect(JSON.parse(encodeEventLines('"odd"', 'd', context, 'x')[0]!)._item).toBe('odd');
  });

  it('splits an event larger than a Firehose record into chunks that rebuild it exactly', () => {
    const big = `{"uuid":"BIG","blob":"${'é"\\'.repeat(300_000)}😀","tail":1}`;
    const lines = encodeEventLines(big, '2026-01-01', context, 'BIG');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(Buffer.byteLength(`${line}\n`)).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    const chunks = lines.map((l) => JSON.parse(l)._collector.chunk);
    expect(chunks.map((c) => c.index)).toEqual(lines.map((_, i) => i));
    expect(new Set(chunks.map((c) => `${c.uuid}/${c.count}`))).toEqual(new Set([`BIG/${lines.length}`]));
    expect(joinChunks([...lines].reverse())).toBe(big);
  });
});

describe('pageToLines', () => {
  it('reports newest time, lateness, mismatches and keeps sample events unchanged', () => {
    const page = parsePageBody(sampleText('demisto_v2_auditevents_response_1.json'));
    const receivedAtMs = Date.parse('2024-12-03T00:00:00Z');
    const result = pageToLines(page, {
      type: 'auditevents',
      receivedAtMs,
      runId: 'r',
    });
    expect(result.lines).toHaveLength(page.items.length);
    result.lines.forEach((line, i) => {
      const { _collector, ...event } = JSON.parse(line);
      expect(event).toEqual(page.items[i]);
      expect(_collector.type).toBe('auditevents');
    });
    expect(result.newestEventTime).toBeDefined();
    expect(result.maxEventAgeMs).toBeGreaterThan(0);
  });

  it('uses the event date in UTC, not the local date of an offset timestamp', () => {
    const page = parsePageBody(
      '{"cursor":"c","has_more":false,"items":[{"uuid":"A","timestamp":"2020-06-11T22:32:50-03:00"},{"uuid":"B"}]}',
    );
    const result = pageToLines(page, { ...context, receivedAtMs: Date.parse(context.receivedAt) });
    expect(JSON.parse(result.lines[0]!)._collector.event_date).toBe('2020-06-12');
    // No timestamp: the receive date, so the event is still found in a dated partition.
    expect(JSON.parse(result.lines[1]!)._collector.event_date).toBe('2026-11-22');
  });

  it('delivers an event that breaks the schema and names the field', () => {
    const page = parsePageBody(
      '{"cursor":"c","has_more":false,"items":[{"uuid":"A","used_version":"seven","client":{"ip_address":7}}]}',
    );
    const result = pageToLines(page, { ...context, receivedAtMs: 0 });
    expect(result.lines).toHaveLength(1);
    expect(result.schemaMismatches).toEqual([{ uuid: 'A', fields: ['used_version', 'client.ip_address'] }]);
  });
});

describe('event schemas', () => {
  it('accept the documented samples and unknown fields', () => {
    for (const [type, name] of [
      ['auditevents', 'docs_v2_auditevents_response_example.json'],
      ['itemusages', 'docs_v2_itemusages_response_example.json'],
      ['signinattempts', 'docs_v2_signinattempts_response_example.json'],
      ['signinattempts', 'elastic_pipeline_test_v1_signinattempt_failed.json'],
    ] as const) {
      const body = JSON.parse(sampleText(name));
      const events = Array.isArray(body.items) ? body.items : [body];
      for (const event of events) {
        expect(findSchemaMismatches(type, { ...event, brand_new_field: { x: 1 } })).toEqual([]);
      }
    }
  });

  it('report a non-object event', () => {
    expect(findSchemaMismatches('auditevents', 'x')).toEqual(['(event)']);
  });
});
