import type { Command, CommandContext } from './command';
import type { ExitCode } from './exit-codes';
import type { Output } from './io';
import { type CommandLineSpec, flag, type ParsedCommandLine } from './options';

/** What a command found out, before anything is printed; its exit code says how it went. */
export interface CommandResult {
  readonly exitCode: ExitCode;
}

/** Text that is already one JSON value and must be printed exactly as it came (an API's own line). */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * One form of a result: stdout lines, and notes for the person on stderr: `lead` before the lines
 * (what to know before reading them), `notes` after (diagnostics, what to do).
 */
export interface Shown<Line> {
  readonly lead?: readonly string[];
  readonly lines: readonly Line[];
  readonly notes?: readonly string[];
}

/**
 * How a command's result is shown: as text for a person, or for --json as one JSON value per stdout
 * line (a JsonText as it is). Views only arrange what the result holds: they ask nothing and change nothing.
 */
export interface ResultView<R> {
  text(result: R): Shown<string>;
  /** Undefined for a result that has no JSON form: its text is printed instead. */
  json(result: R): Shown<unknown> | undefined;
}

/** The lines a result prints in the chosen form: JSON values become one exact JSON text each. */
function printed<R>(view: ResultView<R>, result: R, json: boolean): Shown<string> {
  const shown = json ? view.json(result) : undefined;
  if (!shown) return view.text(result);
  const lines = shown.lines.map((v) => (v instanceof JsonText ? v.text : JSON.stringify(v)));
  return { ...shown, lines };
}

/** The one renderer: prints a result as text, or as JSON lines with --json (all through Output). */
export function render<R>(out: Output, view: ResultView<R>, result: R, json: boolean): void {
  const { lead = [], lines, notes = [] } = printed(view, result, json);
  for (const note of lead) out.note(note);
  for (const line of lines) out.line(line);
  for (const note of notes) out.note(note);
}

/** A command that gathers one result and hands it to the renderer: `gather` never prints a result. */
export function resultCommand<R extends CommandResult>(
  spec: CommandLineSpec,
  gather: (args: ParsedCommandLine, context: CommandContext) => Promise<R>,
  view: ResultView<R>,
): Command {
  return {
    spec,
    async run(args, context) {
      const result = await gather(args, context);
      render(context.out, view, result, flag(args, 'json'));
      return result.exitCode;
    },
  };
}
