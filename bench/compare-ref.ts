/**
 * The other side of bench:compare: which commit a ref names, whether it has a hot-path bench, and
 * its checkout in a temporary git worktree that is always removed again.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRefusals } from './compare-args';

/** The module both sides are measured with, relative to the repository. */
export const HOT_PATH_MODULE = 'bench/hot-path.ts';
const EXPORTS_MEASURE_HOT_PATH =
  /export\s+(async\s+)?function\s+measureHotPath\b|export\s+const\s+measureHotPath\b/;

function git(repo: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function gitSucceeds(repo: string, args: readonly string[]): boolean {
  return spawnSync('git', ['-C', repo, ...args], { stdio: 'ignore' }).status === 0;
}

/**
 * The commit `ref` names in `repo`, once it is known to have a hot-path bench with measureHotPath;
 * throws a CompareRefusal otherwise. Reads git's objects only: nothing is checked out or installed.
 */
export function refCommitWithHotPath(repo: string, ref: string): string {
  if (!gitSucceeds(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])) {
    throw compareRefusals.unknownRef(ref);
  }
  const commit = git(repo, ['rev-parse', '--verify', `${ref}^{commit}`]).trim();
  if (!gitSucceeds(repo, ['cat-file', '-e', `${commit}:${HOT_PATH_MODULE}`])) {
    throw compareRefusals.noHotPath(ref, `it has no ${HOT_PATH_MODULE}`);
  }
  if (!EXPORTS_MEASURE_HOT_PATH.test(git(repo, ['show', `${commit}:${HOT_PATH_MODULE}`]))) {
    throw compareRefusals.noHotPath(ref, `its ${HOT_PATH_MODULE} exports no measureHotPath`);
  }
  return commit;
}

/** This tree as the table names it: folder, commit, and uncommitted changes if there are any. */
export function describeTree(repo: string): string {
  const commit = git(repo, ['rev-parse', '--short', 'HEAD']).trim();
  const changed = git(repo, ['status', '--porcelain', '--untracked-files=no']).trim() !== '';
  return `${repo} at ${commit}${changed ? ', with uncommitted changes' : ''}`;
}

/** A detached checkout of `commit` in a new temporary folder, registered as a git worktree of `repo`. */
export interface RefWorktree {
  readonly folder: string;
  /**
   * Unregisters the worktree and deletes its folder; safe to call more than once. Asynchronous, so
   * that the process still answers signals while node_modules is deleted.
   */
  remove(): Promise<void>;
}

const gitQuietly = (repo: string, args: readonly string[]) =>
  new Promise<void>((resolve) => execFile('git', ['-C', repo, ...args], () => resolve()));

export function addRefWorktree(repo: string, commit: string): RefWorktree {
  const parent = mkdtempSync(join(tmpdir(), 'op-events-bench-compare-'));
  const folder = join(parent, 'tree');
  let removal: Promise<void> | undefined;
  const remove = () => {
    removal ??= (async () => {
      // --force: the checkout holds node_modules, which git does not track.
      await gitQuietly(repo, ['worktree', 'remove', '--force', folder]);
      await rm(parent, { recursive: true, force: true, maxRetries: 3 });
      await gitQuietly(repo, ['worktree', 'prune']);
    })();
    return removal;
  };
  try {
    git(repo, ['worktree', 'add', '--detach', folder, commit]);
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw error;
  }
  return { folder, remove };
}
