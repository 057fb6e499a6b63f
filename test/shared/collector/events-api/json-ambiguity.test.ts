import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventDatabase } from '../../../../cli/event-database';
import { S3LayoutWriter } from '../../../../local/firehose/s3-layout-writer';
import { pageToLines } from '../../../../shared/collector/delivery/page-lines';
import { unambiguousText } from '../../../../shared/collector/events-api/json-ambiguity';
import { parsePageBody } from '../../../../shared/collector/events-api/page-body';
import { METADATA_KEY, PARTITION_COLUMN } from '../../../../shared/contracts/s3-layout';
import { embeddedJq, type JqEngine, systemJq16 } from '../../../support/jq';

const context = {
  type: 'signinattempts' as const,
  receivedAtMs: Date.parse('2026-03-01T12:00:00Z'),
  runId: 'RUN',
};
const pageOf = (...items: string[]) => `{"cursor":"c","has_more":false,"items":[${items.join(',')}]}`;
const linesOf = (...items: string[]) => pageToLines(parsePageBody(pageOf(...items)), context);

describe('unambiguousText', () => {
  it('keeps the last member of a key repeated at any depth, and names each by its JSON Pointer', () => {
    const text =
      '{"uuid":"A","client":{"ip_address":"1.1.1.1","os":"x","ip_address":"6.6.6.6"},"list":[{"k":1,"k":2}],"a/b~":1,"a/b~":2,"uuid":"B"}';
    expect(unambiguousText(text)).toEqual({
      text: '{"client":{"os":"x","ip_address":"6.6.6.6"},"list":[{"k":2}],"a/b~":2,"uuid":"B"}',
      repeatedKeys: ['/client/ip_address', '/list/0/k', '/uuid', '/a~1b~0'],
      loneSurrogates: 0,
    });
    // What the collector (JSON.parse) and jq read is what the rewritten text holds.
    expect(JSON.parse(unambiguousText(text)?.text ?? '')).toEqual(JSON.parse(text));
  });

  it('compares key names as parsed: an escaped spelling is the same key', () => {
    expect(unambiguousText('{"uuid":"A","\\u0075uid":"B"}')?.text).toBe('{"\\u0075uid":"B"}');
  });

  it('replaces each lone surrogate escape, high or low, in values and keys, and keeps pairs', () => {
    const text =
      '{"a":"x\\ud800y","b":"\\udc00","\\udbff":"\\ud83d\\ude00","c":"\\\\ud800","d":"\\ud800\\ud800\\udc00"}';
    expect(unambiguousText(text)).toEqual({
      text: '{"a":"x\\ufffdy","b":"\\ufffd","\\ufffd":"\\ud83d\\ude00","c":"\\\\ud800","d":"\\ufffd\\ud800\\udc00"}',
      repeatedKeys: [],
      loneSurrogates: 4,
    });
  });

  it('leaves text that every reader reads alike alone', () => {
    expect(unambiguousText('{"a":[1,{"b":"\\u00e9\\ud83d\\ude00"}],"c":null}')).toBeUndefined();
  });
});

describe('the collector on an event with a key twice inside a nested object', () => {
  const event =
    '{"uuid":"U1","timestamp":"2026-02-03T04:05:06Z","client":{"ip_address":"10.0.0.1","ip_address":"203.0.113.9"},"category":"success","timestamp":"2026-02-10T00:00:00Z"}';
  const ordinary = '{"uuid":"U2","timestamp":"2026-02-04T00:00:00Z","category":"firewall_failed"}';

  it('writes the page: the line holds one reading, is marked, and keeps the text as sent', () => {
    const page = linesOf(event, ordinary);
    expect(page.lines).toHaveLength(2);
    expect(page.ambiguousEvents).toEqual(['U1']);
    const line = JSON.parse(page.lines[0] as string);
    expect(line[METADATA_KEY]).toMatchObject({
      event_date: '2026-02-10',
      repeated_keys: ['/client/ip_address', '/timestamp'],
      as_sent: event,
    });
    expect(line.client).toEqual({ ip_address: '203.0.113.9' });
    expect(line.timestamp).toBe('2026-02-10T00:00:00Z');
    // The ordinary event is written as sent, unmarked.
    expect(page.lines[1]).toMatch(/"run_id":"RUN"\},"uuid":"U2"/);
  });
});

describe('every engine reads an ambiguous event the same way', () => {
  const duplicated =
    '{"uuid":"DUP","timestamp":"2026-02-01T00:00:00Z","category":"firewall_failed","client":{"ip_address":"10.0.0.1","ip_address":"203.0.113.9"},"timestamp":"2026-02-02T00:00:00Z"}';
  const lone =
    '{"uuid":"LONE","timestamp":"2026-02-02T01:00:00Z","category":"success","target_user":{"name":"a\\ud800b","email":"e@example.com"}}';
  let root: string;
  let lines: string[];
  const jqEngines: JqEngine[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'op-events-ambiguity-'));
    lines = linesOf(duplicated, lone).lines;
    await new S3LayoutWriter(root, () => context.receivedAtMs).write('stream', [
      Buffer.from(lines.map((line) => `${line}\n`).join('')),
    ]);
    jqEngines.push(embeddedJq());
    const system = systemJq16();
    if (typeof system !== 'string') jqEngines.push(system);
  }, 60_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('DuckDB (the typed table of op-events query) reads the same uuid, date and fields as JSON.parse', async () => {
    const db = await openEventDatabase(root);
    try {
      const reader = await db.connection.runAndReadAll(
        `SELECT uuid, timestamp, category, client.ip_address AS ip, target_user.name AS name, target_user.email AS email, ${PARTITION_COLUMN}
         FROM signinattempts ORDER BY uuid`,
      );
      expect(reader.getRowObjects()).toEqual([
        {
          uuid: 'DUP',
          timestamp: '2026-02-02T00:00:00Z',
          category: 'firewall_failed',
          ip: '203.0.113.9',
          name: null,
          email: null,
          dt: '2026-02-02',
        },
        // Not left out: the other fields read as sent, the lone surrogate as U+FFFD.
        {
          uuid: 'LONE',
          timestamp: '2026-02-02T01:00:00Z',
          category: 'success',
          ip: null,
          name: 'a\ufffdb',
          email: 'e@example.com',
          dt: '2026-02-02',
        },
      ]);
      const asSent = await db.connection.runAndReadAll(
        `SELECT json_extract_string(line, '$._collector.as_sent') AS sent FROM signinattempts_raw ORDER BY sent`,
      );
      expect(asSent.getRowObjects().map((row) => row.sent)).toEqual([duplicated, lone].sort());
    } finally {
      db.close();
    }
  });

  it('jq 1.6 (the Firehose partition key and its reader) reads the same values', () => {
    for (const engine of jqEngines) {
      const out = engine.run(
        '[.uuid, .timestamp, .client.ip_address, ._collector.event_date]',
        `${lines.join('\n')}\n`,
      );
      expect(
        out.map((o) => JSON.parse(o)),
        engine.name,
      ).toEqual([
        ['DUP', '2026-02-02T00:00:00Z', '203.0.113.9', '2026-02-02'],
        ['LONE', '2026-02-02T01:00:00Z', null, '2026-02-02'],
      ]);
    }
  });

  it('no line has a key twice or a lone surrogate escape left', () => {
    for (const line of lines) expect(unambiguousText(line)).toBeUndefined();
  });
});
