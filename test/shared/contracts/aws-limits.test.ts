import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkGlueName } from '../../../infra/props/validation';
import {
  BILLING_INCREMENT_BYTES,
  MAX_BATCH_BYTES as STAND_IN_MAX_BATCH_BYTES,
  MAX_RECORD_BYTES as STAND_IN_MAX_RECORD_BYTES,
  MAX_RECORDS_PER_BATCH as STAND_IN_MAX_RECORDS_PER_BATCH,
} from '../../../local/firehose/record-limits';
import { generatedSection, LIMITS_DOC, renderLimitsTable } from '../../../scripts/aws-limits-doc';
import { AWS_LIMITS } from '../../../scripts/aws-limits-table';
import { MAX_RECORD_BYTES } from '../../../shared/collector/delivery/event-lines';
import {
  MAX_BATCH_BYTES,
  MAX_LINES_PER_RECORD,
  MAX_RECORDS_PER_BATCH,
} from '../../../shared/collector/delivery/record-packer';
import {
  ATHENA,
  DYNAMODB,
  defaultFirehoseQuotaMiB,
  FIREHOSE,
  firehoseDirectPutQuota,
} from '../../../shared/contracts/aws-limits';
import { STACK_SETTINGS } from '../../../shared/contracts/settings';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('the AWS limits table', () => {
  it('is what docs/aws-limits.md shows (run "npm run docs:limits" after changing it)', () => {
    expect(generatedSection(readFileSync(LIMITS_DOC, 'utf8'))).toBe(renderLimitsTable());
  });

  it('names each limit once, with a documentation page, a stand-in, the code and a test', () => {
    const ids = AWS_LIMITS.map((limit) => limit.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const limit of AWS_LIMITS) {
      expect(limit.source.url, limit.id).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
      for (const field of [
        limit.value,
        limit.source.title,
        limit.source.says,
        limit.standIn,
        limit.code,
        limit.test,
      ]) {
        expect(field.trim(), limit.id).not.toBe('');
      }
    }
  });

  it('points only at files that exist', () => {
    const paths = AWS_LIMITS.flatMap((limit) =>
      [limit.standIn, limit.code, limit.test].flatMap((text) => text.match(/[\w./-]+\/[\w.-]+\.ts/g) ?? []),
    );
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((path) => !existsSync(`${ROOT}${path}`))).toEqual([]);
  });
});

describe('the code and the stand-ins use the table’s numbers', () => {
  it('Firehose record and batch limits', () => {
    expect({ MAX_RECORD_BYTES, MAX_RECORDS_PER_BATCH, MAX_BATCH_BYTES, MAX_LINES_PER_RECORD }).toEqual({
      MAX_RECORD_BYTES: FIREHOSE.maxRecordBytes,
      MAX_RECORDS_PER_BATCH: FIREHOSE.maxRecordsPerBatch,
      MAX_BATCH_BYTES: FIREHOSE.maxBatchBytes,
      MAX_LINES_PER_RECORD: FIREHOSE.maxObjectsPerRecord,
    });
    expect([STAND_IN_MAX_RECORD_BYTES, STAND_IN_MAX_RECORDS_PER_BATCH, STAND_IN_MAX_BATCH_BYTES]).toEqual([
      1_024_000,
      500,
      4 * 1024 * 1024,
    ]);
    expect([FIREHOSE.maxRecordBytes, FIREHOSE.maxRecordsPerBatch, FIREHOSE.maxBatchBytes]).toEqual([
      STAND_IN_MAX_RECORD_BYTES,
      STAND_IN_MAX_RECORDS_PER_BATCH,
      STAND_IN_MAX_BATCH_BYTES,
    ]);
    expect(FIREHOSE.maxObjectsPerRecord).toBe(500);
    expect(BILLING_INCREMENT_BYTES).toBe(FIREHOSE.billingIncrementBytes);
  });

  it('Firehose buffering bounds with dynamic partitioning', () => {
    const { firehoseBufferInterval: seconds, firehoseBufferSize: mib } = STACK_SETTINGS;
    expect([seconds.min, seconds.max, mib.min, mib.max]).toEqual([
      FIREHOSE.minBufferSeconds,
      FIREHOSE.maxBufferSeconds,
      FIREHOSE.minBufferMiB,
      FIREHOSE.maxBufferMiB,
    ]);
    expect([FIREHOSE.minBufferSeconds, FIREHOSE.maxBufferSeconds]).toEqual([60, 900]);
    expect([FIREHOSE.minBufferMiB, FIREHOSE.maxBufferMiB]).toEqual([64, 128]);
  });

  it('Athena/Glue names: lower case, no dots, at most 255 bytes', () => {
    expect(checkGlueName('k', 'onepassword_events')).toBe('onepassword_events');
    for (const bad of ['OnePassword', 'one.password', 'a'.repeat(ATHENA.maxNameBytes + 1), '']) {
      expect(() => checkGlueName('k', bad)).toThrow();
    }
    expect(checkGlueName('k', 'a'.repeat(ATHENA.maxNameBytes))).toHaveLength(255);
  });

  it('DynamoDB item size is 400 KB of 1,024 bytes', () => {
    expect(DYNAMODB.maxItemBytes).toBe(409_600);
  });
});

describe('the Direct PUT quota of a stream', () => {
  it('is 5 MiB/s, 500,000 records/s and 2,000 requests/s in N. Virginia, Oregon and Ireland', () => {
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      expect(defaultFirehoseQuotaMiB(region)).toBe(5);
      expect(firehoseDirectPutQuota(region)).toEqual({
        bytesPerSecond: 5 * 1024 * 1024,
        recordsPerSecond: 500_000,
        requestsPerSecond: 2_000,
      });
    }
  });

  it('is 1 MiB/s, 100,000 records/s and 1,000 requests/s elsewhere (and when the region is unknown)', () => {
    for (const region of ['eu-central-1', 'us-east-2', 'ap-southeast-2', undefined]) {
      expect(firehoseDirectPutQuota(region)).toEqual({
        bytesPerSecond: 1024 * 1024,
        recordsPerSecond: 100_000,
        requestsPerSecond: 1_000,
      });
    }
  });

  it('scales proportionally when raised, as the quota page’s example says', () => {
    expect(firehoseDirectPutQuota('us-east-1', 10)).toEqual({
      bytesPerSecond: 10 * 1024 * 1024,
      recordsPerSecond: 1_000_000,
      requestsPerSecond: 4_000,
    });
  });
});
