/**
 * `npm run bench:compare -- <git-ref> [--rounds N]`: the hot path (bench/hot-path.ts) of this tree
 * against the same bench of another commit, each round in two fresh processes (which side goes
 * first alternates), so that the machine's load of the moment weighs on both alike. The ref is
 * checked out in a temporary git worktree and installed there (`npm ci`, the only network use);
 * the worktree is removed at the end, on failure and on Ctrl-C. Nothing else is written.
 *
 * package.json runs it with `node --import tsx`, not the tsx command: tsx's wrapper process kills
 * its child outright when a relayed signal is not acknowledged within 30 ms, which would cut the
 * removal of the worktree short.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompareRefusal, parseCompareArgs } from './compare-args';
import { addRefWorktree, describeTree, HOT_PATH_MODULE, refCommitWithHotPath } from './compare-ref';
import { type CompareRound, compareRounds, formatComparison, parseChildReport } from './compare-summary';
import { isolateFromAws } from './loopback-aws';

const REPO = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const CHILD = fileURLToPath(new URL('./compare-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const INSTALL_TIMEOUT_MS = 10 * 60_000;
/** One measureHotPath() takes seconds; this is for a child that hangs. */
const MEASURE_TIMEOUT_MS = 5 * 60_000;

const running = new Set<ChildProcess>();
let interrupted: NodeJS.Signals | undefined;

interface RunOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  /** Keep stdout for the caller; otherwise it goes to this process's stderr with the child's. */
  readonly captureStdout: boolean;
}

/** Runs a command to its end; rejects if it fails, times out or the user interrupted. */
function run(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  if (interrupted) return Promise.reject(new Error(`interrupted (${interrupted})`));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: ['ignore', options.captureStdout ? 'pipe' : 2, 2],
      timeout: options.timeoutMs,
    });
    running.add(child);
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', (error) => {
      running.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} in ${options.cwd} ended with ${signal ?? `exit code ${code}`}`,
          ),
        );
    });
  });
}

/** One side of a round: the tree's measureHotPath() in a fresh Node process. */
async function measure(tree: string) {
  const stdout = await run(process.execPath, ['--import', TSX, CHILD, join(tree, HOT_PATH_MODULE)], {
    cwd: tree,
    timeoutMs: MEASURE_TIMEOUT_MS,
    captureStdout: true,
  });
  return parseChildReport(stdout);
}

async function measureRounds(refTree: string, rounds: number): Promise<CompareRound[]> {
  const results: CompareRound[] = [];
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`bench:compare: round ${round + 1} of ${rounds}\n`);
    const hereFirst = round % 2 === 0;
    const first = await measure(hereFirst ? REPO : refTree);
    const second = await measure(hereFirst ? refTree : REPO);
    results.push(hereFirst ? { here: first, ref: second } : { here: second, ref: first });
  }
  return results;
}

async function main(): Promise<void> {
  const args = parseCompareArgs(process.argv.slice(2));
  const refCommit = refCommitWithHotPath(REPO, args.ref);
  const here = describeTree(REPO);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      interrupted = signal;
      for (const child of running) child.kill('SIGTERM');
    });
  }
  process.stderr.write(`bench:compare: checking out ${args.ref} (${refCommit}) in a temporary worktree\n`);
  const worktree = addRefWorktree(REPO, refCommit);
  try {
    process.stderr.write(`bench:compare: npm ci in ${worktree.folder}\n`);
    await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: worktree.folder,
      timeoutMs: INSTALL_TIMEOUT_MS,
      captureStdout: false,
    });
    // The children inherit an environment that can reach no AWS account.
    isolateFromAws();
    const loadAtStart = loadavg()[0] ?? 0;
    const rounds = await measureRounds(worktree.folder, args.rounds);
    const summary = formatComparison(compareRounds(rounds), {
      here,
      refName: args.ref,
      refCommit,
      rounds: args.rounds,
      cores: cpus().length,
      loadAtStart,
      loadAtEnd: loadavg()[0] ?? 0,
    });
    process.stdout.write(`${summary}\n`);
  } finally {
    process.stderr.write(`bench:compare: removing the temporary worktree ${worktree.folder}\n`);
    await worktree.remove();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof CompareRefusal) {
      process.stderr.write(`bench:compare: ${error.message}\n`);
      process.exit(2);
    }
    if (interrupted) {
      process.stderr.write(`bench:compare: interrupted by ${interrupted}\n`);
      process.exit(128 + constants.signals[interrupted]);
    }
    process.stderr.write(
      `bench:compare failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
