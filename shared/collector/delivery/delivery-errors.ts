import { DeliveryError } from '../../util/errors';

/**
 * The delivery room's errors, one named factory each: the logic says which it raises, and the text
 * (what is wrong, what to do) lives here. `stream` is the Firehose stream's name.
 */
export const deliveryErrors = {
  /** Firehose refused the call itself (permissions, a missing stream): retrying would not help. */
  refused(stream: string, problem: string, cause: unknown) {
    return new DeliveryError(
      `Firehose stream ${stream} refused the batch: ${problem}. Check DELIVERY_STREAM and the ` +
        "function's permissions.",
      cause,
    );
  },
  notAllAccepted(stream: string, attempts: number, problem: string) {
    return new DeliveryError(
      `Firehose stream ${stream} did not accept every record after ${attempts} attempts: ${problem}. ` +
        'The cursor was not advanced; the next run repeats the page.',
    );
  },
  /** The rest of the page would not go out before the deadline at the stream's quota. */
  overQuota(stream: string, mibPerSecond: number) {
    return new DeliveryError(
      `Firehose stream ${stream} cannot take the rest of this page before the run's deadline at its ` +
        `throughput quota of ${mibPerSecond} MiB/s (FIREHOSE_QUOTA_MIB_PER_SECOND). The cursor was not ` +
        "advanced; the next run repeats the page. If the stream's quota was raised, set " +
        'FIREHOSE_QUOTA_MIB_PER_SECOND to it.',
    );
  },
  /** A line over a record's size (event-lines.ts splits an oversized event into chunk lines first). */
  lineTooLarge(bytes: number, maxRecordBytes: number) {
    return new RangeError(`a line of ${bytes} bytes does not fit in a Firehose record (${maxRecordBytes})`);
  },
};
