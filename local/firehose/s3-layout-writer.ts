import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { FIREHOSE } from '../../shared/contracts/aws-limits';
import { isEventType } from '../../shared/contracts/event-types';
import {
  errorsPrefixFor,
  eventsPrefixFor,
  METADATA_KEY,
  PARTITION_COLUMN,
} from '../../shared/contracts/s3-layout';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../private-files';

const gzipAsync = promisify(gzip);

/**
 * Neither Prefix nor ErrorOutputPrefix may be longer than 512 characters once evaluated (Firehose
 * developer guide, "Custom prefixes for Amazon S3 objects", semantic rules:
 * https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html).
 */
const MAX_EVALUATED_PREFIX = 512;

/** Error output type of lines whose partition key cannot be read (Firehose dynamic partitioning). */
const PARTITIONING_FAILED = 'partitioning-failed';

interface Placement {
  readonly prefix: string;
  /** What the object holds for this line: the line itself, or the error document wrapping it. */
  readonly text: string;
}

/**
 * Whether dynamic partitioning sends this record whole to the error prefix: record de-aggregation is
 * capped at 500 JSON objects per record (shared/contracts/aws-limits.ts cites the page). Objects are counted
 * as the collector writes them, one per line.
 */
export function exceedsDeaggregationCap(record: Buffer): boolean {
  return deaggregate(record).length > FIREHOSE.maxObjectsPerRecord;
}

/**
 * Writes accepted records the way the deployed delivery stream writes S3: records de-aggregated
 * into lines, each line filed under the partition key the stack's jq query gives it
 * (`{dt: ._collector.event_date}`), gzip NDJSON, one object per call and partition. As in Firehose,
 * any value the query yields is a partition, whatever it looks like ("A new partition is created when
 * an S3 prefix is evaluated to a new value",
 * https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html, "Data buffering and dynamic
 * partitioning"); only a line that cannot be parsed, whose key cannot be extracted, or whose prefix cannot be
 * evaluated goes to the errors prefix, wrapped as Firehose wraps such records ("Dynamic Partitioning Error
 * Handling", same page); so does, whole, a record over the de-aggregation cap. The stand-in serves every type
 * on one stream: the type for the prefix comes from `_collector.type`, where the stack has one stream (and
 * prefix) per type.
 */
export class S3LayoutWriter {
  private sequence = 0;

  constructor(
    private readonly root: string,
    private readonly clock: () => number,
  ) {}

  /**
   * Writes the objects for one call; returns their keys (relative to the root). `overFull` records are
   * not de-aggregated: each goes whole to its type's error prefix.
   */
  async write(
    stream: string,
    records: readonly Buffer[],
    overFull: readonly Buffer[] = [],
  ): Promise<string[]> {
    const now = this.clock();
    const byPrefix = new Map<string, string[]>();
    const add = ({ prefix, text }: Placement) => {
      const lines = byPrefix.get(prefix) ?? [];
      lines.push(text);
      byPrefix.set(prefix, lines);
    };
    for (const record of records) {
      for (const line of deaggregate(record)) add(placeLine(line, now));
    }
    for (const record of overFull) add(placeOverFullRecord(record, now));
    const keys: string[] = [];
    for (const [prefix, lines] of byPrefix) {
      // Another writer (an earlier run in the same second) may have used this name: never overwrite.
      let key: string;
      do {
        const sequence = String(++this.sequence).padStart(6, '0');
        key = `${prefix}${stream}-${compactUtcStamp(now)}-${sequence}.gz`;
      } while (await exists(join(this.root, key)));
      await writeAtomically(join(this.root, key), await gzipAsync(lines.map((line) => `${line}\n`).join('')));
      keys.push(key);
    }
    return keys;
  }
}

/** A record holds one or more newline-terminated lines; blank pieces are not lines. */
export function deaggregate(record: Buffer): string[] {
  return record
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0);
}

/** The prefix dynamic partitioning files a line under (its event date's, or the error prefix). */
export function partitionPrefixOf(line: string): string {
  return placeLine(line, 0).prefix;
}

function placeLine(line: string, now: number): Placement {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return errorPlacement(line, 'unknown', 'Line is not valid JSON', now);
  }
  const metadata =
    typeof parsed === 'object' && parsed !== null
      ? ((parsed as Record<string, unknown>)[METADATA_KEY] as Record<string, unknown> | undefined)
      : undefined;
  const type = typeof metadata?.type === 'string' && isEventType(metadata.type) ? metadata.type : undefined;
  if (!type) return errorPlacement(line, 'unknown', `No valid ${METADATA_KEY}.type`, now);
  const key = partitionKeyValue(metadata?.event_date);
  if (key === undefined) {
    return errorPlacement(
      line,
      type,
      `No partition key: ${METADATA_KEY}.event_date is absent or not a scalar`,
      now,
    );
  }
  const prefix = `${eventsPrefixFor(type)}${PARTITION_COLUMN}=${key}/`;
  if (prefix.length > MAX_EVALUATED_PREFIX) {
    return errorPlacement(
      line,
      type,
      `The evaluated prefix is longer than ${MAX_EVALUATED_PREFIX} characters`,
      now,
    );
  }
  return { prefix, text: line };
}

/**
 * The key jq gives for the value: a string as it is, a number or boolean as jq prints it; nothing for
 * null (what jq gives for an absent key too), an object or an array, which name no partition.
 */
function partitionKeyValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  return undefined;
}

/** The stream's error prefix is per type: the type comes from the record's first line that names one. */
function placeOverFullRecord(record: Buffer, now: number): Placement {
  const lines = deaggregate(record);
  const type = lines.map(lineType).find((t) => t !== undefined) ?? 'unknown';
  const reason =
    `Record holds ${lines.length} JSON objects; de-aggregation is capped at ` +
    `${FIREHOSE.maxObjectsPerRecord} per record`;
  return errorPlacement(record, type, reason, now);
}

function lineType(line: string): string | undefined {
  try {
    const metadata = (JSON.parse(line) as Record<string, { type?: unknown } | undefined>)[METADATA_KEY];
    return typeof metadata?.type === 'string' && isEventType(metadata.type) ? metadata.type : undefined;
  } catch {
    return undefined;
  }
}

function errorPlacement(data: string | Buffer, type: string, reason: string, now: number): Placement {
  const base = isEventType(type) ? errorsPrefixFor(type) : `errors/${type}/`;
  const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '/');
  const text = JSON.stringify({
    attemptsMade: 1,
    arrivalTimestamp: now,
    errorCode: 'DynamicPartitioning.MetadataExtractionFailed',
    errorMessage: reason,
    rawData: (typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64'),
  });
  return { prefix: `${base}${PARTITIONING_FAILED}/${day}/`, text };
}

/** yyyyMMddHHmmss in UTC. */
function compactUtcStamp(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function writeAtomically(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, data, { mode: PRIVATE_FILE_MODE });
  await rename(temporary, path);
}
