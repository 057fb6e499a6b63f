import { AccountChangedError, ConfigError, OutOfTimeError } from '../../util/errors';
import { quoteValue } from '../../util/redaction';

/**
 * The run room's errors, one named factory each: the logic says which it raises, and the text (what
 * is wrong, what to do) lives here. A configured value is quoted only through quoteValue: a
 * misplaced token may be one.
 */
export const runErrors = {
  /** An environment variable is unset or not what `expected` describes. */
  invalidSetting(name: string, expected: string, input: string | undefined) {
    return new ConfigError(
      `${name} must be ${expected} (${input === undefined ? 'it is not set' : `got ${quoteValue(input)}`}).`,
    );
  },
  /** START_TIME lies in the future; `problem` says by how much. */
  startTimeInFuture(problem: string) {
    return new ConfigError(
      `${problem} A first run starting there would skip every event from now until then. Leave ` +
        'START_TIME unset to start START_LOOKBACK_HOURS back.',
    );
  },
  /** The invocation has less time left than one page needs: the function timeout is too short. */
  tooLittleTimeForAPage(time: {
    leftMs: number;
    requestMs: number;
    reserveMs: number;
    minTimeoutSeconds: number;
  }) {
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    return new ConfigError(
      `This invocation had ${seconds(time.leftMs)} left, less than one page needs ` +
        `(${seconds(time.requestMs)} for a request and ${seconds(time.reserveMs)} for its delivery and ` +
        "commit). Raise the function timeout (the stack's collector.functionProps.timeout, at least " +
        `${time.minTimeoutSeconds} s).`,
    );
  },
  /**
   * A run that could not fetch a single page in its time (`why`): it must fail, or it would idle
   * silently forever.
   */
  noPageFitted(why: string) {
    return new OutOfTimeError(
      `${why} No page fitted in this invocation: raise the function timeout (the stack's ` +
        'collector.functionProps.timeout), or lower PAGE_SIZE so that a page comes back sooner.',
    );
  },
  /** The token belongs to another account than the one `type` has been collected from. */
  tokenOfAnotherAccount(type: string, accounts: { collected: string; token: string }) {
    return new AccountChangedError(
      `The token in the secret belongs to 1Password account ${accounts.token}, but ${type} has been ` +
        `collected from account ${accounts.collected} so far; nothing was collected. If the token was ` +
        'replaced by mistake, put the right one back. If the new account is intended, run ' +
        `"op-events accept-account --type ${type}" (with --stack or --table) and the next run ` +
        'continues with it.',
    );
  },
};
