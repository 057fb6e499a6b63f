import { createHash } from 'node:crypto';
import { base32IdOf } from './ids';

export interface FakeTokenOptions {
  /** Events host the token is for, e.g. `events.1password.com`; becomes `aud[0]`. */
  readonly host: string;
  /** Granted features, e.g. `['auditevents']`; becomes the `1password.com/fts` claim. */
  readonly features: readonly string[];
  readonly issuedAt?: Date;
  /** Tokens may never expire; `exp` is only present when this is given. */
  readonly expiresAt?: Date;
  readonly subject?: string;
  /** Token uuid (`1password.com/tk`), reported by introspection. */
  readonly tokenUuid?: string;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/**
 * A token shaped like an Events API bearer token (an ES256 JWT). Its signature is filler: nothing
 * verifies it, as 1Password's own integrations only read the claims.
 */
export function makeFakeToken(options: FakeTokenOptions): string {
  const issuedAt = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
  const header = { alg: 'ES256', kid: 'simulator', typ: 'JWT' };
  const payload = {
    '1password.com/fts': [...options.features],
    ...(options.tokenUuid === undefined ? {} : { '1password.com/tk': options.tokenUuid }),
    aud: [options.host],
    sub: options.subject ?? base32IdOf(`subject:${options.host}:${options.features.join(',')}`),
    iat: issuedAt,
    ...(options.expiresAt === undefined ? {} : { exp: Math.floor(options.expiresAt.getTime() / 1000) }),
    iss: 'com.1password.b5',
  };
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  const digest = createHash('sha256').update(signingInput).digest();
  const signature = Buffer.concat([digest, createHash('sha256').update(digest).digest()]).toString(
    'base64url',
  );
  return `${signingInput}.${signature}`;
}

/** The claims of a JWT-shaped token, or undefined for any other text. */
export function readTokenClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
