import { FIREHOSE } from '../../contracts/aws-limits';
import { deliveryErrors } from './delivery-errors';
import { MAX_RECORD_BYTES } from './event-lines';
import type { RecordBufferPool } from './record-buffer-pool';

/** PutRecordBatch limits: records per call and bytes per call. */
export const MAX_RECORDS_PER_BATCH = FIREHOSE.maxRecordsPerBatch;
export const MAX_BATCH_BYTES = FIREHOSE.maxBatchBytes;
/**
 * Lines per record: the delivery stream de-aggregates at most this many JSON objects from one record
 * and sends a record with more whole to the error prefix, out of Athena's sight.
 */
export const MAX_LINES_PER_RECORD = FIREHOSE.maxObjectsPerRecord;

/**
 * Packs NDJSON lines into as few Firehose records as fit (each line newline-terminated, each record at
 * most MAX_RECORD_BYTES and MAX_LINES_PER_RECORD lines). Firehose bills every record rounded up to
 * 5 KB, so packing many small events per record costs a fraction of one event per record. Lines must
 * each fit in a record (event-lines splits the ones that do not).
 *
 * Each line is encoded once, straight into the buffer that becomes its record (no per-line copies, no
 * joined string, no copy of the record); its exact UTF-8 length is only computed when it might not
 * fit in the room left. A record's buffer is sized for the worst case of the lines it can still take
 * (three bytes per UTF-16 unit), never more than one record's limit; with a pool, large buffers are
 * reused from earlier pages (give them back with `pool.release(records)` once they are sent).
 */
export function packRecords(
  lines: readonly string[],
  maxRecordBytes: number = MAX_RECORD_BYTES,
  maxLinesPerRecord: number = MAX_LINES_PER_RECORD,
  pool?: RecordBufferPool,
): Buffer[] {
  const records: Buffer[] = [];
  let record: Buffer = Buffer.allocUnsafe(0);
  let capacity = 0;
  let used = 0;
  let linesInRecord = 0;
  const startRecord = (from: number) => {
    if (used > 0) records.push(record.subarray(0, used));
    capacity = Math.min(maxRecordBytes, worstCaseBytes(lines, from, maxLinesPerRecord));
    record = pool ? pool.take(capacity) : Buffer.allocUnsafe(capacity);
    used = 0;
    linesInRecord = 0;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (i === 0 || linesInRecord === maxLinesPerRecord) startRecord(i);
    // A UTF-16 unit is at most 3 UTF-8 bytes: below that bound the line fits without measuring it.
    if (line.length * 3 + 1 > capacity - used) {
      const bytes = Buffer.byteLength(line, 'utf8') + 1;
      if (bytes > maxRecordBytes) throw deliveryErrors.lineTooLarge(bytes, maxRecordBytes);
      if (bytes > capacity - used) startRecord(i);
    }
    used += record.write(line, used, 'utf8');
    record[used++] = NEWLINE;
    linesInRecord++;
  }
  if (used > 0) records.push(record.subarray(0, used));
  return records;
}

const NEWLINE = 10;

/** Bytes that `count` lines from `from` take at most once encoded (3 per UTF-16 unit), newlines included. */
function worstCaseBytes(lines: readonly string[], from: number, count: number): number {
  let bytes = 0;
  const end = Math.min(lines.length, from + count);
  for (let i = from; i < end; i++) bytes += (lines[i] as string).length * 3 + 1;
  return bytes;
}

/** Splits records into PutRecordBatch calls within both the record-count and byte limits. */
export function groupIntoBatches(
  records: readonly Buffer[],
  limits = { maxRecords: MAX_RECORDS_PER_BATCH, maxBytes: MAX_BATCH_BYTES },
): Buffer[][] {
  const batches: Buffer[][] = [];
  let batch: Buffer[] = [];
  let batchBytes = 0;
  for (const record of records) {
    if (
      batch.length > 0 &&
      (batch.length === limits.maxRecords || batchBytes + record.length > limits.maxBytes)
    ) {
      batches.push(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push(record);
    batchBytes += record.length;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
