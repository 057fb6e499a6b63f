import type { ExitCode } from './exit-codes';
import type { Interrupts } from './interrupts';
import type { Output } from './io';
import type { CommandLineSpec, ParsedCommandLine } from './options';

/** What every command gets: guarded output, the environment, the clock, and Ctrl-C. */
export interface CommandContext {
  readonly out: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
  readonly interrupts: Interrupts;
}

/**
 * One `op-events <name>` command: its command line (for parsing and --help) and what it does.
 * A command that ends in one result is made with `resultCommand` (cli/render.ts): it gathers a typed
 * result that prints nothing, and its view (commands/<name>-view.ts) arranges it as text or --json.
 */
export interface Command {
  readonly spec: CommandLineSpec;
  run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode>;
}
