import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, describeError } from '../../../shared/util/errors';
import {
  forgetSecrets,
  quoteValue,
  REDACTED,
  redactedError,
  redactFields,
  redactKnownSecrets,
  redactSecrets,
  rememberSecret,
} from '../../../shared/util/redaction';
import { expectNoTokenPiece } from '../../support/token-pieces';

const TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6ImV4YW1wbGUifQ.eyJhdWQiOlsiZXZlbnRzLjFwYXNzd29yZC5jb20iXSwic3ViIjoiVEVTVCJ9.' +
  'TWFkZVVwU2lnbmF0dXJlRm9yVGVzdGluZ1JlZGFjdGlvbk9mRXZlcnlQYXJ0T2ZUaGVUb2tlbkVTMjU2QUFBQUFBQQ';
const [header, payload, signature] = TOKEN.split('.') as [string, string, string];

afterEach(() => forgetSecrets());

describe('redactSecrets', () => {
  it('removes anything shaped like a JWT even before a token is known', () => {
    expect(redactSecrets(`Bearer ${TOKEN} refused`)).toBe(`Bearer ${REDACTED} refused`);
    expect(redactSecrets(`claims ${payload} rejected`)).toBe(`claims ${REDACTED} rejected`);
  });

  it.each([
    ['the whole token', TOKEN],
    ['the header', header],
    ['the payload', payload],
    ['the signature', signature],
    ['12 characters of the signature', signature.slice(40, 52)],
    ['a slice across the last dot', TOKEN.slice(TOKEN.lastIndexOf('.') - 8, TOKEN.lastIndexOf('.') + 8)],
    ['two separate pieces', `${signature.slice(0, 20)} and ${payload.slice(5, 30)}`],
  ])('removes %s of a remembered token and keeps the words around it', (_, echoed) => {
    rememberSecret(TOKEN);
    const text = `server said: ${echoed} (status 401)`;
    const redacted = redactSecrets(text);
    expectNoTokenPiece(redacted, TOKEN);
    expect(redacted.startsWith('server said: ')).toBe(true);
    expect(redacted.endsWith(' (status 401)')).toBe(true);
  });

  it('leaves text without a piece of a secret as it is', () => {
    rememberSecret(TOKEN);
    const text =
      'The Events API did not answer POST /api/v2/auditevents usably after 6 attempts (last: 500).';
    expect(redactSecrets(text)).toBe(text);
    expect(
      redactKnownSecrets(`{"uuid":"AAAABBBBCCCCDDDDEEEEFFFF00","x":"${signature.slice(0, 11)}"}`),
    ).toContain(signature.slice(0, 11));
  });

  it('keeps the last few tokens after a rotation', () => {
    rememberSecret(TOKEN);
    rememberSecret(`${header}.${payload}.${'B'.repeat(86)}`);
    expectNoTokenPiece(redactSecrets(`old ${signature}`), TOKEN);
  });
});

describe('what leaves the process', () => {
  it('a ConfigError never carries the token, even built before the token was read', () => {
    const error = new ConfigError(`EVENTS_API_URL must be an https URL (got "${TOKEN}").`);
    expectNoTokenPiece(error.message, TOKEN);
  });

  it('describeError, redactedError and log fields lose every piece of a known token', () => {
    rememberSecret(TOKEN);
    const original = new TypeError(
      `Headers.append: "Bearer ${header}.${payload}\r\n.${signature}" is an invalid header value.`,
    );
    expectNoTokenPiece(describeError(original), TOKEN);
    const copy = redactedError(original);
    expect(copy.name).toBe('TypeError');
    expect(copy.message).toMatch(/is an invalid header value/);
    expectNoTokenPiece(`${copy.message}\n${copy.stack}`, TOKEN);
    const fields = redactFields({ error: `echo ${signature}`, nested: { list: [payload] }, count: 3 });
    expectNoTokenPiece(JSON.stringify(fields), TOKEN);
    expect(fields.count).toBe(3);
  });
});

describe('quoteValue', () => {
  it('quotes ordinary values and hides what could be a secret', () => {
    expect(quoteValue('many')).toBe('"many"');
    expect(quoteValue('https://events.example.com')).toBe('"https://events.example.com"');
    expect(quoteValue(signature)).toBe('a value of 90 characters, not repeated here in case it is a secret');
    expect(quoteValue(signature.slice(0, 20))).toMatch(/not repeated/);
    expect(quoteValue(TOKEN)).toMatch(/not repeated/);
  });
});
