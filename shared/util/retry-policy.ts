/**
 * Backoff for retried calls: exponential with full jitter, capped, and never sleeping past the
 * caller's deadline. `Retry-After` from a 429 wins over the computed delay when present.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest `Retry-After` honoured; a longer one ends the run (the next schedule resumes). */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
};

/** Delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before attempt `attempt + 1`, or undefined when the caller should give up: its attempts
 * are used up, or the wait would reach the deadline.
 */
export function retryDelayWithin(
  policy: RetryPolicy,
  attempt: number,
  delayMs: number,
  nowMs: number,
  deadlineMs: number,
): number | undefined {
  return attempt >= policy.maxAttempts || nowMs + delayMs >= deadlineMs ? undefined : delayMs;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
