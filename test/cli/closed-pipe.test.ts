import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, removeTempDirs, runBin, runStart, tempDir } from './cli-harness';

afterAll(removeTempDirs);

/** Runs op-events with its stdout a pipe whose reader has already gone, as `op-events status | head -0` does. */
function runIntoClosedPipe(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('a reader that leaves early (| head)', () => {
  it('--help ends quietly with exit 0, no EPIPE stack trace', async () => {
    const result = await runIntoClosedPipe(['--help'], {});
    expect(result.stderr).not.toMatch(/EPIPE|at .*\(.*:\d+:\d+\)/);
    expect(result.code).toBe(0);
  });

  it('status ends normally and leaves the state folder free for the next command', async () => {
    const state = tempDir();
    const started = await runStart(['--types', 'auditevents', '--state-dir', state]);
    expect(started.code, started.stderr).toBe(0);
    const result = await runIntoClosedPipe(['status', '--state-dir', state], {});
    expect(result.stderr).not.toMatch(/EPIPE|at .*\(.*:\d+:\d+\)/);
    expect(result.code).toBe(0);
    const next = await runBin(['status', '--state-dir', state]);
    expect(next.code, next.stderr).toBe(0);
  });
});
