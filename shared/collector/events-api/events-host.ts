import { HostNotAllowedError, SecretError } from '../../util/errors';
import { quoteValue } from '../../util/redaction';

/** 1Password's events hosts, one per region. The token is sent to no other host. */
export const EVENTS_HOSTS = [
  'events.1password.com',
  'events.ent.1password.com',
  'events.1password.ca',
  'events.1password.eu',
] as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Claims 1Password's integrations read from the token without verifying it. */
export interface TokenClaims {
  /**
   * Audience: the events host (`events.1password.com`), or `com.1password.streamingservice` on old tokens.
   */
  readonly audience: readonly string[];
  /** Granted features (`1password.com/fts`). */
  readonly features: readonly string[];
  readonly issuedAt: Date | undefined;
  readonly expiresAt: Date | undefined;
  readonly subject: string | undefined;
}

/** The JWT payload as an object, or undefined when the token has no payload that decodes to one. */
function tokenPayload(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
    ? (claims as Record<string, unknown>)
    : undefined;
}

/** Reads the JWT payload; the signature is not checked (only 1Password can, and the API does). */
export function decodeTokenClaims(token: string): TokenClaims | undefined {
  const claims = tokenPayload(token);
  if (!claims) return undefined;
  const strings = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
  const date = (v: unknown): Date | undefined => (typeof v === 'number' ? new Date(v * 1000) : undefined);
  return {
    audience: strings(claims.aud),
    features: strings(claims['1password.com/fts']),
    issuedAt: date(claims.iat),
    expiresAt: date(claims.exp),
    subject: typeof claims.sub === 'string' ? claims.sub : undefined,
  };
}

const ALLOWED_LIST = EVENTS_HOSTS.map((h) => `https://${h}`).join(', ');

/**
 * Checks a URL and returns its origin (`https://events.1password.com`), or fails naming what is
 * wrong. A misplaced token can arrive here (`EVENTS_API_URL=https://<token>`), so the value, its host
 * and its path are quoted only when they cannot be a secret (quoteValue).
 */
export function checkEventsOrigin(url: string, allowLoopback: boolean, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HostNotAllowedError(`${source} is not a URL (${quoteValue(url)}). Use one of ${ALLOWED_LIST}.`);
  }
  if (parsed.username || parsed.password) {
    throw new HostNotAllowedError(`${source} must not carry credentials in the URL.`);
  }
  if (parsed.pathname !== '/' && parsed.pathname !== '') {
    throw new HostNotAllowedError(
      `${source} must be a host without a path (got path ${quoteValue(parsed.pathname)}); the ` +
        'collector adds /api/v2/... itself.',
    );
  }
  const isLoopback = LOOPBACK_HOSTS.has(parsed.hostname);
  if (isLoopback) {
    if (!allowLoopback) {
      throw new HostNotAllowedError(
        `${source} points at ${parsed.host}, a loopback address, which is allowed only with ` +
          'EVENTS_API_ALLOW_LOOPBACK=true (tests and local runs).',
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new HostNotAllowedError(`${source} must use http or https.`);
    }
    return parsed.origin;
  }
  if (
    !(EVENTS_HOSTS as readonly string[]).includes(parsed.hostname) ||
    (parsed.port !== '' && parsed.port !== '443')
  ) {
    throw new HostNotAllowedError(
      `${source} host ${quoteValue(parsed.host)} is not a 1Password events host; the token is only ` +
        `ever sent to ${ALLOWED_LIST}.`,
    );
  }
  if (parsed.protocol !== 'https:') {
    throw new HostNotAllowedError(
      `${source} must use https (got ${quoteValue(parsed.protocol.replace(':', ''))}).`,
    );
  }
  return parsed.origin;
}

/** Whether the token reads as a whole JWT: three parts joined by ".", the middle one a JSON object. */
export function isWholeToken(token: string): boolean {
  return token.split('.').length === 3 && tokenPayload(token) !== undefined;
}

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

/**
 * Where to send requests: EVENTS_API_URL when configured, else `https://` + the token's first audience,
 * as 1Password's own integrations do. Either way the host must be one of EVENTS_HOSTS.
 */
export function resolveEventsOrigin(options: {
  configuredUrl: string | undefined;
  allowLoopback: boolean;
  token: string;
}): string {
  if (options.configuredUrl) {
    return checkEventsOrigin(options.configuredUrl, options.allowLoopback, 'EVENTS_API_URL');
  }
  const claims = decodeTokenClaims(options.token);
  if (!claims || !isWholeToken(options.token)) {
    throw new SecretError(
      garbledTokenMessage(
        'The token',
        'Store it again as one line: in the token secret (put-secret-value), or in OP_EVENTS_TOKEN for ' +
          'the CLI.',
      ),
    );
  }
  const audience = claims.audience[0];
  if (!audience) {
    throw new HostNotAllowedError(
      'The token does not name its events host (its payload has no "aud" claim). Set EVENTS_API_URL to ' +
        `your account's host: one of ${ALLOWED_LIST}.`,
    );
  }
  if (!audience.includes('.') || audience.startsWith('com.1password.')) {
    throw new HostNotAllowedError(
      `The token is an older one whose audience (${JSON.stringify(audience)}) is not a host. Set ` +
        `EVENTS_API_URL to your account's host: one of ${ALLOWED_LIST}.`,
    );
  }
  const url = /^[a-z]+:\/\//i.test(audience) ? audience : `https://${audience}`;
  return checkEventsOrigin(url, options.allowLoopback, "The token's audience (aud)");
}
