import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretError } from '../../shared/errors';
import { SecretsManagerTokenSource, tokenFromSecretString } from '../../shared/token-source';

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());

function awsError(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

describe('tokenFromSecretString', () => {
  it('accepts a bare token or JSON with a token key', () => {
    expect(tokenFromSecretString('s', '  eyJabc.def.ghi \n')).toBe('eyJabc.def.ghi');
    expect(tokenFromSecretString('s', '{"token":"eyJabc.def.ghi","note":"x"}')).toBe('eyJabc.def.ghi');
  });

  it.each([
    [undefined, /has no value. Set it with: aws secretsmanager put-secret-value --secret-id s/],
    ['   ', /has no value/],
    ['{"token": ""}', /without a non-empty "token" key/],
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

describe('SecretsManagerTokenSource', () => {
  it('caches the token for its maximum age, then reads again', async () => {
    let now = 0;
    secrets.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'one' }).resolves({ SecretString: 'two' });
    const source = new SecretsManagerTokenSource(new SecretsManagerClient({}), 'tok', 60_000, () => now);
    expect(await source.get()).toBe('one');
    now = 59_999;
    expect(await source.get()).toBe('one');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now = 60_000;
    expect(await source.get()).toBe('two');
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'tok' });
  });

  it('refresh re-reads and says whether the token changed', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'one' })
      .resolvesOnce({ SecretString: 'one' })
      .resolves({ SecretString: 'rotated' });
    const source = new SecretsManagerTokenSource(new SecretsManagerClient({}), 'tok', 600_000);
    await source.get();
    expect(await source.refresh()).toBe(false);
    expect(await source.refresh()).toBe(true);
    expect(await source.get()).toBe('rotated');
  });

  it.each([
    ['ResourceNotFoundException', /Secret tok does not exist. Check TOKEN_SECRET_ID/],
    ['AccessDeniedException', /may not read secret tok: grant it secretsmanager:GetSecretValue/],
    ['DecryptionFailure', /cannot be read \(DecryptionFailure\)/],
  ])('turns %s into a clear SecretError', async (name, message) => {
    secrets.on(GetSecretValueCommand).rejects(awsError(name));
    const source = new SecretsManagerTokenSource(new SecretsManagerClient({}), 'tok', 1000);
    await expect(source.get()).rejects.toThrow(SecretError);
    await expect(source.get()).rejects.toThrow(message);
  });
});
