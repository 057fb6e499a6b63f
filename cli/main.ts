import { CollectorError, describeError } from '../shared/util/errors';
import type { Command } from './command';
import { acceptAccountCommand } from './commands/accept-account';
import { checkCommand } from './commands/check';
import { detectionsCommand } from './commands/detections';
import { getCommand } from './commands/get';
import { lookupsCommand } from './commands/lookups';
import { queryCommand } from './commands/query';
import { reportCommand } from './commands/report';
import { resetCommand } from './commands/reset';
import { startCommand } from './commands/start';
import { statusCommand } from './commands/status';
import { undoCommand } from './commands/undo';
import { verifyCommand } from './commands/verify';
import { ExitCode, exitCodeFor } from './exit-codes';
import { Interrupts, stopAtOnce } from './interrupts';
import { type CliIo, Output } from './io';
import { parseCommandLine, renderHelp } from './options';
import { defaultStateRoot, displayPath, onStateFolderWarning } from './state-dir';
import { TOKEN_VARIABLE } from './token-choice';
import { commandLineRefusals } from './usage-errors';
import { packageVersion, VERSION_FLAGS } from './version';

export const COMMANDS: Readonly<Record<string, Command>> = {
  start: startCommand,
  check: checkCommand,
  get: getCommand,
  status: statusCommand,
  reset: resetCommand,
  undo: undoCommand,
  'accept-account': acceptAccountCommand,
  query: queryCommand,
  report: reportCommand,
  lookups: lookupsCommand,
  verify: verifyCommand,
  detections: detectionsCommand,
};

function overview(env: CliIo['env']): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  return [
    'Usage: op-events <command> [options]     (op-events <command> --help for each)',
    '',
    'Operator CLI for the 1Password Events collector: local runs and deployed stacks (--stack).',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(
      ([name, c]) => `  ${name.padEnd(width)}${c.spec.brief ?? c.spec.summary}`,
    ),
    '',
    'Examples:',
    '  op-events start                                   collect demo data locally (state: ' +
      `${displayPath(defaultStateRoot(env))})`,
    '  op-events status --json                           where each type stands, as JSON',
    '  op-events query --named "Failed sign-ins"         a saved investigation over what was collected',
    '  op-events verify --stack OnePasswordEvents        check a deployed stack end to end',
    '',
    'Exit codes: 0 ok, 1 runtime failure, 2 usage or bad input, 3 token or credentials refused or ' +
      'lacking a feature,',
    '130 stopped by Ctrl-C. Results go to stdout (--json for JSON), progress and diagnostics to stderr.',
    'op-events --version prints the version.',
    `The token is read from ${TOKEN_VARIABLE} (or --secret-id, --stack, --demo) and is never printed.`,
  ].join('\n');
}

/** Runs one `op-events` command line; returns the exit code. Never throws. */
export async function main(
  argv: readonly string[],
  io: CliIo,
  now: () => number = Date.now,
): Promise<number> {
  const out = new Output(io);
  out.hide(io.env[TOKEN_VARIABLE]?.trim());
  onStateFolderWarning((text) => out.note(text));
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const text = overview(io.env);
    if (name === undefined) {
      out.note(text);
      return ExitCode.Usage;
    }
    out.line(text);
    return ExitCode.Ok;
  }
  if (VERSION_FLAGS.has(name)) {
    out.line(packageVersion());
    return ExitCode.Ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  const interrupts = new Interrupts(stopAtOnce(out, io.interrupt?.exit ?? (() => undefined)));
  const stopListening = io.interrupt?.listen(interrupts.fire);
  try {
    if (!command) {
      throw commandLineRefusals.unknownCommand(name, Object.keys(COMMANDS));
    }
    const args = parseCommandLine(command.spec, rest);
    if (args.help) {
      out.line(renderHelp(command.spec));
      return ExitCode.Ok;
    }
    return await command.run(args, { out, env: io.env, now, interrupts });
  } catch (error) {
    const text = error instanceof CollectorError ? error.message : describeError(error);
    out.note(`op-events ${command ? `${name}: ` : ''}${text}`);
    return exitCodeFor(error);
  } finally {
    stopListening?.();
  }
}
