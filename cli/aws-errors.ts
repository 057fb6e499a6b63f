import { CollectorError, describeError } from '../shared/util/errors';
import { CredentialsError, UsageError } from './exit-codes';

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'AccessDeniedException',
]);

/** What the CLI says when AWS fails it; `doing` completes "... while <doing>". */
export const awsFailures = {
  noRegion: (doing: string) =>
    new UsageError(
      `No AWS region is set, so the CLI cannot reach AWS while ${doing}. Set AWS_REGION (export ` +
        'AWS_REGION=eu-west-1) or give --region REGION (or set a region in your AWS profile).',
    ),
  credentialsRefused: (doing: string, error: unknown) =>
    new CredentialsError(
      `AWS refused the request while ${doing} (${describeError(error)}). Check your AWS credentials ` +
        '(AWS_PROFILE, aws sso login) and that they may do this.',
      error,
    ),
  noSuchResource: (doing: string, error: unknown) =>
    new UsageError(
      `AWS says the resource does not exist while ${doing} (${describeError(error)}). Check the name ` +
        'and AWS_REGION.',
    ),
};

/**
 * Turns an AWS SDK error into one the CLI reports with the right exit code: missing or refused
 * credentials (3), a resource that does not exist (2), anything else (1). `doing` completes
 * "... while <doing>".
 */
export function explainAwsError(error: unknown, doing: string): Error {
  if (error instanceof CollectorError) return error;
  const name = error instanceof Error ? error.name : '';
  // The SDK's region chain found none: bad input (exit 2), with the two ways to give one.
  if (error instanceof Error && /^Region is missing/.test(error.message)) {
    return awsFailures.noRegion(doing);
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return awsFailures.credentialsRefused(doing, error);
  }
  if (name === 'ResourceNotFoundException') {
    return awsFailures.noSuchResource(doing, error);
  }
  return error instanceof Error ? error : new Error(String(error));
}
