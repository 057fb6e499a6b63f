import {
  AuthError,
  CollectorError,
  ConfigError,
  HostNotAllowedError,
  SecretError,
} from '../shared/util/errors';

/** Exit codes of `op-events` (documented in docs/local-and-cli.md). */
export const ExitCode = {
  /** Done as asked. */
  Ok: 0,
  /** Something failed while running: API unreachable, delivery failed, a run in progress, a query error. */
  Failure: 1,
  /** The command line or the environment is wrong: unknown option, bad type or date, missing token. */
  Usage: 2,
  /** The token (or AWS credentials) was refused, expired, or lacks a feature the command needs. */
  Auth: 3,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it); the state lock is released first. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input on the command line or in the environment; the message says what is wrong and what to do. */
export class UsageError extends CollectorError {
  constructor(message: string) {
    super('usage', message, { needsOperator: true });
  }
}

/** The token or AWS credentials were refused (exit code 3). */
export class CredentialsError extends CollectorError {
  constructor(message: string, cause?: unknown) {
    super('credentials', message, { needsOperator: true, cause });
  }
}

/** Maps any thrown value to the exit code the CLI documents. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof HostNotAllowedError) {
    return ExitCode.Usage;
  }
  if (error instanceof AuthError || error instanceof SecretError || error instanceof CredentialsError) {
    return ExitCode.Auth;
  }
  return ExitCode.Failure;
}
