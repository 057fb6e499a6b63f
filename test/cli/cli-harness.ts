import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../cli/main';
import { EventsApiSimulator, makeFakeToken } from '../../local/events-api-simulator';
import { EVENT_TYPES } from '../../shared/contracts/event-types';

export const REPO = resolve(import.meta.dirname, '../..');
/** The op-events command as a clone runs it (its launcher runs the TypeScript sources). */
export const BIN = join(REPO, 'packages/cli/bin/op-events.mjs');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

type Env = Record<string, string | undefined>;

/** The test process's environment without anything that would pick a token, host or state folder. */
export function cleanEnv(extra: Env = {}): Env {
  const env: Env = { ...process.env };
  for (const name of [
    'OP_EVENTS_TOKEN',
    'EVENTS_API_URL',
    'EVENTS_API_ALLOW_LOOPBACK',
    'OP_EVENTS_STATE_DIR',
    'AWS_PROFILE',
  ]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

function spawnNode(args: string[], env: Env, cwd: string): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, args, { env, cwd, timeout: 50_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** `op-events ...` (packages/cli/bin/op-events.mjs) in a child process, by default from a directory outside the repo. */
export function runBin(args: string[], options: { env?: Env; cwd?: string } = {}): Promise<CliResult> {
  return spawnNode([BIN, ...args], cleanEnv(options.env), options.cwd ?? tmpdir());
}

/** What `npm start` runs (`op-events start`), in a child process from the repository. */
export function runStart(args: string[], options: { env?: Env } = {}): Promise<CliResult> {
  return spawnNode([BIN, 'start', ...args], cleanEnv(options.env), REPO);
}

/** The CLI's main in this process, with captured output (needed where AWS clients are mocked). */
export async function runCli(args: string[], env: Env = {}, now?: () => number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: cleanEnv(env),
      // Ctrl-C as the test process's SIGINT (process.emit('SIGINT')); never ends the test process.
      interrupt: {
        listen(handler) {
          process.on('SIGINT', handler);
          return () => process.off('SIGINT', handler);
        },
        exit: () => undefined,
      },
    },
    now,
  );
  return { code, stdout, stderr };
}

const made: string[] = [];

/** A fresh folder for local state; removed by `removeTempDirs`. */
export function tempDir(prefix = 'op-events-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Every file under `dir` (LevelDB files of the cursor table excluded) with a hash of its content. */
export function fileSnapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, name);
    if (name.startsWith('dynamodb') || !statSync(path).isFile()) continue;
    files[name] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return files;
}

export interface TestApi {
  readonly sim: EventsApiSimulator;
  /** A token the simulator grants every feature. */
  readonly token: string;
  /** Environment pointing the CLI at the simulator with that token. */
  env(token?: string): Env;
  stop(): Promise<void>;
}

/** The simulator on 127.0.0.1 with a full token; tests add tokens and events. */
export async function startTestApi(): Promise<TestApi> {
  const token = makeFakeToken({
    host: 'events.1password.com',
    features: [...EVENT_TYPES],
    issuedAt: new Date('2026-01-02T03:04:05Z'),
    expiresAt: new Date('2099-01-01T00:00:00Z'),
    tokenUuid: 'TESTTOKENUUID0000000000000',
  });
  const sim = await EventsApiSimulator.start({
    tokens: { [token]: { features: [...EVENT_TYPES], accountUuid: 'TESTACCOUNT000000000000000' } },
  });
  return {
    sim,
    token,
    env: (t = token) => ({ OP_EVENTS_TOKEN: t, EVENTS_API_URL: sim.url, EVENTS_API_ALLOW_LOOPBACK: 'true' }),
    stop: () => sim.stop(),
  };
}

/** A token the simulator accepts with only `features`. */
export function tokenWith(api: TestApi, features: string[]): string {
  const token = makeFakeToken({
    host: 'events.1password.com',
    features,
    subject: `only-${features.join('-')}`,
  });
  api.sim.addToken(token, { features });
  return token;
}

export function output(result: CliResult): string {
  return `${result.stdout}\n${result.stderr}`;
}
