import { redactSecrets } from './redaction';

/**
 * Errors the collector raises on purpose. Each message says what is wrong and what to do, and never
 * contains the token: every message passes through `redactSecrets` when the error is made. The
 * messages are named factories in the room that raises them (shared/collector/<room>/<room>-errors.ts),
 * so its logic reads apart from its wording. They are object methods, not arrow properties: the
 * bundler's keepNames wraps each arrow in a naming call, which costs the Lambda bundle bytes.
 */
export class CollectorError extends Error {
  /** Stable machine-readable code, used in logs, run bookkeeping and CLI exit paths. */
  readonly code: string;
  /** True when a person must act (bad token, bad configuration); false for outages. */
  readonly needsOperator: boolean;

  constructor(code: string, message: string, options: { needsOperator?: boolean; cause?: unknown } = {}) {
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.needsOperator = options.needsOperator ?? false;
  }
}

/** An environment variable (or CLI option) is missing or malformed. */
export class ConfigError extends CollectorError {
  constructor(message: string) {
    super('config', message, { needsOperator: true });
  }
}

/** The events host is not one of 1Password's (sending the token there would leak it). */
export class HostNotAllowedError extends CollectorError {
  constructor(message: string) {
    super('host_not_allowed', message, { needsOperator: true });
  }
}

/** The token secret is missing, unreadable or empty. */
export class SecretError extends CollectorError {
  constructor(message: string, cause?: unknown) {
    super('secret', message, { needsOperator: true, cause });
  }
}

/** The API refused the token (401/403), or the token lacks the event type's feature. */
export class AuthError extends CollectorError {
  constructor(message: string) {
    super('auth', message, { needsOperator: true });
  }
}

/** The API rejected a continuing cursor (400): expired or unknown. Handled by a timestamp fallback. */
export class CursorRejectedError extends CollectorError {
  constructor(message: string) {
    super('cursor_rejected', message);
  }
}

/** The API rejected a request body that is not a cursor (400): a configuration problem. */
export class RequestRejectedError extends CollectorError {
  constructor(message: string) {
    super('request_rejected', message, { needsOperator: true });
  }
}

/** The API kept failing (429, 5xx, network, torn or malformed bodies) until retries or time ran out. */
export class ApiUnavailableError extends CollectorError {
  constructor(message: string, cause?: unknown) {
    super('api_unavailable', message, { cause });
  }
}

/** The API sent a response body larger than the client reads (MAX_RESPONSE_BODY_BYTES): not retried. */
export class ResponseTooLargeError extends CollectorError {
  constructor(message: string) {
    super('response_too_large', message, { needsOperator: true });
  }
}

/** The request budget the types share is spent until the run's deadline: a normal stop, not a failure. */
export class RequestBudgetSpentError extends CollectorError {
  constructor(message: string) {
    super('request_budget_spent', message);
  }
}

/** The API kept answering 429 beyond what the run can wait: a normal stop, the next run continues. */
export class ThrottledError extends CollectorError {
  constructor(message: string) {
    super('throttled', message);
  }
}

/** A request cut short by the run's deadline timed out: the invocation had too little time left for it. */
export class OutOfTimeError extends CollectorError {
  constructor(message: string) {
    super('out_of_time', message);
  }
}

/** The API reports a different account than the one this type has collected from so far. */
export class AccountChangedError extends CollectorError {
  constructor(message: string) {
    super('account_changed', message, { needsOperator: true });
  }
}

/** The API returned a cursor the cursor row cannot hold (DynamoDB's 400 KB item limit). */
export class CursorTooLargeError extends CollectorError {
  constructor(message: string) {
    super('cursor_too_large', message, { needsOperator: true });
  }
}

/** Firehose did not accept every record before retries or time ran out. */
export class DeliveryError extends CollectorError {
  constructor(message: string, cause?: unknown) {
    super('delivery', message, { cause });
  }
}

/** Another run took this event type's lease: this run must stop without committing. */
export class LeaseLostError extends CollectorError {
  constructor(message: string) {
    super('lease_lost', message);
  }
}

/**
 * A change an operator asked of a type's cursor row (reset, undo, accept-account) was refused: a run
 * holds the lease, or the row changed since it was read. Nothing was changed; trying again later works.
 */
export class CursorChangeRefusedError extends CollectorError {
  constructor(message: string) {
    super('cursor_change_refused', message);
  }
}

/** A one-line description of any thrown value, token-free. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return redactSecrets(`${error.name}: ${error.message}`);
  return redactSecrets(String(error));
}
