import { Duration, Size } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { FIREHOSE } from '../shared/aws-limits';

/**
 * Delivery stream defaults. Dynamic partitioning requires a buffer of at least 64 MiB / 60 s.
 *
 * 300 s / 128 MiB (the maximum size): Firehose writes one object per partition per buffer flush,
 * so a longer interval means fewer, larger objects (cheaper S3 PUTs and faster Athena scans) at
 * the price of up to five minutes more delay before events are queryable. The collector itself
 * lags the API by about a minute, and most events are hours from being investigated. Lower it to
 * 60 s when freshness in Athena matters more than object count.
 */
export const FIREHOSE_DEFAULTS = {
  bufferInterval: Duration.seconds(300),
  bufferSize: Size.mebibytes(128),
  /** How long Firehose retries a failed S3 delivery before writing to the errors prefix. */
  retryDuration: Duration.seconds(300),
  logRetention: RetentionDays.THREE_MONTHS,
} as const;

/** Buffering limits of a delivery stream with dynamic partitioning (shared/aws-limits.ts cites them). */
export const FIREHOSE_LIMITS = {
  minBufferSeconds: FIREHOSE.minBufferSeconds,
  maxBufferSeconds: FIREHOSE.maxBufferSeconds,
  minBufferMiB: FIREHOSE.minBufferMiB,
  maxBufferMiB: FIREHOSE.maxBufferMiB,
} as const;
