import { SERVICE_NAME } from '../shared/collector/run/telemetry';
import { firehoseDirectPutQuota } from '../shared/contracts/aws-limits';
import { METRICS_NAMESPACE } from '../shared/contracts/metric-names';
import type { PipelineHarness } from '../test/support/pipeline-harness';

/**
 * Credentials and region that can only ever reach the loopback stand-ins: the SDK clients get
 * endpoints on 127.0.0.1 and these fake keys, never a profile, SSO session or instance role.
 */
export const FAKE_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHMARKONLY',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-not-a-real-key',
  AWS_EC2_METADATA_DISABLED: 'true',
} as const;

const AMBIENT_AWS_VARIABLES = [
  'AWS_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
];

/** Makes this process's AWS SDK clients unable to find real credentials. */
export function isolateFromAws(): void {
  for (const name of AMBIENT_AWS_VARIABLES) delete process.env[name];
  Object.assign(process.env, FAKE_AWS_ENV);
}

/**
 * The benchmarks measure the collector, not Firehose's quota: their streams have a quota raised far
 * above what one run can send (the collector is told so), so pacing never waits. The strict
 * default quota is what the tests and the local run use.
 */
export const BENCH_FIREHOSE_QUOTA_MIB = 1000;
export const BENCH_FIREHOSE_QUOTA = firehoseDirectPutQuota(FAKE_AWS_ENV.AWS_REGION, BENCH_FIREHOSE_QUOTA_MIB);

export interface CollectorEnvOptions {
  /** Overrides the DynamoDB endpoint (a counting proxy in front of dynalite). */
  readonly dynamoEndpoint?: string;
  /** The Lambda memory size, as the runtime announces it to the function. */
  readonly memoryMb: number;
}

/**
 * The whole environment of a collector process: the harness's collector settings, its loopback
 * endpoints, fake credentials, and what the Lambda runtime and the stack would add. Nothing is
 * inherited from this process.
 */
export function collectorProcessEnv(
  harness: PipelineHarness,
  settings: Record<string, string>,
  options: CollectorEnvOptions,
): Record<string, string> {
  return {
    ...settings,
    FIREHOSE_QUOTA_MIB_PER_SECOND: String(BENCH_FIREHOSE_QUOTA_MIB),
    ...FAKE_AWS_ENV,
    // The stand-ins answer only requests signed with the harness's own credentials.
    AWS_ACCESS_KEY_ID: harness.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: harness.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpoint ?? harness.dynalite.endpoint,
    AWS_ENDPOINT_URL_FIREHOSE: harness.firehose.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: harness.secrets.url,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  };
}
