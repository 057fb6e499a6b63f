import { afterEach, describe, expect, it } from 'vitest';
import { formatTable } from '../../../cli/format-table';
import { configFromContext } from '../../../infra/app/context-settings';
import { ConfigurationError } from '../../../infra/props/validation';
import { makeFakeToken } from '../../../local/simulator/fake-token';
import { serverMessage } from '../../../shared/collector/events-api/events-api-client';
import { checkEventsOrigin } from '../../../shared/collector/events-api/events-host';
import {
  checkedToken,
  MIN_TOKEN_LENGTH,
  tokenFromSecretString,
} from '../../../shared/collector/events-api/token-source';
import {
  forgetSecrets,
  quoteValue,
  REDACTED,
  redactFields,
  redactKnownSecrets,
  redactSecrets,
  rememberSecret,
} from '../../../shared/util/redaction';
import { expectNoTokenPiece } from '../../support/token-pieces';

// As 1Password issues them: an ES256 header, a payload opening with `{"1password.com/...` (so `eyI`).
const TOKEN = makeFakeToken({
  host: 'events.1password.com',
  features: ['auditevents', 'signinattempts'],
  issuedAt: new Date('2026-01-02T03:04:05Z'),
});
const [header, payload, signature] = TOKEN.split('.') as [string, string, string];

/** Percent-encodes every character, as an over-eager encoder might. */
const percentEvery = (text: string) =>
  [...text].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');
/** JSON's \u escape for every character. */
const unicodeEscapeEvery = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

afterEach(() => forgetSecrets());

describe('the sample token', () => {
  it('has the shapes the rules must recognise: an ES256 header and a payload starting eyI', () => {
    expect(header.startsWith('eyJhbGciOi')).toBe(true);
    expect(payload.startsWith('eyIx')).toBe(true);
  });
});

describe('a remembered token is removed in every written form', () => {
  it.each([
    ['lower-cased (a URL host)', TOKEN.toLowerCase()],
    ['upper-cased', TOKEN.toUpperCase()],
    ['a lower-cased slice of the signature', signature.slice(10, 40).toLowerCase()],
    ['percent-encoded, every character', percentEvery(TOKEN)],
    ['percent-encoded, lower-case hex, a slice', percentEvery(signature.slice(5, 25)).toLowerCase()],
    ['percent-encoded twice', percentEvery(percentEvery(payload.slice(0, 30)))],
    ['JSON \\u escapes', unicodeEscapeEvery(TOKEN)],
    ['JSON \\u escapes of a lower-cased slice', unicodeEscapeEvery(signature.slice(0, 20).toLowerCase())],
    ['mixed encodings', `${percentEvery(header)}.${unicodeEscapeEvery(payload)}.${signature.toUpperCase()}`],
  ])('%s', (_, written) => {
    rememberSecret(TOKEN);
    for (const redact of [redactSecrets, redactKnownSecrets]) {
      const text = `before ${written} after`;
      const out = redact(text);
      expect(out).toBe(`before ${REDACTED} after`);
      expectNoTokenPiece(decodeURIComponent(out), TOKEN);
    }
  });

  it('a token holding "+" and "/" (base64, not base64url) also when they are %2B, %2F or \\/', () => {
    const slashed = `${TOKEN.slice(0, 150)}+/${TOKEN.slice(150)}`;
    rememberSecret(slashed);
    const encoded = encodeURIComponent(slashed);
    expect(encoded).toContain('%2B%2F');
    expect(redactKnownSecrets(`url=${encoded}&x=1`)).toBe(`url=${REDACTED}&x=1`);
    expect(redactKnownSecrets(`{"t":"${slashed.replace('/', '\\/')}"}`)).toBe(`{"t":"${REDACTED}"}`);
  });

  it('leaves ordinary escapes and percent signs that hold no piece as they are', () => {
    rememberSecret(TOKEN);
    const text = 'progress 100% done, path C:\\temp\\new, %41%42 and \\u0041';
    expect(redactSecrets(text)).toBe(text);
  });

  it('keeps redacted log fields valid, errors included', () => {
    rememberSecret(TOKEN);
    const error = new Error(`server echoed ${TOKEN.toLowerCase()}`);
    const fields = redactFields({ note: `a "quoted" ${percentEvery(signature)}`, error, n: 1 });
    expect(fields.note).toBe(`a "quoted" ${REDACTED}`);
    expect(fields.error).toBeInstanceOf(Error);
    expectNoTokenPiece(`${fields.error.message} ${fields.error.stack}`, TOKEN);
    expect(fields.n).toBe(1);
    const untouched = { a: 'plain', list: [1, 'two'] };
    expect(redactFields(untouched)).toBe(untouched);
  });
});

describe('shapes are removed before any token is known', () => {
  it.each([
    ['the whole token', TOKEN],
    ['the lower-cased token', TOKEN.toLowerCase()],
    ['a payload starting eyI, alone', payload],
    ['a lower-cased payload', payload.toLowerCase()],
    ['the header alone', header],
    ['a header cut short after its alg claim', header.slice(0, 14)],
    ['a payload cut short after its 1Password claim name', payload.slice(0, 22)],
    ['the percent-encoded token', percentEvery(TOKEN)],
  ])('%s', (_, written) => {
    const out = redactSecrets(`got ${written} here`);
    expect(out).toBe(`got ${REDACTED} here`);
  });
});

