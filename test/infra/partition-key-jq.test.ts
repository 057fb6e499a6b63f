import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3LayoutWriter } from '../../local/firehose/s3-layout-writer';
import { MAX_RECORD_BYTES } from '../../shared/collector/delivery/event-lines';
import { pageToLines } from '../../shared/collector/delivery/page-lines';
import { parsePageBody } from '../../shared/collector/events-api/page-body';
import { runCollector } from '../../shared/collector/run/collector-runtime';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import {
  errorsPrefixFor,
  eventsPrefixFor,
  METADATA_KEY,
  PARTITION_COLUMN,
} from '../../shared/contracts/s3-layout';
import { embeddedJq, type JqEngine, systemJq16 } from '../support/jq';
import { makeEvents, PipelineHarness } from '../support/pipeline-harness';
import { synthApp } from './helpers';

/**
 * The Firehose partition key, proven with jq 1.6: the MetadataExtractionQuery of the synthesized
 * stack runs over the lines the collector wrote through the local stand-ins (late events, the chunk
 * lines of an oversized event, leap seconds, dates outside the projection and an unreadable one
 * included), and for every line its key is the folder the local
 * layout filed it under. jq-web (npm) always runs it; /usr/bin/jq runs it too where it is jq 1.6.
 */

interface Processor {
  Type: string;
  Parameters: { ParameterName: string; ParameterValue: string }[];
}

/** The stack's MetadataExtraction processor parameters per event type (bundling skipped: only the template matters). */
function extractionParameters(): Map<EventType, Record<string, string>> {
  const { template } = synthApp({ 'aws:cdk:bundling-stacks': [] });
  const byType = new Map<EventType, Record<string, string>>();
  for (const stream of Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'))) {
    const destination = stream.Properties.ExtendedS3DestinationConfiguration;
    const type = EVENT_TYPES.find((t) => destination.Prefix.startsWith(eventsPrefixFor(t)));
    const processor = (destination.ProcessingConfiguration.Processors as Processor[]).find(
      (p) => p.Type === 'MetadataExtraction',
    );
    if (!type || !processor) throw new Error(`no MetadataExtraction processor in ${destination.Prefix}`);
    byType.set(
      type,
      Object.fromEntries(processor.Parameters.map((p) => [p.ParameterName, p.ParameterValue])),
    );
  }
  return byType;
}

