import { Stack, Token } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { LAMBDA } from '../../shared/contracts/aws-limits';
import { ALERT_ENV } from '../../shared/detections/alert-config';
import { ConfigurationError } from './validation';

/**
 * Lambda refuses a function whose environment variables take more than 4 KB together ("Function
 * environment variables: 4 KB, for all environment variables associated with the function, in
 * aggregate", Lambda quotas, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html;
 * LAMBDA.maxEnvironmentBytes), and only at deploy. What it measures is the variables as JSON text:
 * its InvalidParameterValueException quotes that text as the "String measured".
 */
const LIMIT = LAMBDA.maxEnvironmentBytes;

/**
 * Bytes a value known only at deploy is counted as: the names and ARNs CloudFormation fills in (the
 * token secret's ARN, the cursor table's and delivery stream's names) are about 60 to 110 characters.
 */
export const DEPLOY_TIME_VALUE_BYTES = 128;

/** A function's environment variables as Lambda measures them: JSON text, in UTF-8 bytes. */
export function environmentBytes(variables: Readonly<Record<string, unknown>>): number {
  const counted = Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      typeof value === 'string' && !Token.isUnresolved(value) ? value : 'x'.repeat(DEPLOY_TIME_VALUE_BYTES),
    ]),
  );
  return Buffer.byteLength(JSON.stringify(counted), 'utf8');
}

/** The function's environment variables as the template will hold them (deploy-time values as tokens). */
function variablesOf(fn: lambda.Function): Record<string, unknown> {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const environment = Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, unknown> };
  return environment?.variables ?? {};
}

const n = (value: number) => value.toLocaleString('en-US');

/** The over-sized environments, and what to do: the detection settings are what grows. */
function environmentTooLarge(
  oversized: readonly { path: string; bytes: number; settingsBytes: number }[],
): ConfigurationError {
  const functions = oversized
    .map((f) => `${f.path} (${n(f.bytes)} bytes, ${ALERT_ENV.settings} ${n(f.settingsBytes)} of them)`)
    .join(', ');
  // What the settings may take beside the function's other variables, in the tightest function.
  const room = Math.min(...oversized.map((f) => LIMIT - (f.bytes - f.settingsBytes)));
  return new ConfigurationError(
    'detections.settings',
    `make the environment of ${oversized.length === 1 ? 'function' : 'functions'} ${functions} larger ` +
      `than Lambda's ${n(LIMIT)} bytes for all environment variables together (Lambda quotas), which ` +
      'it would refuse at deploy. The settings that differ from the defaults travel in ' +
      `${ALERT_ENV.settings}, which has room for about ${n(Math.max(room, 0))} bytes: shorten the ` +
      'watchlists (vaults, groups, items, itemTitles) or the client allow-list, or leave out what ' +
      // The CDK app writes its context key for the prop (infra/app/context-settings.ts inContextKeys).
      'equals the default, in detections.settings. Values known only at deploy are counted at ' +
      `${DEPLOY_TIME_VALUE_BYTES} bytes each.`,
  );
}

/** Refuses at synth the functions whose environment Lambda would refuse at deploy, naming each. */
export function refuseOversizedEnvironments(functions: readonly lambda.Function[]): void {
  const oversized = functions.flatMap((fn) => {
    const variables = variablesOf(fn);
    const bytes = environmentBytes(variables);
    const settings = variables[ALERT_ENV.settings];
    const settingsBytes = typeof settings === 'string' ? Buffer.byteLength(settings, 'utf8') : 0;
    return bytes > LIMIT ? [{ path: fn.node.path, bytes, settingsBytes }] : [];
  });
  if (oversized.length > 0) throw environmentTooLarge(oversized);
}
