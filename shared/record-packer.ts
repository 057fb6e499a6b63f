import { MAX_RECORD_BYTES } from './event-lines';

/** PutRecordBatch limits: records per call and bytes per call. */
export const MAX_RECORDS_PER_BATCH = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Packs NDJSON lines into as few Firehose records as fit (each line newline-terminated, each record at
 * most MAX_RECORD_BYTES). Firehose bills every record rounded up to 5 KB, so packing many small
 * events per record costs a fraction of one event per record. Lines must each fit in a record
 * (event-lines splits the ones that do not).
 */
export function packRecords(lines: readonly string[], maxRecordBytes = MAX_RECORD_BYTES): Buffer[] {
  const records: Buffer[] = [];
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pending.length === 0) return;
    records.push(Buffer.from(pending.join(''), 'utf8'));
    pending = [];
    pendingBytes = 0;
  };
  for (const line of lines) {
    const withNewline = `${line}\n`;
    const bytes = Buffer.byteLength(withNewline, 'utf8');
    if (bytes > maxRecordBytes) {
      throw new RangeError(`a line of ${bytes} bytes does not fit in a Firehose record (${maxRecordBytes})`);
    }
    if (pendingBytes + bytes > maxRecordBytes) flush();
    pending.push(withNewline);
    pendingBytes += bytes;
  }
  flush();
  return records;
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
