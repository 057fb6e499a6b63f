import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  SecretsManagerTokenSource,
  tokenFromSecretString,
} from '../../../../shared/collector/events-api/token-source';
import { SecretError } from '../../../../shared/util/errors';
import { expectNoTokenPiece } from '../../../support/token-pieces';

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());

function awsError(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

describe('tokenFromSecretString', () => {
  it('accepts a bare token or JSON with a token key', () => {
    expect(tokenFromSecretString('s', `  ${GOOD} \n`)).toBe(GOOD);
    expect(tokenFromSecretString('s', `{"token":"${GOOD}","note":"x"}`)).toBe(GOOD);
  });

  it.each([
    [undefined, /has no value. Set it with: aws secretsmanager put-secret-value --secret-id s/],
    ['   ', /has no value/],
    [
      '{"token": ""}',
      /still holds the empty placeholder .* --secret-string file:\/\/op-token\.txt \(a file holding only the token; delete it afterwards; docs\/deploy\.md, step 3\)\.$/,
    ],
    ['{"token": "  "}', /without a non-empty "token" key/],
    ['{"tok": "x"}', /without a non-empty "token" key/],
    ['{not json', /not valid JSON/],
  ])('explains an unusable value %j', (value, message) => {
    expect(() => tokenFromSecretString('s', value)).toThrow(message);
  });

  it('never puts the secret value in the error', () => {
    try {
      tokenFromSecretString('s', '{"tok": "super-secret-value"');
    } catch (error) {
      expect((error as Error).message).not.toContain('super-secret-value');
    }
  });
});

// An ES256-shaped token: header, payload and an 86-character signature.
const GOOD =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6InNpbXVsYXRvciJ9.eyJhdWQiOlsiZXZlbnRzLjFwYXNzd29yZC5jb20iXSwic3ViIjoiQUJDIn0.' +
  'Q2hhbmdlZEJ5VGhlVGVzdFNpZ25hdHVyZVRoYXRJc0xvbmdFbm91Z2hUb0JlQW5FUzI1NlNpZ25hdHVyZUFBQUFBQQ';
/** GOOD with `inserted` put in at character `at` (0-based). */
const broken = (inserted: string, at = 60) => GOOD.slice(0, at) + inserted + GOOD.slice(at);

describe('a token with characters a token never has', () => {
  it.each([
    ['a carriage return', broken('\r'), /a carriage return \(U\+000D\) at character 61 of 196/],
    ['a line feed', broken('\n'), /a line break \(U\+000A\) at character 61 of 196/],
    ['CR LF', broken('\r\n', 100), /a carriage return \(U\+000D\) at character 101 of 197/],
    ['a NUL', broken('\u0000'), /a control character \(U\+0000\) at character 61/],
    ['a tab', broken('\t'), /a tab \(U\+0009\) at character 61/],
    ['a space', broken(' '), /a space \(U\+0020\) at character 61/],
    ['a zero-width space', broken('\u200b'), /an invisible character \(U\+200B\) at character 61/],
    ['a zero-width joiner', broken('\u200d', 3), /an invisible character \(U\+200D\) at character 4/],
    ['a byte-order mark', broken('\ufeff', 1), /an invisible character \(U\+FEFF\) at character 2/],
    ['a no-break space', broken('\u00a0'), /a space \(U\+00A0\) at character 61/],
    ['a line separator', broken('\u2028'), /a line break \(U\+2028\) at character 61/],
    [
      'a zero-width space at the end',
      `${GOOD}\u200b`,
      /an invisible character \(U\+200B\) at character 196 of 196/,
    ],
  ])('%s is refused with its position and how to re-save it, never its content', (_, value, where) => {
    for (const stored of [value, JSON.stringify({ token: value })]) {
      let error: unknown;
      try {
        tokenFromSecretString('op/token', stored);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(SecretError);
      const message = (error as Error).message;
      expect(message).toMatch(where);
      expect(message).toMatch(/Re-save it as one line/);
      expect(message).toContain('aws secretsmanager put-secret-value --secret-id op/token');
      expectNoTokenPiece(message, GOOD);
    }
  });

  it('is never cached: the fixed secret is used on the next read', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: broken('\n') })
      .resolves({ SecretString: GOOD });
    const source = new SecretsManagerTokenSource(new SecretsManagerClient({}), 'op/token', 600_000);
    await expect(source.get()).rejects.toThrow(/a line break \(U\+000A\) at character 61/);
    expect(await source.get()).toBe(GOOD);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

/** Three distinct tokens of a real token's length. */
const [ONE, TWO, ROTATED] = ['1', '2', '3'].map((end) => `${GOOD}${end}`) as [string, string, string];

describe('SecretsManagerTokenSource', () => {
  it('caches the token for its maximum age, then reads again', async () => {
    let now = 0;
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: ONE }).resolves({ SecretString: TWO });
    const source = new SecretsManagerTokenSource(new SecretsManagerClient({}), 'tok', 60_000, () => now);
    expect(await source.get()).toBe(ONE);
    now = 59_999;
    expect(await source.get()).toBe(ONE);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now = 60_000;
    expect(await source.get()).toBe(TWO);
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'tok' });
  });

  it('refresh re-reads and says whether the token changed', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: ONE })
      .resolvesOnce({ SecretString: ONE })
      .resolves({ SecretString: ROTATED });
    const source = new SecretsManagerTokenSource(new SecretsManagerClient({}), 'tok', 600_000);
    await source.get();
    expect(await source.refresh()).toBe(false);
    expect(await source.refresh()).toBe(true);
    expect(await source.get()).toBe(ROTATED);
  });

  it.each([
    [
      'ResourceNotFoundException',
      /Secret tok does not exist\. Check TOKEN_SECRET_ID\. Set it with: aws secretsmanager/,
    ],
    ['AccessDeniedException', /may not read secret tok: grant it secretsmanager:GetSecretValue/],
    ['DecryptionFailure', /cannot be read \(DecryptionFailure\)/],
  ])('turns %s into a clear SecretError', async (name, message) => {
    secrets.on(GetSecretValueCommand).rejects(awsError(name));
    const source = new SecretsManagerTokenSource(new SecretsManagerClient({}), 'tok', 1000);
    await expect(source.get()).rejects.toThrow(SecretError);
    await expect(source.get()).rejects.toThrow(message);
  });
});
