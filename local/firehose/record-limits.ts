import { FIREHOSE } from '../../shared/contracts/aws-limits';
import { AwsServiceError } from '../aws-json-server';

/** PutRecordBatch: at most 500 records per call (shared/contracts/aws-limits.ts cites the page). */
export const MAX_RECORDS_PER_BATCH = FIREHOSE.maxRecordsPerBatch;
/** PutRecordBatch: at most 4 MiB of record data per call. */
export const MAX_BATCH_BYTES = FIREHOSE.maxBatchBytes;
/** A record's data at most 1,000 KiB before base64 (the service's constraint reads "<= 1024000"). */
export const MAX_RECORD_BYTES = FIREHOSE.maxRecordBytes;

/**
 * Ingestion is billed per record rounded up to the next 5 KB (5,120 bytes), per record and not per
 * call: Amazon Data Firehose pricing, https://aws.amazon.com/firehose/pricing/ ("the size of each
 * record rounded up to the nearest 5KB (5120 bytes)"); two 1 KB records in one batch bill 10 KB.
 */
export const BILLING_INCREMENT_BYTES = FIREHOSE.billingIncrementBytes;

export function billedBytes(recordBytes: number): number {
  return Math.max(1, Math.ceil(recordBytes / BILLING_INCREMENT_BYTES)) * BILLING_INCREMENT_BYTES;
}

/*
 * Error types, as the real service reports them (observed messages quoted in osquery#3568 and
 * cernan#210): a record over the limit, or a record count outside 1..500, fails the model's
 * constraints ("ValidationException: 1 validation error detected: Value ... at
 * 'records.97.member.data' failed to satisfy constraint: Member must have length less than or equal
 * to 1024000"); a call over 4 MiB is "InvalidArgumentException: Records size exceeds 4 MB limit".
 */

function validationError(problems: readonly string[]): AwsServiceError {
  const count = problems.length;
  return new AwsServiceError(
    'ValidationException',
    `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
  );
}

function decodeData(record: unknown): Buffer | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const data = (record as Record<string, unknown>).Data;
  return typeof data === 'string' ? Buffer.from(data, 'base64') : undefined;
}

/** Decodes `Records` of a PutRecordBatch input, enforcing the record count and per-record limits. */
export function decodeBatchRecords(input: Record<string, unknown>): Buffer[] {
  const records = input.Records;
  if (!Array.isArray(records)) {
    throw validationError(["Value null at 'records' failed to satisfy constraint: Member must not be null"]);
  }
  if (records.length < 1 || records.length > MAX_RECORDS_PER_BATCH) {
    const bound =
      records.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_RECORDS_PER_BATCH}`;
    throw validationError([
      `Value '[${records.length} records]' at 'records' failed to satisfy constraint: Member must have ` +
        `length ${bound}`,
    ]);
  }
  const decoded: Buffer[] = [];
  const problems: string[] = [];
  records.forEach((record, index) => {
    const data = decodeData(record);
    const member = `records.${index + 1}.member.data`;
    if (!data) {
      problems.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    } else if (data.length > MAX_RECORD_BYTES) {
      problems.push(
        `Value '[${data.length} bytes]' at '${member}' failed to satisfy constraint: Member must have ` +
          `length less than or equal to ${MAX_RECORD_BYTES}`,
      );
    } else {
      decoded.push(data);
    }
  });
  if (problems.length > 0) throw validationError(problems);
  return decoded;
}

/** The 4 MiB per-call limit, checked by the service after the model's constraints. */
export function assertBatchSize(records: readonly Buffer[]): void {
  const total = records.reduce((sum, data) => sum + data.length, 0);
  if (total > MAX_BATCH_BYTES) {
    throw new AwsServiceError(
      'InvalidArgumentException',
      `Records size exceeds 4 MB limit (${total} bytes sent, at most ${MAX_BATCH_BYTES})`,
    );
  }
}

/** Decodes `Record` of a PutRecord input, enforcing the per-record limit. */
export function decodeSingleRecord(input: Record<string, unknown>): Buffer {
  const data = decodeData(input.Record);
  if (!data) {
    throw validationError([
      "Value null at 'record.data' failed to satisfy constraint: Member must not be null",
    ]);
  }
  if (data.length > MAX_RECORD_BYTES) {
    throw validationError([
      `Value '[${data.length} bytes]' at 'record.data' failed to satisfy constraint: Member must have ` +
        `length less than or equal to ${MAX_RECORD_BYTES}`,
    ]);
  }
  return data;
}
