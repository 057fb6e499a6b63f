import { MAX_RECORD_BYTES } from './event-lines';

/** PutRecordBatch limits: records per call and bytes per call. */
export const MAX_RECORDS_PER_BATCH = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Packs NDJSON lines into as few Firehose records as fit (each line newline-terminated, each record at
 * most MAX_RECORD_BYTES). Firehose bills every record rounded up to 5 KB, so packing many small
 * events per record costs a fraction of one event per record. Lines must each fit in a record
 * (event-lines splits the ones that do not).
 *
 * Each line is encoded once, straight into the buffer that becomes its record (no per-line copies, no
 * joined string, no copy of the record); its exact UTF-8 length is only computed when it might not
 * fit in the room left. A record may keep some unused capacity behind it (never more than the
 * page's worst case of three bytes per UTF-16 unit, at most one record's limit).
 */
export function packRecords(lines: readonly string[], maxRecordBytes = MAX_RECORD_BYTES): Buffer[] {
  const records: Buffer[] = [];
  let unwritten = worstCaseBytes(lines);
  let record = Buffer.allocUnsafe(Math.min(maxRecordBytes, unwritten));
  let used = 0;
  for (const line of lines) {
    // A UTF-16 unit is at most 3 UTF-8 bytes: below that bound the line fits without measuring it.
    if (line.length * 3 + 1 > record.length - used) {
      const bytes = Buffer.byteLength(line, 'utf8') + 1;
      if (bytes > maxRecordBytes) {
        throw new RangeError(
          `a line of ${bytes} bytes does not fit in a Firehose record (${maxRecordBytes})`,
        );
      }
      if (bytes > record.length - used) {
        records.push(record.subarray(0, used));
        record = Buffer.allocUnsafe(Math.min(maxRecordBytes, unwritten));
        used = 0;
      }
    }
    used += record.write(line, used, 'utf8');
    record[used++] = NEWLINE;
    unwritten -= line.length * 3 + 1;
  }
  if (used > 0) records.push(record.subarray(0, used));
  return records;
}

const NEWLINE = 10;

/** Bytes the lines take at most once encoded (3 per UTF-16 unit) with their newlines. */
function worstCaseBytes(lines: readonly string[]): number {
  let bytes = 0;
  for (const line of lines) bytes += line.length * 3 + 1;
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
