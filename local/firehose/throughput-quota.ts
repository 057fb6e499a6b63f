import type { DirectPutQuota } from '../../shared/contracts/aws-limits';

/**
 * A stream's Direct PUT quota as the stand-in enforces it: bytes, records and requests per second
 * (PutRecord and PutRecordBatch together; shared/contracts/aws-limits.ts cites the quota page). AWS does not
 * document the window it measures over; the stand-in takes a strict reading that still admits any
 * call the API accepts: a bucket per dimension holding one second of quota, refilled continuously. A
 * call larger than a second's worth (4 MiB under a 1 MiB/s quota) is admitted only into a full
 * bucket and leaves it in debt. A call is admitted whole or refused whole; a refused call uses nothing.
 */
export class ThroughputQuota {
  private readonly capacity: readonly number[];
  private readonly levels: number[];
  private at: number;

  constructor(
    readonly quota: DirectPutQuota,
    private readonly clock: () => number,
  ) {
    this.capacity = [quota.bytesPerSecond, quota.recordsPerSecond, quota.requestsPerSecond];
    this.levels = [...this.capacity];
    this.at = clock();
  }

  /** Takes one call of `bytes` in `records` from the quota; false (nothing taken) when it does not fit. */
  admit(bytes: number, records: number): boolean {
    const now = this.clock();
    const elapsedSeconds = Math.max(0, now - this.at) / 1000;
    this.at = Math.max(this.at, now);
    for (let i = 0; i < this.levels.length; i++) {
      const capacity = this.capacity[i] as number;
      this.levels[i] = Math.min(capacity, (this.levels[i] as number) + elapsedSeconds * capacity);
    }
    const cost = [bytes, records, 1];
    const fits = (amount: number, i: number) =>
      Math.min(amount, this.capacity[i] as number) <= (this.levels[i] as number);
    if (!cost.every(fits)) return false;
    for (let i = 0; i < this.levels.length; i++)
      this.levels[i] = (this.levels[i] as number) - (cost[i] as number);
    return true;
  }
}
