import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget } from '../context';
import { ExitCode, UsageError } from '../exit-codes';
import { parseEventType } from '../inputs';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { JSON_OPTION, TABLE_OPTIONS, TYPE_OPTION } from '../shared-options';

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const type = parseEventType(stringValue(args, 'type'));
  const target = resolveTarget(args, context.env);
  const table = await openCursorTable(target, args, {
    purpose: `op-events accept-account --type ${type}`,
    now: context.now,
  });
  try {
    const before = await table.store.read(type);
    if (!before.accountUuid) {
      throw new UsageError(
        `${type} in ${table.where} has no account recorded yet (the next run records the token's). Nothing was changed.`,
      );
    }
    await table.store.acceptAccount(type);
    if (flag(args, 'json')) {
      out.line(JSON.stringify({ type, where: table.where, forgottenAccount: before.accountUuid }));
      return ExitCode.Ok;
    }
    out.line(`Forgot account ${before.accountUuid} for ${type} in ${table.where}.`);
    out.line(
      'The next run records the account of the token in the secret and continues; if the stored cursor belongs to the old account, the API rejects it and the run restarts from the newest delivered event minus the overlap.',
    );
    return ExitCode.Ok;
  } finally {
    await table.close();
  }
}

export const acceptAccountCommand: Command = {
  spec: {
    name: 'accept-account',
    brief: "Accept the token's new 1Password account for a type.",
    usage: 'op-events accept-account --type TYPE [--json] [--state-dir DIR | --stack NAME | --table NAME]',
    summary:
      'After runs fail with "belongs to 1Password account X, but ... collected from account Y": confirms that the new account is intended. The next run records it and continues.',
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
  run,
};
