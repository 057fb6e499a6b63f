import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  createOwnerOnlyFromNowOn,
  othersBits,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
} from '../local/private-files';
import { INSTALL_KIND, type InstallKind } from './install-kind';
import { stateDirRefusals } from './usage-errors';

/**
 * The repository root: in a clone, `npm start` and `op-events` find the default state folder here from any
 * cwd.
 */
export const PROJECT_ROOT = resolve(import.meta.dirname, '..');

export const STATE_DIR_VARIABLE = 'OP_EVENTS_STATE_DIR';

/**
 * Where a local run keeps its state, laid out like the AWS resources it stands in for:
 *   dynamodb/   the cursor table (dynalite, LevelDB files)
 *   s3/         the bucket: events/<type>/dt=YYYY-MM-DD/*.gz
 *   simulator/  demo data served by the local Events API simulator
 *   source.json which events the state holds (demo data or an account's host)
 */
export interface StateDir {
  readonly root: string;
  readonly dynamodb: string;
  readonly s3: string;
  readonly simulator: string;
  readonly sourceFile: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Where a computer keeps the default state folder: its platform and the user's home folder. */
export interface UserHome {
  readonly platform: NodeJS.Platform;
  readonly home: string;
}

const THIS_COMPUTER: UserHome = { platform: process.platform, home: homedir() };

/**
 * The user's data folder: XDG_DATA_HOME when set to an absolute path (the XDG Base Directory
 * Specification ignores a relative one), else the platform's place for application data:
 * ~/.local/share (the specification's default), ~/Library/Application Support on macOS,
 * %LOCALAPPDATA% on Windows (local, not roaming: the state is large and belongs to this computer).
 */
export function userDataDir(env: Env, where: UserHome = THIS_COMPUTER): string {
  const xdg = env.XDG_DATA_HOME;
  if (xdg && isAbsolute(xdg)) return xdg;
  if (where.platform === 'darwin') return join(where.home, 'Library', 'Application Support');
  if (where.platform === 'win32') return env.LOCALAPPDATA || join(where.home, 'AppData', 'Local');
  return join(where.home, '.local', 'share');
}

/**
 * The state folder when none is given: `.local` in a clone (beside the code, as `npm start` always
 * had it); installed, `op-events` in the user's data folder, which outlives upgrades of the package
 * and is the user's own to write.
 */
export function defaultStateRoot(
  env: Env,
  kind: InstallKind = INSTALL_KIND,
  where: UserHome = THIS_COMPUTER,
): string {
  return kind === 'clone' ? join(PROJECT_ROOT, '.local') : join(userDataDir(env, where), 'op-events');
}

/** `--state-dir`, else OP_EVENTS_STATE_DIR, else the default (defaultStateRoot). */
export function resolveStateDir(
  option: string | undefined,
  env: Env,
  kind: InstallKind = INSTALL_KIND,
  where: UserHome = THIS_COMPUTER,
): StateDir {
  const chosen = option ?? env[STATE_DIR_VARIABLE];
  if (chosen !== undefined && chosen.trim() === '') {
    throw stateDirRefusals.empty(STATE_DIR_VARIABLE);
  }
  const root = chosen ? resolve(chosen) : defaultStateRoot(env, kind, where);
  // Every command learns its state folder here, readers included: the place to say it is exposed.
  warnIfOthersCanRead(root);
  return {
    root,
    dynamodb: join(root, 'dynamodb'),
    s3: join(root, 's3'),
    simulator: join(root, 'simulator'),
    sourceFile: join(root, 'source.json'),
  };
}

/** A short form of a path for messages: relative to the cwd when inside it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Where the events in a state folder came from; one folder never mixes two sources. */
export type StateSource = { readonly kind: 'demo' } | { readonly kind: 'events-api'; readonly host: string };

export function describeSource(source: StateSource): string {
  return source.kind === 'demo' ? 'demo data from the local simulator' : `events from ${source.host}`;
}

export function readSource(state: StateDir): StateSource | undefined {
  if (!existsSync(state.sourceFile)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(state.sourceFile, 'utf8')) as { kind?: unknown; host?: unknown };
    if (parsed.kind === 'demo') return { kind: 'demo' };
    if (parsed.kind === 'events-api' && typeof parsed.host === 'string')
      return { kind: 'events-api', host: parsed.host };
  } catch {
    // unreadable marker: treated as unknown below
  }
  return undefined;
}

function sameSource(a: StateSource, b: StateSource): boolean {
  return a.kind === b.kind && (a.kind === 'demo' || (b.kind === 'events-api' && a.host === b.host));
}

/**
 * Refuses to put events of one source into a folder holding another's (their cursors and files would
 * mix); records the source on first use. Call before any state is written.
 */
export function checkSource(state: StateDir, source: StateSource): void {
  const recorded = readSource(state);
  if (recorded && !sameSource(recorded, source)) {
    throw stateDirRefusals.sourcesMix(
      displayPath(state.root),
      describeSource(recorded),
      describeSource(source),
      STATE_DIR_VARIABLE,
    );
  }
  if (!recorded && existsSync(state.dynamodb)) {
    throw stateDirRefusals.noSourceRecord(displayPath(state.root), displayPath(state.sourceFile));
  }
}

export function recordSource(state: StateDir, source: StateSource): void {
  makePrivateStateDir(state);
  if (!readSource(state)) {
    writeFileSync(state.sourceFile, `${JSON.stringify(source)}\n`, { mode: PRIVATE_FILE_MODE });
  }
}

/**
 * Creates the state folder if it is missing, owner-only (0700), and has everything this process
 * creates from now on be owner-only too (0700 folders, 0600 files: the cursor table's LevelDB files,
 * the S3 layout the Firehose stand-in writes, lookups, demo data, the lock). Every writer of a state
 * folder calls it first (lockState, recordSource), wherever the folder is (a clone's .local, the
 * user's data folder, --state-dir). An existing folder keeps its mode: warnIfOthersCanRead says so.
 */
export function makePrivateStateDir(state: StateDir): void {
  createOwnerOnlyFromNowOn();
  mkdirSync(state.root, { recursive: true, mode: PRIVATE_DIR_MODE });
}

// main() sends these to Output, the CLI's one way to the terminal (test/cli/output-path.test.ts).
let stateWarning: (text: string) => void = () => undefined;
const warnedFolders = new Set<string>();

/** Where warnings about a state folder go (the CLI's diagnostics). */
export function onStateFolderWarning(warn: (text: string) => void): void {
  stateWarning = warn;
}

/**
 * Warns, once per folder per process, when an existing state folder can be read by other users of
 * the computer (made before folders were created owner-only, or by hand), naming the chmod that
 * makes it the owner's alone. The folder is not changed: it may be shared on purpose.
 */
export function warnIfOthersCanRead(root: string): void {
  if (warnedFolders.has(root) || process.platform === 'win32') return;
  let mode: number;
  try {
    mode = statSync(root).mode;
  } catch {
    return; // not there yet: it will be created owner-only
  }
  if (othersBits(mode) === 0) return;
  warnedFolders.add(root);
  stateWarning(
    `Warning: the state folder ${root} can be read by other users of this computer (mode ` +
      `${(mode & 0o777).toString(8)}), and it holds an account's events, lookups and cursor table. Make ` +
      `it yours alone: chmod -R go-rwx ${shellQuoted(root)}`,
  );
}

/** A path as one shell word. */
function shellQuoted(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
