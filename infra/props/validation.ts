import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkEventsOrigin } from '../../shared/collector/events-api/events-host';
import { ATHENA } from '../../shared/contracts/aws-limits';
import { redactSecrets } from '../../shared/util/redaction';
import { parseTimestamp } from '../../shared/util/timestamp';
import { parseRateExpression } from '../defaults/catch-up';

/**
 * Checks shared by the construct (props) and the app (CDK context). Every error names the key
 * the user set, so `-c pageSize=0` fails with `Invalid "pageSize": ...`, and goes through the
 * collector's redaction: a token given in the wrong place is not repeated at synth either. An error
 * about a construct's props also names the construct by its path, first, as aws-cdk-lib's own
 * validation errors do: `SecurityLake/Audit: Invalid "storage.retentionDays": ...`.
 */
export class ConfigurationError extends Error {
  /** The path of the construct whose props were refused; undefined for a CDK context key. */
  readonly constructPath?: string;

  constructor(
    readonly key: string,
    readonly detail: string,
    scope?: { readonly node: { readonly path: string } },
  ) {
    super(redactSecrets(`${scope ? `${scope.node.path}: ` : ''}Invalid "${key}": ${detail}`));
    this.name = 'ConfigurationError';
    this.constructPath = scope?.node.path;
  }

  /** This error with its key and detail reworded by `words` (the construct it names kept). */
  reworded(words: (text: string) => string): ConfigurationError {
    const path = this.constructPath;
    return new ConfigurationError(words(this.key), words(this.detail), path ? { node: { path } } : undefined);
  }

  /** This error as raised by `scope` (an error that names a construct already keeps it). */
  at(scope: IConstruct): ConfigurationError {
    return this.constructPath === undefined ? new ConfigurationError(this.key, this.detail, scope) : this;
  }
}

/** Runs `resolve`, naming `scope` in the configuration error it throws. */
export function withConstructPath<T>(scope: IConstruct, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    throw error instanceof ConfigurationError ? error.at(scope) : error;
  }
}

/**
 * A value known only at deploy: a reference to a resource of the same app, a parameter, an import.
 * Its format cannot be checked at synth, so the checks below pass it on as it is; what uses it at
 * run time checks it there (the collector checks the events host and start time when it starts).
 */
const unresolved = (value: unknown): boolean => Token.isUnresolved(value);

/** Refuses a token where the stack needs the value itself at synth, saying why. */
export function requireKnownAtSynth(key: string, value: unknown, why: string): void {
  if (unresolved(value)) {
    throw new ConfigurationError(
      key,
      `must be known at synth, not a token (a reference or parameter): ${why}`,
    );
  }
}

/**
 * The token is sent to this host, so a configurable URL is an exfiltration path: only 1Password's
 * events hosts are accepted, over https (the collector's own check, without the loopback opt-in).
 */
export function checkEventsApiUrl(key: string, value: string): string {
  if (unresolved(value)) return value;
  try {
    return checkEventsOrigin(value, false, key);
  } catch (error) {
    throw new ConfigurationError(key, error instanceof Error ? error.message : String(error));
  }
}

/** RFC 3339 as the collector parses it (shared/util/timestamp.ts), so the stack and the run agree. */
export function checkStartTime(key: string, value: string): string {
  if (unresolved(value)) return value;
  if (parseTimestamp(value) === undefined) {
    throw new ConfigurationError(
      key,
      `must be an RFC 3339 time such as 2026-01-01T00:00:00Z (got "${value}")`,
    );
  }
  return value;
}

const CRON = /^cron\((\S+ ){5}\S+\)$/;

