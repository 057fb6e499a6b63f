import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretError } from './errors';

/** Supplies the Events API bearer token. */
export interface TokenSource {
  get(): Promise<string>;
  /** Reads the secret again (after a 401); true when the token changed. */
  refresh(): Promise<boolean>;
}

const SET_IT = (secretId: string) =>
  `Set it with: aws secretsmanager put-secret-value --secret-id ${secretId} --secret-string "<your 1Password Events API token>"`;

/** The secret's value is the bare token, or JSON with a `token` key. */
export function tokenFromSecretString(secretId: string, value: string | undefined): string {
  const trimmed = (value ?? '').trim();
  if (trimmed === '') throw new SecretError(`Secret ${secretId} has no value. ${SET_IT(secretId)}`);
  if (!trimmed.startsWith('{')) return trimmed;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw new SecretError(
      `Secret ${secretId} starts with "{" but is not valid JSON. Store the bare token or {"token": "..."}.`,
    );
  }
  const token = (parsed as { token?: unknown }).token;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new SecretError(
      `Secret ${secretId} is JSON without a non-empty "token" key. Store the bare token or {"token": "..."}.`,
    );
  }
  return token.trim();
}

/**
 * Reads the token from Secrets Manager and keeps it for a short while across warm invocations, so a
 * rotated token is picked up within `maxAgeMs` (and at once after a 401, through `refresh`).
 */
export class SecretsManagerTokenSource implements TokenSource {
  private cached: { token: string; readAt: number } | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.cached && this.now() - this.cached.readAt < this.maxAgeMs) return this.cached.token;
    const token = await this.read();
    this.cached = { token, readAt: this.now() };
    return token;
  }

  async refresh(): Promise<boolean> {
    const previous = this.cached?.token;
    this.cached = undefined;
    return (await this.get()) !== previous;
  }

  private async read(): Promise<string> {
    try {
      const answer = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      return tokenFromSecretString(this.secretId, answer.SecretString);
    } catch (error) {
      if (error instanceof SecretError) throw error;
      const name = error instanceof Error ? error.name : '';
      if (name === 'ResourceNotFoundException') {
        throw new SecretError(
          `Secret ${this.secretId} does not exist. Check TOKEN_SECRET_ID, then ${SET_IT(this.secretId)}`,
          error,
        );
      }
      if (name === 'AccessDeniedException') {
        throw new SecretError(
          `This function may not read secret ${this.secretId}: grant it secretsmanager:GetSecretValue on that secret.`,
          error,
        );
      }
      if (name === 'InvalidRequestException' || name === 'DecryptionFailure') {
        throw new SecretError(
          `Secret ${this.secretId} cannot be read (${name}): it may be scheduled for deletion or its KMS key unusable.`,
          error,
        );
      }
      throw new SecretError(`Reading secret ${this.secretId} failed: ${name || 'unknown error'}.`, error);
    }
  }
}
