import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { packageFile } from './package-files';

/** Values of POWERTOOLS_SERVICE_NAME: the names the collectors' and the scheduled rules' telemetry use. */
export { SCHEDULED_RULES_SERVICE_NAME, SERVICE_NAME } from '../../shared/collector/run/telemetry';

/**
 * Secure, cost-aware defaults for each collector function (AWS Solutions Constructs style:
 * one place, overridable through `collector.functionProps`).
 */
export const COLLECTOR_FUNCTION_DEFAULTS = {
  /** Newest Node.js runtime this aws-cdk-lib knows (cdk-nag AwsSolutions-L1); 22 is the floor. */
  runtime: lambda.Runtime.NODEJS_24_X,
  /** Graviton: about 20% cheaper per GB-second than x86 for the same work. */
  architecture: lambda.Architecture.ARM_64,
  /**
   * 1024 MB, chosen by measurement (bench/RESULTS.md, "Memory size"): Lambda's CPU share grows with
   * memory, and a run behind is CPU-bound at the smaller sizes. 1024 MB is the smallest size at which
   * one run keeps up with the whole request budget (300 pages of 1,000 events a minute), so a type
   * behind alone drains at the account's limit; at 256 MB it drained at about 40% of it. Memory itself
   * is not the reason: a run holds at most three pages, about 150 MB at its peak. Draining costs about
   * the same per event at any size while CPU-bound; a caught-up run costs a few cents a month more.
   */
  memorySize: 1024,
  /**
   * The function timeout follows the schedule (infra/defaults/catch-up.ts, runTimeoutSecondsFor): the
   * interval minus 10 s, at most Lambda's 900 s, 50 s for a cron expression; `rate(1 minute)` gives
   * 50 s. It is a run's time bound while behind: the collector stops requesting pages 5 s before it,
   * and its lease ends with it, so a run is over before the next tick.
   * `collector.functionProps.timeout` overrides it.
   */
  /** No async retries: the next scheduled run is the retry, and it resumes from the stored cursor. */
  retryAttempts: 0,
  /** The shortest Lambda allows: a stale invocation is dropped rather than run late. */
  maxEventAge: Duration.seconds(60),
  /** Log retention of each function's log group. */
  logRetention: RetentionDays.THREE_MONTHS,
} as const;

/**
 * esbuild bundling on this machine (never Docker): one minified ESM file with the AWS SDK inside,
 * so the code runs with the SDK version it was tested with, not whatever the runtime ships.
 */
export function defaultCollectorBundling(sourceMap: boolean): BundlingOptions {
  return {
    forceDockerBundling: false,
    minify: true,
    // Error classes log by name (ConfigError, AuthError, ...): minified names would say "Cn".
    keepNames: true,
    sourceMap,
    format: OutputFormat.ESM,
    mainFields: ['module', 'main'],
    // Some CommonJS dependencies call require() at run time; ESM output needs a require of its own.
    banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    bundleAwsSDK: true,
    // Lambda provides credentials in the environment: the SDK's default chain is dead weight there.
    // Paths in this package, not the working directory: a consumer's app synthesizes from its own.
    esbuildArgs: {
      '--alias:@aws-sdk/credential-provider-node': packageFile('functions/lambda-credentials.ts'),
    },
    tsconfig: packageFile('tsconfig.json'),
    externalModules: [],
    metafile: false,
  };
}
