const WINDOW_MS = 60_000;

/** At most `perMinute` requests in any sliding minute; the API answers 429 beyond its limit. */
export class RateLimiter {
  private readonly admitted: number[] = [];

  constructor(
    private readonly perMinute: number,
    private readonly clock: () => number,
  ) {}

  /** 0 when the request is admitted (and counted); otherwise whole seconds until one would be. */
  admit(): number {
    const now = this.clock();
    while ((this.admitted[0] ?? now) <= now - WINDOW_MS) this.admitted.shift();
    if (this.admitted.length < this.perMinute) {
      this.admitted.push(now);
      return 0;
    }
    const oldest = this.admitted[0] ?? now;
    return Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
  }
}
