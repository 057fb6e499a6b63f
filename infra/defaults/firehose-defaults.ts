import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Delivery stream defaults. The buffering hints are settings (`firehoseBufferInterval`,
 * `firehoseBufferSize`): their bounds and defaults live in shared/contracts/settings.ts.
 */
export const FIREHOSE_DEFAULTS = {
  /** How long Firehose retries a failed S3 delivery before writing to the errors prefix. */
  retryDuration: Duration.seconds(300),
  logRetention: RetentionDays.THREE_MONTHS,
} as const;
