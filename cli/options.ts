import { type ParseArgsConfig, parseArgs } from 'node:util';
import { commandLineRefusals } from './usage-errors';

/** One command-line option: how node:util parseArgs reads it, and how `--help` explains it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** Placeholder shown in help, e.g. `ISO`. */
  readonly value?: string;
  readonly short?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface CommandLineSpec {
  /** Command name as typed (`get`). */
  readonly name: string;
  readonly usage: string;
  /** One line for the command list of `op-events --help`. */
  readonly brief?: string;
  readonly summary: string;
  readonly options: OptionSpecs;
  /** How many positional arguments the command takes (0 when absent). */
  readonly positionals?: { readonly max: number; readonly description: string };
  /** Extra help text: what applies beyond the options, exit codes. */
  readonly details?: string;
  /** Command lines `--help` shows (at least one), each with what it does. */
  readonly examples: readonly CommandExample[];
}

/** One example of `--help`: `op-events <name> <args>` and what it does. */
export interface CommandExample {
  /** What follows `op-events <name>` (empty for the command alone); parsed by the tests. */
  readonly args: string;
  readonly does: string;
}

export interface ParsedCommandLine {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

export const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };

/**
 * Parses a command's arguments strictly (unknown options and stray arguments are usage errors that
 * name the command's --help). `--help` wins over everything else.
 */
export function parseCommandLine(spec: CommandLineSpec, argv: readonly string[]): ParsedCommandLine {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, option] of Object.entries({ ...spec.options, help: HELP_OPTION })) {
    options[name] = { type: option.type, ...(option.short ? { short: option.short } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    if (argv.includes('--help') || argv.includes('-h')) return { values: {}, positionals: [], help: true };
    throw commandLineRefusals.unparsable(friendlyParseError(error), helpCommand(spec));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { values, positionals: parsed.positionals, help: true };
  const max = spec.positionals?.max ?? 0;
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals.slice(max).map((p) => JSON.stringify(p));
    throw commandLineRefusals.unexpectedArguments(extra, helpCommand(spec));
  }
  return { values, positionals: parsed.positionals, help: false };
}

function helpCommand(spec: CommandLineSpec): string {
  return `op-events ${spec.name} --help`;
}

/** parseArgs messages name the option but talk about "parseArgs"; keep the useful part. */
function friendlyParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Unknown option ${unknown[1]}.`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `Option ${(missing[1] ?? '').replace(/^-\w, /, '')} needs a value.`;
  const noValue = /Option '([^']+)' does not take an argument/.exec(message);
  if (noValue) return `Option ${(noValue[1] ?? '').replace(/^-\w, /, '')} takes no value.`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `Unexpected argument ${JSON.stringify(positional[1])}.`;
  return message.replace(/\. To specify a positional argument.*$/s, '.');
}

export function renderHelp(spec: CommandLineSpec): string {
  const rows = Object.entries({ ...spec.options, help: HELP_OPTION }).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : '    ';
    const flag = `${short}--${name}${option.value ? ` <${option.value}>` : ''}`;
    return [flag, option.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const lines = [
    `Usage: ${spec.usage}`,
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
  ];
  if (spec.details) lines.push('', spec.details.trimEnd());
  lines.push('', 'Examples:');
  for (const example of spec.examples) {
    lines.push(`  ${exampleCommandLine(spec, example)}`, `      ${example.does}`);
  }
  return lines.join('\n');
}

export function exampleCommandLine(spec: CommandLineSpec, example: CommandExample): string {
  return `op-events ${spec.name}${example.args ? ` ${example.args}` : ''}`;
}

export function stringValue(parsed: ParsedCommandLine, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(parsed: ParsedCommandLine, name: string): boolean {
  return parsed.values[name] === true;
}
