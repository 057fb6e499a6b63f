import { CollectorError, describeError } from '../../shared/util/errors';
import { explainAwsError } from '../aws-errors';
import { CredentialsError } from '../exit-codes';

/** One line of `op-events verify`: what was checked, how it went, and what to do when it did not pass. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  /** What was checked, e.g. `collector itemusages`, `errors/ prefix`, `view signinattempts_unique`. */
  readonly check: string;
  readonly status: CheckStatus;
  /** What was found. Never a secret's value. */
  readonly detail: string;
  /** What to do about a warning or failure. */
  readonly fix?: string;
}

export const pass = (check: string, detail: string): CheckResult => ({ check, status: 'pass', detail });

export const warn = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'warn',
  detail,
  fix,
});

export const fail = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  status: 'fail',
  detail,
  fix,
});

/**
 * A check that could not be made (AWS refused the call, the resource is missing) fails with AWS's
 * reason; the fix names the permission, so a user with a narrower role knows what to ask for.
 */
export function couldNotCheck(check: string, error: unknown, doing: string, permission: string): CheckResult {
  const explained = explainAwsError(error, doing);
  const text = explained instanceof CollectorError ? explained.message : describeError(explained);
  const fix =
    explained instanceof CredentialsError
      ? `The check needs ${permission}; run verify with credentials that have it.`
      : 'Check that the stack deployed completely (aws cloudformation describe-stacks) and run verify again.';
  return fail(check, text, fix);
}
