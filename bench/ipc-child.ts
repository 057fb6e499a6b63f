import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Bundles a bench entry (TypeScript, project imports) into one script plain `node` can fork. */
export async function bundleNodeScript(source: string, workDir: string, name: string): Promise<string> {
  const outfile = join(workDir, `${name}.mjs`);
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'error',
  });
  return outfile;
}

export interface IpcChildOptions {
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly execArgv?: readonly string[];
  /** Longest any one awaited report may take before the child is killed. */
  readonly stepTimeoutMs: number;
  /** Receives the child's stdout (ignored when absent). */
  readonly onStdout?: (chunk: Buffer) => void;
}

/**
 * A forked helper process spoken to over IPC: send requests, await reports by kind. A report that
 * does not come in time, or an exit while one is awaited, kills the child and fails the wait.
 */
export class IpcChild<Request, Report extends { readonly kind: string }> {
  private stderr = '';
  private pending:
    | { readonly receive: (report: Report) => void; readonly fail: (why: string) => void }
    | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly options: IpcChildOptions,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => options.onStdout?.(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('message', (report: Report) => this.pending?.receive(report));
    child.on('exit', (code, signal) => this.pending?.fail(`exited (${code ?? signal})`));
  }

  static fork<Request, Report extends { readonly kind: string }>(
    script: string,
    options: IpcChildOptions,
  ): IpcChild<Request, Report> {
    const child = fork(script, [...options.args], {
      env: options.env,
      execArgv: [...(options.execArgv ?? [])],
      stdio: ['ignore', options.onStdout ? 'pipe' : 'ignore', 'pipe', 'ipc'],
    });
    return new IpcChild<Request, Report>(child, options);
  }

  send(request: Request): void {
    this.child.send(request as object);
  }

  /** The next report of this kind (reports of other kinds are ignored meanwhile). */
  next<K extends Report['kind']>(kind: K): Promise<Extract<Report, { kind: K }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => fail(`took over ${this.options.stepTimeoutMs} ms`),
        this.options.stepTimeoutMs,
      );
      const fail = (why: string) => {
        this.pending = undefined;
        clearTimeout(timer);
        this.child.kill('SIGKILL');
        reject(
          new Error(`child ${why} waiting for "${kind}"${this.stderr ? `; stderr: ${this.stderr}` : ''}`),
        );
      };
      this.pending = {
        fail,
        receive: (report) => {
          if (report.kind !== kind) return;
          this.pending = undefined;
          clearTimeout(timer);
          resolve(report as Extract<Report, { kind: K }>);
        },
      };
    });
  }

  /** Asks the child to exit with `exitRequest`; kills it if it has not gone within 5 s. */
  async stop(exitRequest: Request): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.send(exitRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
