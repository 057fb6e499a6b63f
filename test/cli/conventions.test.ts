import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stopAtOnce } from '../../cli/interrupts';
import { Output } from '../../cli/io';
import { COMMANDS } from '../../cli/main';
import { exampleCommandLine, parseCommandLine } from '../../cli/options';
import { resolveStateDir } from '../../cli/state-dir';
import { lockState } from '../../cli/state-lock';
import {
  BIN,
  cleanEnv,
  REPO,
  removeTempDirs,
  runBin,
  runCli,
  startTestApi,
  tempDir,
  tokenWith,
} from './cli-harness';

afterAll(() => removeTempDirs());

/** Splits an example's arguments as a shell would (double quotes group words). */
function shellWords(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

describe('op-events --version', () => {
  it("prints package.json's version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const result = await runBin(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('--help', () => {
  it.each(Object.keys(COMMANDS))(
    'op-events %s --help shows examples that parse as its command line',
    async (name) => {
      const spec = COMMANDS[name]?.spec;
      if (!spec) throw new Error(`no command ${name}`);
      const help = await runCli([name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('\nExamples:\n');
      expect(spec.examples.length).toBeGreaterThan(0);
      for (const example of spec.examples) {
        expect(help.stdout).toContain(`  ${exampleCommandLine(spec, example)}\n      ${example.does}`);
        const parsed = parseCommandLine(spec, shellWords(example.args));
        expect(parsed.help).toBe(false);
      }
    },
  );

  it('the overview lists every command, examples and the exit codes', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toContain(`\n  ${name} `);
    expect(help.stdout).toContain('Examples:\n  op-events start');
    expect(help.stdout).toContain('130 stopped by Ctrl-C');
  });
});

describe('--json', () => {
  it('every command that prints a result takes --json', () => {
    const without = Object.entries(COMMANDS)
      .filter(([, command]) => command.spec.options.json?.type !== 'boolean')
      .map(([name]) => name);
    expect(without).toEqual([]);
  });

  it('check --json: one object with host, account and each type granted or not (exit 3 for a missing one)', async () => {
    const api = await startTestApi();
    try {
      const result = await runCli(['check', '--json'], api.env(tokenWith(api, ['auditevents'])));
      expect(result.code).toBe(3);
      expect(result.stdout.trim().split('\n')).toHaveLength(1);
      const report = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(report).toMatchObject({
        tokenFrom: 'OP_EVENTS_TOKEN',
        host: api.sim.url,
        hostFrom: 'EVENTS_API_URL',
        expired: false,
        grantedFeatures: ['auditevents'],
        types: [
          { type: 'auditevents', feature: 'auditevents', granted: true },
          { type: 'itemusages', feature: 'itemusages', granted: false },
          { type: 'signinattempts', feature: 'signinattempts', granted: false },
        ],
      });
      expect(result.stderr).toContain('The token lacks itemusages, signinattempts');
    } finally {
      await api.stop();
    }
  });

  it('lookups list --json: one object per lookup', async () => {
    const result = await runCli(['lookups', 'list', '--json', '--state-dir', tempDir()]);
    expect(result.code, result.stderr).toBe(0);
    const lookups = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { lookup: string; loaded: boolean });
    expect(lookups.map((l) => l.lookup)).toEqual(['vaults', 'items', 'users', 'groups']);
    expect(lookups.every((l) => l.loaded === false)).toBe(true);
  });
});

/** `op-events ARGS` as a child process whose output the test can watch while it runs. */
function spawnBin(args: string[], env = cleanEnv(), nodeOptions: string[] = []) {
  const child = spawn(process.execPath, [...nodeOptions, BIN, ...args], {
    cwd: REPO,
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (pattern.test(stderr)) resolve();
        else setTimeout(check, 20);
      };
      check();
    });
  return { child, exited, waitFor, output: () => ({ stdout, stderr }) };
}

describe('op-events start on a terminal, with --json', () => {
  it('stdout holds only the JSON result; progress is one line rewritten in place on stderr', async () => {
    // The child's stderr is a pipe; tell the CLI it is a terminal, as it is when a person runs it.
    const run = spawnBin(
      ['start', '--types', 'auditevents', '--json', '--state-dir', tempDir()],
      cleanEnv(),
      [
        '--import',
        `data:text/javascript,${encodeURIComponent("Object.defineProperty(process.stderr, 'isTTY', { value: true });")}`,
      ],
    );
    const code = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stdout + stderr).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      type: 'auditevents',
      result: 'ok',
      events: 1500,
      pages: 2,
      hasMore: false,
      stopReason: 'caught_up',
    });
    expect(stdout).not.toMatch(CONTROL);
    expect(stderr).toContain('DEMO DATA');
    expect(stderr).toContain('\r\x1b[2K  auditevents  page   1  +1000 events  (1000 so far)');
    expect(stderr).toContain('\r\x1b[2K  auditevents  page   2  +500 events  (1500 so far)');
    // Each progress line replaces the last: no newline after one.
    expect(stderr).not.toMatch(/so far\)\n/);
  });
});

describe('Ctrl-C', () => {
  it('twice during start: stops at once with exit code 130, the state lock released, the state usable', async () => {
    const state = tempDir();
    const run = spawnBin(['start', '--state-dir', state]);
    await run.waitFor(/page +1 /);
    run.child.kill('SIGINT');
    await run.waitFor(/Stopping after the current runs/);
    run.child.kill('SIGINT');
    expect(await run.exited, run.output().stderr).toBe(130);
    const { stdout, stderr } = run.output();
    expect(stderr).toContain('Stopping now');
    expect(stderr).toContain('Interrupted (Ctrl-C); the state folder is free again.');
    expect(stderr).not.toMatch(CONTROL);
    expect(stdout).not.toMatch(/page +\d/);
    expect(existsSync(join(state, 'lock'))).toBe(false);
    const status = await runBin(['status', '--state-dir', state, '--json']);
    expect(status.code, status.stderr).toBe(0);
  });

  it('during a command that does not take it (check waiting on the API): exit code 130 at once', async () => {
    let requestArrived = () => {};
    const requested = new Promise<void>((resolve) => {
      requestArrived = resolve;
    });
    const server: Server = createServer(() => requestArrived()); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const api = await startTestApi();
      const tokenEnv = api.env();
      await api.stop();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const run = spawnBin(['check'], cleanEnv({ ...tokenEnv, EVENTS_API_URL: url }));
      await requested;
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(130);
      expect(run.output().stderr).toContain('Interrupted (Ctrl-C).');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('releases the state locks this process holds and exits 130 (the default when no command takes it)', async () => {
    const state = resolveStateDir(tempDir(), {});
    await lockState(state, 'test');
    expect(existsSync(join(state.root, 'lock'))).toBe(true);
    const exits: number[] = [];
    let stderr = '';
    const out = new Output({
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
      env: {},
    });
    stopAtOnce(out, (code) => exits.push(code))();
    expect(exits).toEqual([130]);
    expect(existsSync(join(state.root, 'lock'))).toBe(false);
    expect(stderr).toBe('Interrupted (Ctrl-C); the state folder is free again.\n');
  });
});
