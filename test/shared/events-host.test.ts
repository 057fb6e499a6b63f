import { describe, expect, it } from 'vitest';
import { HostNotAllowedError } from '../../shared/errors';
import { checkEventsOrigin, decodeTokenClaims, resolveEventsOrigin } from '../../shared/events-host';

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

  it('explains a token that is not a JWT, without echoing it', () => {
    const secret = 'not-a-jwt-secret-value';
    let message = '';
    try {
      resolveEventsOrigin({ configuredUrl: undefined, allowLoopback: false, token: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/does not name its events host/);
    expect(message).not.toContain(secret);
  });
});
