import { type ParsedCommandLine, stringValue } from './options';

/** The options that chose where a command acted, to repeat them in a follow-up command it suggests. */
export function targetFlags(args: ParsedCommandLine): string {
  const parts: string[] = [];
  for (const name of ['state-dir', 'stack', 'table']) {
    const value = stringValue(args, name);
    if (value !== undefined)
      parts.push(`--${name} ${/^[\w./:@-]+$/.test(value) ? value : JSON.stringify(value)}`);
  }
  return parts.length > 0 ? ` ${parts.join(' ')}` : '';
}
