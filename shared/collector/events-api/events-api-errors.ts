import type { EventTypeSpec } from '../../contracts/event-types';
import {
  ApiUnavailableError,
  AuthError,
  CursorRejectedError,
  HostNotAllowedError,
  OutOfTimeError,
  RequestBudgetSpentError,
  RequestRejectedError,
  ResponseTooLargeError,
  SecretError,
  ThrottledError,
} from '../../util/errors';
import { quoteValue } from '../../util/redaction';

/**
 * The events-api room's errors, one named factory each: the logic says which it raises, and the
 * text (what is wrong, what to do) lives here. A value that may be the token (a misplaced one in
 * EVENTS_API_URL) is quoted only through quoteValue, and every message passes redactSecrets when
 * the error is made.
 */

/**
 * The events host refused (events-host.ts): `source` names where the URL came from, `allowed` lists
 * 1Password's hosts.
 */
export const hostRefusals = {
  notAUrl(source: string, url: string, allowed: string) {
    return new HostNotAllowedError(`${source} is not a URL (${quoteValue(url)}). Use one of ${allowed}.`);
  },
  credentialsInUrl(source: string) {
    return new HostNotAllowedError(`${source} must not carry credentials in the URL.`);
  },
  pathInUrl(source: string, path: string) {
    return new HostNotAllowedError(
      `${source} must be a host without a path (got path ${quoteValue(path)}); the collector adds ` +
        '/api/v2/... itself.',
    );
  },
  loopbackNotAllowed(source: string, host: string) {
    return new HostNotAllowedError(
      `${source} points at ${host}, a loopback address, which is allowed only with ` +
        'EVENTS_API_ALLOW_LOOPBACK=true (tests and local runs).',
    );
  },
  loopbackNotHttp(source: string) {
    return new HostNotAllowedError(`${source} must use http or https.`);
  },
  notAnEventsHost(source: string, host: string, allowed: string) {
    return new HostNotAllowedError(
      `${source} host ${quoteValue(host)} is not a 1Password events host; the token is only ever sent ` +
        `to ${allowed}.`,
    );
  },
  notHttps(source: string, scheme: string) {
    return new HostNotAllowedError(`${source} must use https (got ${quoteValue(scheme)}).`);
  },
  tokenWithoutAudience(allowed: string) {
    return new HostNotAllowedError(
      'The token does not name its events host (its payload has no "aud" claim). Set EVENTS_API_URL to ' +
        `your account's host: one of ${allowed}.`,
    );
  },
  audienceNotAHost(audience: string, allowed: string) {
    return new HostNotAllowedError(
      `The token is an older one whose audience (${JSON.stringify(audience)}) is not a host. Set ` +
        `EVENTS_API_URL to your account's host: one of ${allowed}.`,
    );
  },
};

/**
 * What to say of a token that is not a whole JWT: it was cut off or picked up other text when it was
 * copied, so the fix is copying it again (not EVENTS_API_URL, which would not help). Never its content.
 */
export function garbledTokenMessage(holder: string, howToSave: string): string {
  return (
    `${holder} holds a token that looks garbled or incomplete: an Events API token is one line of three ` +
    'parts joined by "." (letters, digits, "-" and "_"), and this one does not read as such, so it was ' +
    'probably cut off or copied with other text. Nothing was sent with it. Copy the whole token again from ' +
    'the 1Password item you saved it in when it was issued (or issue a new token in the Events Reporting ' +
    `integration). ${howToSave}`
  );
}

// The token goes in through a file, never on a command line (shell history, process lists).
const SET_IT = (secretId: string) =>
  `Set it with: aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string ` +
  'file://op-token.txt (a file holding only the token; delete it afterwards; docs/deploy.md, step 3).';

