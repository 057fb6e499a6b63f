/**
 * What every AWS SDK call of the collector shares: it ends by the run's deadline, and a failure is
 * judged by what the SDK puts on its errors, not by a list of error names.
 */

/** The options of `client.send(command, options)` that abort the call at `deadlineMs` (none without one). */
export function untilDeadline(
  deadlineMs: number | undefined,
  now: () => number = Date.now,
): { abortSignal: AbortSignal } | undefined {
  if (deadlineMs === undefined) return undefined;
  // A call made at or after the deadline is aborted at once rather than sent.
  const leftMs = deadlineMs - now();
  return { abortSignal: leftMs > 0 ? AbortSignal.timeout(Math.ceil(leftMs)) : AbortSignal.abort() };
}

/**
 * How to treat a failed AWS call:
 * - `throttling`: the service asks for fewer calls (`$retryable.throttling`, HTTP 429); retry later.
 * - `transient`: worth retrying (`$retryable`, a server fault, HTTP 5xx, or no answer from the
 *   service at all: a reset connection or a timeout).
 * - `permanent`: the service refused the request itself (a client fault: a missing resource, a
 *   denied permission, an invalid argument); the same call fails the same way again.
 *
 * The SDK v3 sets `$fault` ("client" or "server") on every error a service returns, from the
 * service model or, for errors the model does not name, from the HTTP status; `$retryable` on those
 * the model marks retryable; `$metadata.httpStatusCode` on every answered call.
 */
export type AwsFailureKind = 'throttling' | 'transient' | 'permanent';

interface SdkErrorFacts {
  readonly $fault?: unknown;
  readonly $retryable?: { readonly throttling?: boolean };
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export function classifyAwsError(error: unknown): AwsFailureKind {
  if (typeof error !== 'object' || error === null) return 'transient';
  const facts = error as SdkErrorFacts;
  const status = facts.$metadata?.httpStatusCode;
  if (facts.$retryable?.throttling === true || status === 429) return 'throttling';
  if (facts.$retryable !== undefined || facts.$fault === 'server') return 'transient';
  if (status !== undefined && status >= 500) return 'transient';
  if (facts.$fault === 'client') return 'permanent';
  return 'transient';
}
