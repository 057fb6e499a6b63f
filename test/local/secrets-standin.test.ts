import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretsStandIn } from '../../local/secrets-standin';
import { standInClientConfig } from './sdk-config';

const ARN_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:op/events-token-AbC123';

describe('SecretsStandIn', () => {
  let secrets: SecretsStandIn;
  let client: SecretsManagerClient;

  beforeEach(async () => {
    secrets = await SecretsStandIn.start({
      secrets: { 'op/token': 'bare-token', [ARN_SECRET]: '{"token":"json"}' },
    });
    client = new SecretsManagerClient(standInClientConfig(secrets, secrets.url, 200));
  });
  afterEach(async () => {
    client.destroy();
    await secrets.stop();
  });

  it('returns a secret by name, and by the ARN it reports', async () => {
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'op/token' }));
    expect(byName).toMatchObject({
      Name: 'op/token',
      SecretString: 'bare-token',
      ARN: expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:op\/token-[A-Za-z0-9]{6}$/),
      VersionId: expect.any(String),
    });
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: byName.ARN }));
    expect(byArn.SecretString).toBe('bare-token');
  });

  it('finds a secret configured by ARN under its ARN and its name', async () => {
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: ARN_SECRET }));
    expect(byArn).toMatchObject({
      ARN: ARN_SECRET,
      Name: 'op/events-token',
      SecretString: '{"token":"json"}',
    });
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'op/events-token' }));
    expect(byName.ARN).toBe(ARN_SECRET);
  });

  it('answers ResourceNotFoundException for a missing secret', async () => {
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('serves a new version after setSecret and counts calls', async () => {
    const before = await client.send(new GetSecretValueCommand({ SecretId: 'op/token' }));
    secrets.setSecret('op/token', 'rotated-token');
    const after = await client.send(new GetSecretValueCommand({ SecretId: 'op/token' }));
    expect(after.SecretString).toBe('rotated-token');
    expect(after.VersionId).not.toBe(before.VersionId);
    expect(after.ARN).toBe(before.ARN);
    secrets.deleteSecret('op/token');
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'op/token' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(secrets.getSecretValueCalls).toBe(3);
  });

  it('injects errors, cut connections and delays past the client timeout', async () => {
    secrets.enqueueFault(
      { kind: 'error', type: 'InternalServiceError', status: 500, message: 'boom' },
      { kind: 'reset' },
      { kind: 'delay', ms: 1_000 },
    );
    const get = () => client.send(new GetSecretValueCommand({ SecretId: 'op/token' }));
    await expect(get()).rejects.toMatchObject({
      name: 'InternalServiceError',
      $metadata: { httpStatusCode: 500 },
    });
    await expect(get()).rejects.toThrow();
    await expect(get()).rejects.toThrow(/timeout|timed out/i);
    expect((await get()).SecretString).toBe('bare-token');
  });

  it('follows a fault plan', async () => {
    secrets.setFaultPlan(({ n }) => (n === 1 ? { kind: 'error', type: 'ThrottlingException' } : undefined));
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'op/token' }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'op/token' }))).SecretString).toBe(
      'bare-token',
    );
  });
});