/** The token's secret, or the token in it, cannot be used (token-source.ts, events-host.ts). */
export const secretRefusals = {
  /** How to store the token in the secret `secretId` (a name or an ARN), for messages that end with it. */
  howToSave: SET_IT,
  noValue(secretId: string) {
    return new SecretError(`Secret ${secretId} has no value. ${SET_IT(secretId)}`);
  },
  notJson(secretId: string) {
    return new SecretError(
      `Secret ${secretId} starts with "{" but is not valid JSON. Store the bare token or {"token": "..."}.`,
    );
  },
  placeholder(secretId: string) {
    return new SecretError(
      `Secret ${secretId} still holds the empty placeholder the stack created. ${SET_IT(secretId)}`,
    );
  },
  noTokenKey(secretId: string) {
    return new SecretError(
      `Secret ${secretId} is JSON without a non-empty "token" key. Store the bare token or {"token": "..."}.`,
    );
  },
  /** `character` names the stray character (never the token around it); `quoted`: a `"` or `\`. */
  strayCharacter(
    holder: string,
    at: { character: string; position: number; length: number; quoted: boolean },
    howToSave: string,
  ) {
    const why = at.quoted
      ? 'so it was probably copied with the quotes or escapes of a JSON text or a shell command around it'
      : 'so it was probably copied with a line break or from formatted text';
    return new SecretError(
      `${holder} holds a token with ${at.character} at character ${at.position} of ${at.length}: a ` +
        `token is one line of letters, digits, "-", "_" and ".", ${why}. Nothing was sent with it. ` +
        `Re-save it as one line. ${howToSave}`,
    );
  },
  /** A cut-off copy, told as a garbled token is (copy it again), with its length: never its content. */
  tooShort(holder: string, length: number, minLength: number, howToSave: string) {
    return new SecretError(
      garbledTokenMessage(
        holder,
        `It has ${length} characters, too few for an Events API token (at least ${minLength}; ` +
          `1Password issues them several hundred long). ${howToSave}`,
      ),
    );
  },
  garbledToken() {
    return new SecretError(
      garbledTokenMessage(
        'The token',
        'Store it again as one line: in the token secret (put-secret-value), or in OP_EVENTS_TOKEN for ' +
          'the CLI.',
      ),
    );
  },
  missing(secretId: string, cause: unknown) {
    return new SecretError(
      `Secret ${secretId} does not exist. Check TOKEN_SECRET_ID. ${SET_IT(secretId)}`,
      cause,
    );
  },
  accessDenied(secretId: string, cause: unknown) {
    return new SecretError(
      `This function may not read secret ${secretId}: grant it secretsmanager:GetSecretValue on that ` +
        'secret.',
      cause,
    );
  },
  unreadable(secretId: string, name: string, cause: unknown) {
    return new SecretError(
      `Secret ${secretId} cannot be read (${name}): it may be scheduled for deletion or its KMS key ` +
        'unusable.',
      cause,
    );
  },
  readFailed(secretId: string, name: string, cause: unknown) {
    return new SecretError(`Reading secret ${secretId} failed: ${name || 'unknown error'}.`, cause);
  },
};

/** The token cannot read an event type (scope-check.ts). */
export const scopeRefusals = {
  expired(expiresAt: Date) {
    return new AuthError(
      `The token expired on ${expiresAt.toISOString()}. Issue a new one in 1Password (Integrations > ` +
        'Events Reporting) and put it in the secret.',
    );
  },
  featureMissing(spec: EventTypeSpec, granted: readonly string[]) {
    return new AuthError(
      `The token lacks the ${spec.feature} feature (granted: ` +
        `${granted.length > 0 ? granted.join(', ') : 'none'}), so ${spec.label.toLowerCase()} cannot be ` +
        `collected. Issue a token that includes ${spec.feature} ` +
        `in 1Password (Integrations > Events Reporting), or stop collecting ${spec.type}.`,
    );
  },
};

/** How a call to the Events API ended when it did not bring what was asked (events-api-client.ts). */
export const apiFailures = {
  /** `detail`: the status and the server's message. */
  cursorRejected(detail: string) {
    return new CursorRejectedError(`The Events API rejected the stored cursor (${detail}).`);
  },
  requestRejected(request: unknown, path: string, detail: string) {
    return new RequestRejectedError(
      `The Events API rejected the request ${JSON.stringify(request)} for ${path} (${detail}). Check ` +
        'START_TIME and PAGE_SIZE.',
    );
  },
  tokenRefused(origin: string, path: string, detail: string) {
    return new AuthError(
      `The Events API at ${origin} refused the token for ${path} (${detail}): it is revoked, expired, ` +
        'for another account or region, or lacks the feature. Put a valid token in the secret.',
    );
  },
  throttledTooLong(retryAfterMs: number, maxRetryAfterMs: number) {
    return new ThrottledError(
      `The Events API is throttling (429) and asked to wait ${Math.round(retryAfterMs / 1000)} s, longer ` +
        `than a run waits (${Math.round(maxRetryAfterMs / 1000)} s); the next scheduled run continues.`,
    );
  },
  unexpectedStatus(status: number, url: string, serverMessage: string) {
    return new RequestRejectedError(
      `Unexpected HTTP ${status} from ${url} (${serverMessage}). Check EVENTS_API_URL.`,
    );
  },
  tooLarge(call: string, status: number, limit: number) {
    return new ResponseTooLargeError(
      `The Events API answered ${call} (HTTP ${status}) with a body larger than ${limit} bytes ` +
        '(MAX_RESPONSE_BODY_BYTES); it was not read further. Nothing was committed, so the next run ' +
        'asks for the same page again. If events are really this large, move the start with ' +
        '"op-events reset" and a smaller PAGE_SIZE (a stored cursor keeps the page size it was made with).',
    );
  },
  stillThrottled(call: string, attempts: number) {
    return new ThrottledError(
      `The Events API kept answering 429 to ${call} (${attempts} attempts) until the run could wait no ` +
        'longer; the next scheduled run continues.',
    );
  },
  timedOut(call: string, last: string) {
    return new OutOfTimeError(`${call} timed out in the time this invocation had left (last: ${last}).`);
  },
  unavailable(call: string, attempts: number, last: string) {
    return new ApiUnavailableError(
      `The Events API did not answer ${call} usably after ${attempts} attempts (last: ${last}).`,
    );
  },
  /** The shared request budget (request-budget.ts) is spent until the run's deadline. */
  budgetSpent(perMinute: number) {
    return new RequestBudgetSpentError(
      `The shared request budget (${perMinute} requests a minute across event types) is spent until ` +
        "the run's time is up; the next run continues.",
    );
  },
};
