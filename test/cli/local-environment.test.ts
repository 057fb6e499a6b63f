import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalEnvironment } from '../../cli/local-environment';
import { LOCAL_NAMES } from '../../cli/local-services';
import { resolveStateDir } from '../../cli/state-dir';
import { postRaw } from '../support/raw-post';
import { removeTempDirs, tempDir } from './cli-harness';

const TOKEN =
  'eyJhbGciOiJFUzI1NiJ9.eyJzZWNyZXQiOiJsb2NhbC1ydW4tdG9rZW4ifQ.bG9jYWwtcnVuLXNpZ25hdHVyZS12YWx1ZQ';

afterAll(() => removeTempDirs());

/** GetSecretValue as another local process would send it: no signature, just the JSON call. */
const unsignedGetSecretValue = (endpoint: string) =>
  postRaw(
    endpoint,
    { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
    JSON.stringify({ SecretId: LOCAL_NAMES.tokenSecret }),
  );

describe('the local environment of npm start', () => {
  it('gives the collector per-run random credentials, and the stand-ins answer nothing else', async () => {
    const env: NodeJS.ProcessEnv = {};
    const first = await startLocalEnvironment(resolveStateDir(tempDir(), {}), TOKEN, env, 'test');
    try {
      expect(env.AWS_ACCESS_KEY_ID).toMatch(/^[A-Z0-9]{20}$/);
      expect(env.AWS_SECRET_ACCESS_KEY?.length).toBeGreaterThanOrEqual(40);
      const endpoint = env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? '';
      expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const refused = await unsignedGetSecretValue(endpoint);
      expect(refused.status).toBe(403);
      expect(refused.body).not.toContain(TOKEN);

      const client = new SecretsManagerClient({
        endpoint,
        region: env.AWS_REGION,
        credentials: {
          accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
        },
        maxAttempts: 1,
      });
      try {
        const answer = await client.send(new GetSecretValueCommand({ SecretId: LOCAL_NAMES.tokenSecret }));
        expect(answer.SecretString).toBe(TOKEN);
      } finally {
        client.destroy();
      }
    } finally {
      await first.stop();
    }

    const again: NodeJS.ProcessEnv = {};
    const second = await startLocalEnvironment(resolveStateDir(tempDir(), {}), TOKEN, again, 'test');
    await second.stop();
    expect(again.AWS_ACCESS_KEY_ID).not.toBe(env.AWS_ACCESS_KEY_ID);
    expect(again.AWS_SECRET_ACCESS_KEY).not.toBe(env.AWS_SECRET_ACCESS_KEY);
  });
});
