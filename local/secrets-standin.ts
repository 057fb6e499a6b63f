import { createHash, randomUUID } from 'node:crypto';
import { SECRETS_MANAGER } from '../shared/contracts/aws-limits';
import { AwsJsonServer, AwsServiceError, requireString } from './aws-json-server';
import { AwsStandIn } from './aws-standin';
import type { LocalCredentials } from './request-auth';

export interface SecretsStandInOptions {
  /** Secret value by name or full ARN. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly port?: number;
  readonly latencyMs?: number;
  /** The only credentials whose signed requests are answered. @default - new random ones */
  readonly credentials?: LocalCredentials;
  readonly region?: string;
  readonly accountId?: string;
}

interface StoredSecret {
  readonly name: string;
  readonly arn: string;
  readonly value: string;
  readonly versionId: string;
  readonly createdDate: number;
}

const ARN_PATTERN = /^arn:aws:secretsmanager:[^:]+:\d{12}:secret:(.+)$/;

/** Secrets Manager on 127.0.0.1: GetSecretValue by name or ARN, as the SDK client calls it. */
export class SecretsStandIn extends AwsStandIn {
  private readonly byName = new Map<string, StoredSecret>();

  private constructor(
    server: AwsJsonServer,
    private readonly region: string,
    private readonly accountId: string,
  ) {
    super();
    this.server = server;
  }

  static async start(options: SecretsStandInOptions = {}): Promise<SecretsStandIn> {
    let self: SecretsStandIn | undefined;
    const server = await AwsJsonServer.start({
      targetPrefix: 'secretsmanager',
      maxRequestBytes: SECRETS_MANAGER.maxGetSecretValueRequestBytes,
      port: options.port,
      latencyMs: options.latencyMs,
      credentials: options.credentials,
      operations: { GetSecretValue: (input) => self?.getSecretValue(input) },
    });
    self = new SecretsStandIn(server, options.region ?? 'us-east-1', options.accountId ?? '000000000000');
    for (const [id, value] of Object.entries(options.secrets ?? {})) self.setSecret(id, value);
    return self;
  }

  /** GetSecretValue calls received, faulted ones included. */
  get getSecretValueCalls(): number {
    return this.server.calls('GetSecretValue');
  }

  /** Creates the secret or stores a new version of it (a new VersionId, as a rotation would). */
  setSecret(id: string, value: string): void {
    const arnName = ARN_PATTERN.exec(id)?.[1];
    const name = arnName ? arnName.replace(/-[A-Za-z0-9]{6}$/, '') : id;
    const arn = arnName ? id : this.arnFor(name);
    this.byName.set(name, { name, arn, value, versionId: randomUUID(), createdDate: Date.now() / 1000 });
  }

  deleteSecret(id: string): void {
    const secret = this.find(id);
    if (secret) this.byName.delete(secret.name);
  }

  private getSecretValue(input: Record<string, unknown>): unknown {
    const secret = this.find(requireString(input, 'SecretId'));
    if (!secret) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      SecretString: secret.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdDate,
    };
  }

  private find(id: string): StoredSecret | undefined {
    return this.byName.get(id) ?? [...this.byName.values()].find((secret) => secret.arn === id);
  }

  /** Real ARNs end in a dash and six random characters; these are derived from the name. */
  private arnFor(name: string): string {
    const suffix = createHash('sha256').update(name).digest('base64url').replace(/[-_]/g, 'x').slice(0, 6);
    return `arn:aws:secretsmanager:${this.region}:${this.accountId}:secret:${name}-${suffix}`;
  }
}
