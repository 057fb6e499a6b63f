import type { EventType } from '../../shared/contracts/event-types';
import type { CommandResult, ResultView } from '../render';

/** What `op-events accept-account` changed: the account a type's row no longer holds. */
export interface AccountForgotten extends CommandResult {
  readonly type: EventType;
  readonly where: string;
  readonly forgottenAccount: string;
}

export const NEXT_RUN_RECORDS_ACCOUNT =
  'The next run records the account of the token in the secret and continues; if the stored cursor ' +
  'belongs to the old account, the API rejects it and the run restarts from the newest delivered event ' +
  'minus the overlap.';

export const acceptAccountView: ResultView<AccountForgotten> = {
  text: ({ type, where, forgottenAccount }) => ({
    lines: [`Forgot account ${forgottenAccount} for ${type} in ${where}.`, NEXT_RUN_RECORDS_ACCOUNT],
  }),
  json: ({ type, where, forgottenAccount }) => ({ lines: [{ type, where, forgottenAccount }] }),
};
