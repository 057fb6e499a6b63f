import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { PRIVATE_FILE_MODE } from '../local/private-files';
import { CollectorError } from '../shared/util/errors';
import { makePrivateStateDir, type StateDir } from './state-dir';

/** Another process is using the local state folder (its cursor table is open there). */
export class StateBusyError extends CollectorError {
  constructor(message: string) {
    super('state_busy', message);
  }
}

/** The one StateBusyError: who holds the folder, since when, and what to do. */
export const stateBusyErrors = {
  heldBy: (
    root: string,
    holder: { readonly pid: number; readonly purpose: string; readonly since: string },
  ) =>
    new StateBusyError(
      `${root} is in use by "${holder.purpose}" (pid ${holder.pid}, since ${holder.since}). ` +
        'Try again when it has finished, or stop it.',
    ),
};

interface Holder {
  readonly pid: number;
  readonly purpose: string;
  readonly since: string;
}

/** Lock files this process holds, so that Ctrl-C can release them before the process ends. */
const held = new Set<string>();

function release(path: string): void {
  held.delete(path);
  if (readHolder(path)?.pid === process.pid) unlinkSync(path);
}

/** Releases every state lock this process holds (Ctrl-C, before exiting); returns how many. */
export function releaseHeldStateLocks(): number {
  const paths = [...held];
  for (const path of paths) release(path);
  return paths.length;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Takes the state folder for this process: the local cursor table (dynalite's LevelDB) can be open in
 * one process only, and two writers of the same event files could pick the same object names. Waits
 * up to `waitMs` for another process to finish; a lock left by a process that no longer runs is taken
 * over; nested calls in the holding process share its lock. Returns the release function.
 */
export async function lockState(state: StateDir, purpose: string, waitMs = 15_000): Promise<() => void> {
  makePrivateStateDir(state);
  const path = join(state.root, 'lock');
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    try {
      const holder: Holder = { pid: process.pid, purpose, since: new Date().toISOString() };
      writeFileSync(path, JSON.stringify(holder), { flag: 'wx', mode: PRIVATE_FILE_MODE });
      held.add(path);
      return () => release(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    // This process holds it already (e.g. npm start opening its cursor table): nested use is fine.
    if (holder?.pid === process.pid) return () => undefined;
    // An unreadable lock may be one being written right now; only an old one is abandoned.
    const abandoned = holder ? !alive(holder.pid) : ageMs(path) > 2_000;
    if (abandoned) {
      try {
        unlinkSync(path);
      } catch {
        // removed meanwhile by its owner: try again
      }
      continue;
    }
    if (holder && Date.now() >= giveUpAt) {
      throw stateBusyErrors.heldBy(state.root, holder);
    }
    await delay(200);
  }
}