describe('redacted before cut', () => {
  it('an error body echoing the token across the 200-character cut leaves no fragment', () => {
    rememberSecret(TOKEN);
    for (let at = 150; at < 200; at += 7) {
      const body = `${'x'.repeat(at)} token ${TOKEN.toLowerCase()} refused`;
      const message = serverMessage(body);
      // Not even the few characters that a cut before redaction left unrecognisable.
      expect(message).toBe(`${'x'.repeat(at)} token ${REDACTED} refused`.slice(0, 200));
    }
  });

  it('a table cell holding the token past its cut shows none of it', () => {
    rememberSecret(TOKEN);
    const table = formatTable(['field'], [[`${'x'.repeat(40)}${TOKEN}`]]);
    expect(table).toContain(`${'x'.repeat(40)}[REDACT…`);
    expect(table).not.toContain(TOKEN.slice(0, 7));
  });

  it('a JSON message echoing the token is redacted whole, then cut', () => {
    const body = JSON.stringify({ message: `${'y'.repeat(290)} ${TOKEN}` });
    const message = serverMessage(body);
    expect(message).not.toMatch(/\sey/i);
    expect(message.length).toBeLessThanOrEqual(300);
  });
});

describe('the token check', () => {
  const howToSave = 'Save it again.';

  it.each([
    [
      'a double quote (copied with its JSON quotes)',
      `"${TOKEN}"`,
      /a double quote \(U\+0022\) at character 1 of/,
    ],
    [
      'a backslash (an escaped copy)',
      `${TOKEN.slice(0, 120)}\\${TOKEN.slice(120)}`,
      /a backslash \(U\+005C\) at character 121/,
    ],
  ])('refuses a token with %s, saying where and never what', (_, value, where) => {
    let message = '';
    try {
      checkedToken(value, 'OP_EVENTS_TOKEN', howToSave);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(where);
    expect(message).toMatch(/quotes or escapes/);
    expectNoTokenPiece(message, TOKEN);
    // The real token inside stays secret in whatever is written next.
    expect(redactSecrets(`echo ${TOKEN}`)).toBe(`echo ${REDACTED}`);
  });

  it.each([
    ['an ordinary word', 'password'],
    ['a short value', 'abc'],
    ['a cut-off copy', TOKEN.slice(0, MIN_TOKEN_LENGTH - 1)],
  ])('refuses %s as too short, naming its length, not its content', (_, value) => {
    expect(() => checkedToken(value, 'OP_EVENTS_TOKEN', howToSave)).toThrow(
      new RegExp(
        `OP_EVENTS_TOKEN holds a token that looks garbled or incomplete.* It has ${value.length} characters, too few for an Events API token`,
      ),
    );
    try {
      checkedToken(value, 'OP_EVENTS_TOKEN', howToSave);
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });

  it('does not shred later text with a refused word', () => {
    expect(() => checkedToken('password', 'OP_EVENTS_TOKEN', howToSave)).toThrow(/8 characters, too few/);
    rememberSecret('password');
    expect(redactSecrets('Set the password to continue')).toBe('Set the password to continue');
  });

  it('refuses the same values from a secret, bare or as JSON', () => {
    expect(() => tokenFromSecretString('op/token', 'short-token')).toThrow(/It has 11 characters, too few/);
    expect(() => tokenFromSecretString('op/token', JSON.stringify({ token: `${TOKEN}\\` }))).toThrow(
      /a backslash/,
    );
    expect(tokenFromSecretString('op/token', JSON.stringify({ token: TOKEN }))).toBe(TOKEN);
  });
});

describe('a host or path that came from a value holding the token is never quoted', () => {
  it.each([
    ['the token as the host (lower-cased by URL parsing)', `https://${TOKEN}`],
    ['the token as the path', `https://events.1password.com/${TOKEN}`],
    ['the token as the path, after a slash', `https://events.1password.com/x/${signature}`],
    ['the token where a URL should be', TOKEN],
    ['the token as a scheme', `${header}.${payload}-x://events.1password.com`],
  ])('%s, whether or not the token is known', (_, url) => {
    for (const known of [false, true]) {
      if (known) rememberSecret(TOKEN);
      let message = '';
      try {
        checkEventsOrigin(url, false, 'EVENTS_API_URL');
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^EVENTS_API_URL /);
      expectNoTokenPiece(message, TOKEN);
    }
  });

  it('still quotes an ordinary wrong host and path', () => {
    expect(() =>
      checkEventsOrigin('https://events.1password.com.evil.example', false, 'EVENTS_API_URL'),
    ).toThrow('host "events.1password.com.evil.example" is not');
    expect(() => checkEventsOrigin('https://events.1password.com/api/v2', false, 'EVENTS_API_URL')).toThrow(
      'got path "/api/v2"',
    );
  });

  it('at synth (-c eventsApiUrl=...), where no token is known, nor in any other context value', () => {
    for (const context of [
      { eventsApiUrl: `https://${TOKEN}` },
      { eventsApiUrl: `https://events.1password.com/${TOKEN}` },
      { startTime: TOKEN },
      { schedule: TOKEN.toLowerCase() },
      { glueDatabaseName: TOKEN },
    ]) {
      let error: unknown;
      try {
        configFromContext((key) => (context as Record<string, unknown>)[key], Object.keys(context));
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/^Invalid "/);
      expectNoTokenPiece((error as Error).message, TOKEN);
    }
  });
});

describe('quoteValue', () => {
  it('hides a lower-cased token piece as well', () => {
    rememberSecret(TOKEN);
    expect(quoteValue(signature.slice(0, 14).toLowerCase())).toMatch(/not repeated/);
  });
});
