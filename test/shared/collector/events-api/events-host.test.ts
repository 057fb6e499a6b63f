import { describe, expect, it } from 'vitest';
import {
  checkEventsOrigin,
  decodeTokenClaims,
  resolveEventsOrigin,
} from '../../../../shared/collector/events-api/events-host';
import { HostNotAllowedError, SecretError } from '../../../../shared/util/errors';

function token(payload: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'ES256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJl`;
}

describe('events host', () => {
  it('takes the host from the token audience, as 1Password integrations do', () => {
    const t = token({ aud: ['events.1password.ca'], '1password.com/fts': ['signinattempts'] });
    expect(resolveEventsOrigin({ configuredUrl: undefined, allowLoopback: false, token: t })).toBe(
      'https://events.1password.ca',
    );
    expect(decodeTokenClaims(t)?.features).toEqual(['signinattempts']);
  });

  it('prefers EVENTS_API_URL when given', () => {
    const t = token({ aud: ['events.1password.com'] });
    expect(
      resolveEventsOrigin({
        configuredUrl: 'https://events.ent.1password.com/',
        allowLoopback: false,
        token: t,
      }),
    ).toBe('https://events.ent.1password.com');
  });

  it.each([
    ['https://events.1password.com.evil.example', /not a 1Password events host/],
    ['https://evil.example', /not a 1Password events host/],
    ['http://events.1password.com', /must use https/],
    ['https://events.1password.com:8443', /not a 1Password events host/],
    ['https://user:pw@events.1password.com', /credentials/],
    ['https://events.1password.com/api/v2', /without a path/],
    ['http://127.0.0.1:8080', /EVENTS_API_ALLOW_LOOPBACK=true/],
  ])('refuses %s', (url, message) => {
    expect(() => checkEventsOrigin(url, false, 'EVENTS_API_URL')).toThrow(HostNotAllowedError);
    expect(() => checkEventsOrigin(url, false, 'EVENTS_API_URL')).toThrow(message);
  });

  it('allows loopback only with the opt-in, and never a private address', () => {
    expect(checkEventsOrigin('http://127.0.0.1:8080', true, 'x')).toBe('http://127.0.0.1:8080');
    expect(checkEventsOrigin('http://localhost:9', true, 'x')).toBe('http://localhost:9');
    expect(() => checkEventsOrigin('http://10.0.0.5', true, 'x')).toThrow(/not a 1Password events host/);
  });

  it('refuses a token whose audience is not a 1Password host', () => {
    const t = token({ aud: ['attacker.example.com'] });
    expect(() => resolveEventsOrigin({ configuredUrl: undefined, allowLoopback: false, token: t })).toThrow(
      /not a 1Password events host/,
    );
  });

  it('explains old tokens whose audience is not a host', () => {
    const t = token({ aud: ['com.1password.streamingservice'] });
    expect(() => resolveEventsOrigin({ configuredUrl: undefined, allowLoopback: false, token: t })).toThrow(
      /older one .* Set EVENTS_API_URL/,
    );
  });

  it.each([
    ['not a JWT', 'not-a-jwt-secret-value'],
    ['cut off after its payload', 'eyJhbGciOiJFUzI1NiJ9.eyJhdWQiOlsiZXZlbnRzLjFwYXNzd29yZC5jb20iXX0'],
    ['cut off inside its payload', 'eyJhbGciOiJFUzI1NiJ9.eyJhdWQiOlsiZXZlbnRzLjFwYXNzd29yZC5jb'],
    [
      'a payload that is not an object',
      `eyJhbGciOiJFUzI1NiJ9.${Buffer.from('[1]').toString('base64url')}.c2ln`,
    ],
  ])('says a token %s looks garbled and how to copy it again, without echoing it', (_, secret) => {
    let error: unknown;
    try {
      resolveEventsOrigin({ configuredUrl: undefined, allowLoopback: false, token: secret });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SecretError);
    const message = (error as Error).message;
    expect(message).toMatch(/garbled or incomplete/);
    expect(message).toMatch(/Copy the whole token again from the 1Password item/);
    expect(message).not.toMatch(/EVENTS_API_URL/);
    expect(message).not.toContain(secret);
    for (const part of secret.split('.')) expect(message).not.toContain(part);
  });

  it('asks for EVENTS_API_URL only when a whole token names no host', () => {
    const t = token({ sub: 'X' });
    expect(() => resolveEventsOrigin({ configuredUrl: undefined, allowLoopback: false, token: t })).toThrow(
      /does not name its events host .* Set EVENTS_API_URL/,
    );
  });
});
