import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget } from '../context';
import { ExitCode } from '../exit-codes';
import { parseEventType } from '../inputs';
import { type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import { JSON_OPTION, TABLE_OPTIONS, TYPE_OPTION } from '../shared-options';
import { cursorRowRefusals } from '../usage-errors';
import { type AccountForgotten, acceptAccountView } from './accept-account-view';

/** Forgets the account a type's row recorded, so that the next run records the token's. */
async function acceptAccount(args: ParsedCommandLine, context: CommandContext): Promise<AccountForgotten> {
  const type = parseEventType(stringValue(args, 'type'));
  const target = resolveTarget(args, context.env);
  const table = await openCursorTable(target, args, {
    purpose: `op-events accept-account --type ${type}`,
    now: context.now,
  });
  try {
    const before = await table.store.read(type);
    if (!before.accountUuid) throw cursorRowRefusals.noAccountRecorded(type, table.where);
    await table.store.acceptAccount(type);
    return { type, where: table.where, forgottenAccount: before.accountUuid, exitCode: ExitCode.Ok };
  } finally {
    await table.close();
  }
}

export const acceptAccountCommand: Command = resultCommand(
  {
    name: 'accept-account',
    brief: "Accept the token's new 1Password account for a type.",
    usage: 'op-events accept-account --type TYPE [--json] [--state-dir DIR | --stack NAME | --table NAME]',
    summary:
      'After runs fail with "belongs to 1Password account X, but ... collected from account Y": ' +
      'confirms that the new account is intended. The next run records it and continues.',
    options: { ...TYPE_OPTION, ...JSON_OPTION, ...TABLE_OPTIONS },
    details:
      'Refused while a run of that type holds the lease (exit code 1): try again when it has finished.',
    examples: [
      {
        args: '--type auditevents --stack OnePasswordEvents',
        does: "A deployed stack's audit events continue with the new account's token.",
      },
      {
        args: '--type itemusages --json',
        does: 'The same for the local state folder; the outcome as one JSON object.',
      },
    ],
  },
  acceptAccount,
  acceptAccountView,
);