/** Every object the Firehose stand-in wrote under a prefix: its partition folder and its lines. */
function writtenObjects(root: string, prefix: string): { folder: string; lines: string[] }[] {
  const base = join(root, prefix);
  return readdirSync(base, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.gz'))
    .map((name) => ({
      folder: name.split('/')[0] ?? '',
      lines: gunzipSync(readFileSync(join(base, name)))
        .toString('utf8')
        .split('\n')
        .filter((line) => line.length > 0),
    }));
}

const TYPE: EventType = 'auditevents';
let outputDir: string;
let objects: { folder: string; lines: string[] }[];
let parameters: Record<string, string>;
const engines: JqEngine[] = [];

beforeAll(async () => {
  parameters = extractionParameters().get(TYPE) ?? {};
  outputDir = mkdtempSync(join(tmpdir(), 'op-events-jq-'));
  const h = await PipelineHarness.start({ firehoseOutputDir: outputDir });
  try {
    const onTime = makeEvents(TYPE, 60, 0, Date.parse('2026-01-01T23:59:30Z'));
    // Events with older timestamps arriving after newer ones, and one with an offset that moves its UTC date.
    const late = makeEvents(TYPE, 5, 1000, Date.parse('2025-12-01T00:00:00Z'));
    const offset = { ...makeEvents(TYPE, 1, 2000)[0], timestamp: '2025-11-20T22:30:00-03:00' };
    // Leap seconds stay on their own UTC day (23:59:60 UTC, and a mid-day local :60 that is 23:59:60 UTC).
    const leap = ['2025-12-31T23:59:60Z', '2025-11-30T11:59:60-12:00', '2025-12-01T12:30:60.5Z'].map(
      (timestamp, i) => ({ ...makeEvents(TYPE, 1, 4000 + i)[0], timestamp }),
    );
    // Dates no projection reaches, and no date: filed under the receive date.
    const undatable = ['0001-01-01T00:30:00+01:00', '9999-12-31T23:59:59-01:00', 'not a time'].map(
      (timestamp, i) => ({ ...makeEvents(TYPE, 1, 5000 + i)[0], timestamp }),
    );
    // The simulator, like the API, returns nothing older than the start time: the year-1 event goes
    // through the collector's hot path and the same Firehose writer directly.
    const [beforeRange, ...fromApi] = undatable;
    const receivedAtMs = Date.now();
    const page = parsePageBody(JSON.stringify({ cursor: 'c', has_more: false, items: [beforeRange] }));
    const { lines: direct } = pageToLines(page, { type: TYPE, receivedAtMs, runId: 'direct' });
    await new S3LayoutWriter(outputDir, () => receivedAtMs).write('direct', [
      Buffer.from(direct.map((line) => `${line}\n`).join('')),
    ]);
    // Too large for one Firehose record: the collector splits it into chunk lines.
    const oversized = { ...makeEvents(TYPE, 1, 3000)[0], aux_info: 'x'.repeat(MAX_RECORD_BYTES + 1000) };
    h.api.addEvents(TYPE, [
      ...onTime.slice(0, 30),
      ...late,
      offset,
      ...leap,
      ...fromApi,
      oversized,
      ...onTime.slice(30),
    ]);
    await runCollector(h.runtime(TYPE), { deadlineMs: Date.now() + 60_000 });
  } finally {
    await h.stop();
  }
  objects = writtenObjects(outputDir, eventsPrefixFor(TYPE));
  engines.push(embeddedJq());
  const system = systemJq16();
  if (typeof system === 'string') console.warn(`JQ cross-check skipped: ${system}; jq-web ran alone.`);
  else engines.push(system);
}, 120_000);

afterAll(() => {
  if (outputDir) rmSync(outputDir, { recursive: true, force: true });
});

describe('the Firehose partition key (MetadataExtractionQuery) on jq 1.6', () => {
  it('is a JQ-1.6 query that reads the collector metadata', () => {
    expect(parameters).toEqual({
      MetadataExtractionQuery: `{${PARTITION_COLUMN}: .${METADATA_KEY}.event_date}`,
      JsonParsingEngine: 'JQ-1.6',
    });
  });

  it('runs on jq 1.6 builds, the npm one always', () => {
    expect(engines[0]?.name).toBe('jq-web (npm)');
    for (const engine of engines) expect(engine.version).toMatch(/^jq-1\.6(rc1-16-g341a5fc-dirty)?$/);
  });

  it('the collector wrote late events and chunk lines, all under events/, none under errors/', () => {
    const folders = new Set(objects.map((o) => o.folder));
    const lines = objects.flatMap((o) => o.lines);
    const metadataOf = (uuidEnd: string) =>
      JSON.parse(lines.find((line) => line.includes(`${uuidEnd}","timestamp"`)) ?? '{}')[METADATA_KEY];
    const received = `dt=${metadataOf('5000').received_at.slice(0, 10)}`;
    // The offset event is filed under its UTC date; on-time events straddle midnight; leap seconds
    // stay on their day; dates outside the projection and unreadable ones go to the receive date.
    expect([...folders].sort()).toEqual(
      [
        'dt=2025-11-21',
        'dt=2025-11-30',
        'dt=2025-12-01',
        'dt=2025-12-31',
        'dt=2026-01-01',
        'dt=2026-01-02',
        received,
      ].sort(),
    );
    expect(['4000', '4001', '4002'].map((n) => metadataOf(n).event_date)).toEqual([
      '2025-12-31',
      '2025-11-30',
      '2025-12-01',
    ]);
    expect(['5000', '5001', '5002'].map((n) => metadataOf(n).date_fallback)).toEqual([
      'before_range',
      'after_range',
      'unreadable',
    ]);
    const chunks = lines.filter((line) => line.includes('"chunk":{'));
    expect(chunks.length).toBeGreaterThan(1);
    expect(lines.length).toBe(60 + 5 + 1 + 3 + 3 + chunks.length);
    expect(() => readdirSync(join(outputDir, errorsPrefixFor(TYPE)))).toThrow(/ENOENT/);
  });

  it('gives every line the key of the folder it was filed under, on every engine', () => {
    const query = parameters.MetadataExtractionQuery ?? '';
    for (const engine of engines) {
      for (const { folder, lines } of objects) {
        const keys = engine.run(query, `${lines.join('\n')}\n`).map((out) => JSON.parse(out) as unknown);
        expect(keys, `${engine.name} ${folder}`).toEqual(
          lines.map(() => ({ [PARTITION_COLUMN]: folder.slice(`${PARTITION_COLUMN}=`.length) })),
        );
      }
    }
  });
});