/** EventBridge Scheduler expressions: `rate(1 minute)`, `rate(5 minutes)`, `cron(0/2 * * * ? *)`. */
export function checkScheduleExpression(key: string, value: string): string {
  requireKnownAtSynth(key, value, 'the schedule sets the function timeout');
  const rate = parseRateExpression(value);
  if (rate) {
    const { amount, unit } = rate;
    if (amount < 1) throw new ConfigurationError(key, `rate must be at least 1 (got "${value}")`);
    if (amount === 1 && unit.endsWith('s')) {
      throw new ConfigurationError(key, `use the singular unit for 1, e.g. rate(1 minute) (got "${value}")`);
    }
    if (amount > 1 && !unit.endsWith('s')) {
      throw new ConfigurationError(key, `use the plural unit above 1, e.g. rate(5 minutes) (got "${value}")`);
    }
    return value;
  }
  if (CRON.test(value)) return value;
  throw new ConfigurationError(
    key,
    'must be an EventBridge Scheduler expression such as rate(1 minute), rate(5 minutes) or ' +
      `cron(0/5 * * * ? *) (got "${value}")`,
  );
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(key: string, value: string): string {
  if (unresolved(value)) return value;
  if (!EMAIL.test(value)) throw new ConfigurationError(key, `must be an e-mail address (got "${value}")`);
  return value;
}

const BUCKET_NAME = /^(?!xn--)(?!sthree-)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function checkBucketName(key: string, value: string): string {
  if (unresolved(value)) return value;
  if (!BUCKET_NAME.test(value)) {
    throw new ConfigurationError(
      key,
      `must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens; got "${value}")`,
    );
  }
  return value;
}

/** A complete secret ARN ends in `-` and the 6 characters Secrets Manager appends to the name. */
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

export function checkSecretArn(key: string, value: string): string {
  if (unresolved(value)) return value;
  if (!SECRET_ARN.test(value)) {
    throw new ConfigurationError(
      key,
      'must be the complete secret ARN, with the 6-character suffix ' +
        `(aws secretsmanager describe-secret --secret-id <name> --query ARN; got "${value}")`,
    );
  }
  return value;
}

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

export function checkKmsKeyArn(key: string, value: string): string {
  if (unresolved(value)) return value;
  if (!KMS_KEY_ARN.test(value)) {
    throw new ConfigurationError(
      key,
      `must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; got "${value}")`,
    );
  }
  return value;
}

const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[A-Za-z0-9+=,.@_/-]{1,512}$/;

/** A KMS key policy names principals by ARN: roles and users only (no wildcards, no account roots). */
export function checkPrincipalArns(key: string, values: readonly string[]): readonly string[] {
  if (unresolved(values)) return values;
  if (values.length === 0) throw new ConfigurationError(key, 'must name at least one IAM role or user ARN');
  for (const value of values) {
    if (!unresolved(value) && !IAM_PRINCIPAL_ARN.test(value)) {
      throw new ConfigurationError(
        key,
        `must list IAM role or user ARNs (arn:aws:iam::<account>:role/<name>; got "${value}")`,
      );
    }
  }
  if (new Set(values).size !== values.length) throw new ConfigurationError(key, 'lists an ARN twice');
  return values;
}

/** S3 Object Lock retention modes (Amazon S3 User Guide, "Object Lock retention modes"). */
export const OBJECT_LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE'] as const;
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

export function checkObjectLockMode(key: string, value: string): ObjectLockMode {
  const mode = value.toUpperCase();
  if (!(OBJECT_LOCK_MODES as readonly string[]).includes(mode)) {
    throw new ConfigurationError(key, `must be GOVERNANCE or COMPLIANCE (got "${value}")`);
  }
  return mode as ObjectLockMode;
}

/** Athena/Glue names: lower case, no dots, at most 255 bytes (shared/contracts/aws-limits.ts). */
const GLUE_NAME = ATHENA.namePattern;

export function checkGlueName(key: string, value: string): string {
  requireKnownAtSynth(key, value, 'each Athena view records its database by name');
  if (!GLUE_NAME.test(value)) {
    throw new ConfigurationError(
      key,
      `must hold lower-case letters, digits and underscores only (got "${value}")`,
    );
  }
  return value;
}
