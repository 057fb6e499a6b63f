import type { DirectPutQuota } from '../../contracts/aws-limits';

/** Share of the stream's quota the collector plans to use: the rest absorbs timing differences. */
export const QUOTA_HEADROOM = 0.9;

/** What one PutRecordBatch call takes from the quota. */
export interface CallCost {
  readonly bytes: number;
  readonly records: number;
}

/**
 * Keeps a delivery stream's callers under its Direct PUT quota (bytes, records and requests per
 * second): before each call it waits until the call fits in a bucket per dimension that holds one
 * second at QUOTA_HEADROOM of the quota and refills continuously, the way the service measures.
 * A backlog then drains at the quota instead of in bursts that the service throttles.
 *
 * The state is virtual time, not the clock after a sleep: the pacer decides when a call may go and
 * accounts it at that instant, so a skipped or shortened sleep (tests) never makes it spin.
 */
export class ThroughputPacer {
  /** Per second at the paced rate: bytes, records, requests. */
  private readonly rates: readonly number[];
  private readonly levels: number[];
  /** The instant `levels` describe (may be ahead of the clock while a call waits its turn). */
  private at = Number.NEGATIVE_INFINITY;

  constructor(
    readonly quota: DirectPutQuota,
    private readonly now: () => number,
    headroom = QUOTA_HEADROOM,
  ) {
    this.rates = [quota.bytesPerSecond, quota.recordsPerSecond, quota.requestsPerSecond].map(
      (perSecond) => perSecond * headroom,
    );
    this.levels = [...this.rates];
  }

  /** The largest call (in bytes) that fits in one second at the paced rate. */
  get maxCallBytes(): number {
    return Math.floor(this.rates[0] as number);
  }

  /**
   * Milliseconds to wait before a call of `cost` may go, and books the call at that instant. A call
   * larger than one second of quota (a single big record under a small quota) goes when the bucket is
   * full and leaves it in debt. Returns undefined, booking nothing, when the call could not go before
   * `notAfterMs`.
   */
  reserve(cost: CallCost, notAfterMs: number = Number.POSITIVE_INFINITY): number | undefined {
    const now = this.now();
    const start = Math.max(now, this.at);
    this.refillTo(start);
    const amounts = [cost.bytes, cost.records, 1];
    let goAt = start;
    amounts.forEach((amount, i) => {
      const rate = this.rates[i] as number;
      const missing = Math.min(amount, rate) - (this.levels[i] as number);
      if (missing > 0) goAt = Math.max(goAt, start + (missing / rate) * 1000);
    });
    if (goAt > notAfterMs) return undefined;
    this.refillTo(goAt);
    amounts.forEach((amount, i) => {
      this.levels[i] = (this.levels[i] as number) - amount;
    });
    return goAt - now;
  }

  /** The stream throttled a call anyway: assume its buckets are empty now. */
  throttled(): void {
    this.refillTo(Math.max(this.now(), this.at));
    this.levels.fill(0);
  }

  private refillTo(instant: number): void {
    if (instant <= this.at) return;
    const seconds =
      this.at === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : (instant - this.at) / 1000;
    this.rates.forEach((rate, i) => {
      this.levels[i] = Math.min(rate, (this.levels[i] as number) + seconds * rate);
    });
    this.at = instant;
  }
}
