import { fileURLToPath } from 'node:url';
import { bundleNodeScript, IpcChild } from './ipc-child';
import type { ChildReport, ChildRequest } from './lambda-child';

type Ready = Extract<ChildReport, { kind: 'ready' }>;
export type Invocation = Extract<ChildReport, { kind: 'invoked' }> & {
  /** Bytes the invocation wrote to stdout: its structured logs and EMF metrics (CloudWatch Logs). */
  readonly logBytes: number;
  /** Names of the CloudWatch metrics its Embedded Metric Format lines published. */
  readonly metricNames: readonly string[];
};

/** Output kept per invocation for reading its metric names (a run logs a few kilobytes). */
const MAX_KEPT_OUTPUT = 1_000_000;

/** Compiles the stand-in Lambda runtime (lambda-child.ts) once per work directory. */
export function buildLambdaRuntime(workDir: string): Promise<string> {
  return bundleNodeScript(
    fileURLToPath(new URL('./lambda-child.ts', import.meta.url)),
    workDir,
    'lambda-child',
  );
}

/**
 * Node flags the Lambda Node.js runtime starts a function with for its memory size
 * (/var/runtime/bootstrap: new space = memory/10, semi-space = half of it, old space = the rest).
 */
export function lambdaNodeFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMb - newSpace}`];
}

export interface LambdaProcessOptions {
  /** From buildLambdaRuntime. */
  readonly runtime: string;
  readonly bundle: string;
  readonly env: Record<string, string>;
  readonly memoryMb: number;
  /** Longest the import or one invocation may take before the process is killed. */
  readonly stepTimeoutMs: number;
}

/** One Lambda execution environment: a fresh Node process that imports the bundle, then serves invocations. */
export class LambdaProcess {
  private logBytes = 0;
  private output = '';

  private constructor(private readonly child: IpcChild<ChildRequest, ChildReport>) {}

  /** Starts the process and waits for the bundle's import (the function's INIT). */
  static async start(options: LambdaProcessOptions): Promise<{ process: LambdaProcess; ready: Ready }> {
    let self: LambdaProcess | undefined;
    const child = IpcChild.fork<ChildRequest, ChildReport>(options.runtime, {
      args: [options.bundle],
      env: options.env,
      execArgv: lambdaNodeFlags(options.memoryMb),
      stepTimeoutMs: options.stepTimeoutMs,
      onStdout: (chunk) => self?.record(chunk),
    });
    self = new LambdaProcess(child);
    const ready = await child.next('ready');
    return { process: self, ready };
  }

  /** One invocation with `remainingMs` on the clock, as Lambda's context reports it. */
  async invoke(remainingMs: number, options: { sampleMemory?: boolean } = {}): Promise<Invocation> {
    const before = this.logBytes;
    this.output = '';
    this.child.send({ kind: 'invoke', remainingMs, sampleMemory: options.sampleMemory ?? false });
    const report = await this.child.next('invoked');
    // stdout and the IPC channel are separate pipes: give the last log lines time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { ...report, logBytes: this.logBytes - before, metricNames: emfMetricNames(this.output) };
  }

  stop(): Promise<void> {
    return this.child.stop({ kind: 'exit' });
  }

  private record(chunk: Buffer): void {
    this.logBytes += chunk.length;
    if (this.output.length < MAX_KEPT_OUTPUT) this.output += chunk.toString('utf8');
  }
}

/** Metric names in Embedded Metric Format lines (`_aws.CloudWatchMetrics[].Metrics[].Name`). */
function emfMetricNames(output: string): string[] {
  const names = new Set<string>();
  for (const line of output.split('\n')) {
    if (!line.includes('"CloudWatchMetrics"')) continue;
    try {
      const emf = JSON.parse(line) as { _aws?: { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] } };
      for (const group of emf._aws?.CloudWatchMetrics ?? [])
        for (const m of group.Metrics ?? []) names.add(m.Name);
    } catch {
      // Not a complete JSON line: not an EMF record.
    }
  }
  return [...names].sort();
}
