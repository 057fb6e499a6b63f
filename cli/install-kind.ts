import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Defined as `true` in the installed package's bundle (scripts/build-cli.ts); undefined in the sources. */
declare const OP_EVENTS_BUNDLE: boolean | undefined;

/**
 * How this CLI runs: `clone` from the repository's TypeScript sources (`npm start`, `npx op-events`
 * in a clone), `installed` as the JavaScript bundle of the onepassword-events-to-s3-cli package.
 * It decides where local state lives by default and how messages spell a command.
 */
export type InstallKind = 'clone' | 'installed';

export const INSTALL_KIND: InstallKind =
  typeof OP_EVENTS_BUNDLE !== 'undefined' && OP_EVENTS_BUNDLE ? 'installed' : 'clone';

/**
 * Whether the installed package sits in a project's node_modules (`npm install`), where the shell
 * reaches the command only through `npx`, rather than in npm's global folder (`npm install -g`):
 * npm links a project's bins into the node_modules/.bin beside the package, global ones elsewhere.
 */
function installedInProject(): boolean {
  // This module is <package>/dist/op-events.mjs there: two folders up is the node_modules holding it.
  return existsSync(fileURLToPath(new URL('../../.bin/op-events', import.meta.url)));
}

/**
 * A command line as the user types it here: `op-events status` installed globally, `npx op-events
 * status` in a project or a clone; `start` in a clone is the README's `npm start` (`npm start -- ARGS`).
 */
export function commandLine(args: string, kind: InstallKind = INSTALL_KIND): string {
  if (kind === 'installed') return `${installedInProject() ? 'npx ' : ''}op-events ${args}`;
  const [name, ...rest] = args.split(' ');
  if (name === 'start') return rest.length ? `npm start -- ${rest.join(' ')}` : 'npm start';
  return `npx op-events ${args}`;
}
