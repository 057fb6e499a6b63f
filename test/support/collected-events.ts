import { S3LayoutWriter } from '../../local/firehose/s3-layout-writer';
import { pageToLines } from '../../shared/collector/delivery/page-lines';
import { parsePageBody } from '../../shared/collector/events-api/page-body';
import type { EventType } from '../../shared/contracts/event-types';

/**
 * Events as the pipeline leaves them: one API page through the collector's hot path (each line
 * filed under its event's own UTC date, or the receive date without a timestamp) and through the
 * local Firehose writer (gzip NDJSON under events/<type>/dt=YYYY-MM-DD/). Returns the object keys.
 */
export async function collectIntoFolder(
  root: string,
  type: EventType,
  events: readonly Record<string, unknown>[],
  receivedAtMs: number,
  runId = 'run-1',
): Promise<string[]> {
  const page = parsePageBody(JSON.stringify({ cursor: 'c', has_more: false, items: events }));
  const { lines } = pageToLines(page, { type, receivedAtMs, runId });
  const record = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
  return new S3LayoutWriter(root, () => receivedAtMs).write(`${type}-stream`, [record]);
}
