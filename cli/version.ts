import { readFileSync } from 'node:fs';

/** The arguments that ask only for the version: `op-events --version` (or `-v`). */
export const VERSION_FLAGS: ReadonlySet<string> = new Set(['--version', '-v']);

/** The version in the package's package.json, which `op-events --version` prints. */
export function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
