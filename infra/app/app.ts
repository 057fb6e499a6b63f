import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { redactedError } from '../../shared/util/redaction';
import { ConfigurationError } from '../props/validation';
import { configFromContext, inContextKeys } from './context-settings';
import { OnePasswordEventsStack } from './onepassword-events-stack';

export interface BuildAppOptions {
  /** CDK context (as `-c key=value` would give); the CLI passes its own through the environment. */
  readonly context?: Record<string, unknown>;
  /** Cloud assembly directory. @default - CDK's default (cdk.out, or a temp dir outside the CLI) */
  readonly outdir?: string;
  /** Run the cdk-nag AwsSolutions pack as a validation plugin at synth. @default true */
  readonly nag?: boolean;
}

export interface BuiltApp {
  readonly app: App;
  readonly stack: OnePasswordEventsStack;
}

/** Builds the app: reads and validates context, creates the stack, registers cdk-nag. */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const app = new App({ context: options.context, outdir: options.outdir });
  const contextKeys = Object.keys({ ...options.context, ...readCliContextKeys() });
  const read = (key: string) => app.node.tryGetContext(key);
  const config = configFromContext(read, contextKeys);
  // Checks the construct makes while building (the functions' environment size) name the context key too.
  const stack = inContextKeys(
    read,
    () =>
      new OnePasswordEventsStack(app, config.stackName, {
        pipeline: config.pipeline,
        ...(config.alerts ? { alerts: config.alerts } : {}),
        env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
      }),
  );
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** Context keys the CDK CLI passed (it sets CDK_CONTEXT_JSON for the app process). */
function readCliContextKeys(): Record<string, unknown> {
  const raw = process.env.CDK_CONTEXT_JSON;
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  try {
    buildApp().app.synth();
  } catch (error) {
    // Any other error is rethrown with its message and stack redacted (a construct may quote a value).
    if (!(error instanceof ConfigurationError)) throw redactedError(error);
    // A bad -c value: one clear line naming the key, not a stack trace.
    console.error(`Configuration error: ${error.message}`);
    process.exitCode = 1;
  }
}
