import { hostRefusals, secretRefusals } from './events-api-errors';

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
    throw hostRefusals.notAUrl(source, url, ALLOWED_LIST);
  }
  if (parsed.username || parsed.password) {
    throw hostRefusals.credentialsInUrl(source);
  }
  if (parsed.pathname !== '/' && parsed.pathname !== '') {
    throw hostRefusals.pathInUrl(source, parsed.pathname);
  }
  const isLoopback = LOOPBACK_HOSTS.has(parsed.hostname);
  if (isLoopback) {
    if (!allowLoopback) throw hostRefusals.loopbackNotAllowed(source, parsed.host);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw hostRefusals.loopbackNotHttp(source);
    }
    return parsed.origin;
  }
  if (
    !(EVENTS_HOSTS as readonly string[]).includes(parsed.hostname) ||
    (parsed.port !== '' && parsed.port !== '443')
  ) {
    throw hostRefusals.notAnEventsHost(source, parsed.host, ALLOWED_LIST);
  }
  if (parsed.protocol !== 'https:') {
    throw hostRefusals.notHttps(source, parsed.protocol.replace(':', ''));
  }
  return parsed.origin;
}

/** Whether the token reads as a whole JWT: three parts joined by ".", the middle one a JSON object. */
export function isWholeToken(token: string): boolean {
  return token.split('.').length === 3 && tokenPayload(token) !== undefined;
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
    throw secretRefusals.garbledToken();
  }
  const audience = claims.audience[0];
  if (!audience) throw hostRefusals.tokenWithoutAudience(ALLOWED_LIST);
  if (!audience.includes('.') || audience.startsWith('com.1password.')) {
    throw hostRefusals.audienceNotAHost(audience, ALLOWED_LIST);
  }
  const url = /^[a-z]+:\/\//i.test(audience) ? audience : `https://${audience}`;
  return checkEventsOrigin(url, options.allowLoopback, "The token's audience (aud)");
}
