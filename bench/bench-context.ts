import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTimeoutSecondsFor } from '../infra/defaults/catch-up';
import { COLLECTOR_FUNCTION_DEFAULTS } from '../infra/defaults/lambda-defaults';
import { DEFAULT_SCHEDULE } from '../infra/props/resolve-props';
import { resolveWholeNumberProps } from '../infra/props/setting-props';
import type { ResolvedWholeNumbers } from '../shared/contracts/settings';
import { synthesizeStack } from './lambda-bundle';
import { buildLambdaRuntime } from './lambda-process';

/** What every measurement shares: a scratch directory, the deployed artifact and the stack's settings. */
export interface BenchContext {
  readonly workDir: string;
  /** The stand-in Lambda runtime script (lambda-child). */
  readonly lambdaRuntime: string;
  /** The collector's asset exactly as `cdk synth` builds it. */
  readonly collectorArtifact: string;
  /** Resources of the synthesized template by type. */
  readonly stackResources: Readonly<Record<string, number>>;
  readonly memoryMb: number;
  readonly timeoutMs: number;
  /** The stack's default settings (shared/contracts/settings.ts). */
  readonly settings: Readonly<ResolvedWholeNumbers>;
  dispose(): void;
}

export async function createBenchContext(): Promise<BenchContext> {
  const workDir = mkdtempSync(join(tmpdir(), 'op-events-bench-'));
  const stack = synthesizeStack();
  return {
    workDir,
    lambdaRuntime: await buildLambdaRuntime(workDir),
    collectorArtifact: stack.artifact,
    stackResources: stack.resourceCounts,
    memoryMb: COLLECTOR_FUNCTION_DEFAULTS.memorySize,
    timeoutMs: runTimeoutSecondsFor(DEFAULT_SCHEDULE) * 1000,
    settings: resolveWholeNumberProps({}),
    dispose: () => {
      rmSync(workDir, { recursive: true, force: true });
      rmSync(stack.outdir, { recursive: true, force: true });
    },
  };
}

/** Runs `measure` with a new context (made by `create`) and disposes of it however `measure` ends. */
export async function withBenchContext<T>(
  measure: (context: BenchContext) => Promise<T>,
  create: () => Promise<BenchContext> = createBenchContext,
): Promise<T> {
  const context = await create();
  try {
    return await measure(context);
  } finally {
    context.dispose();
  }
}
