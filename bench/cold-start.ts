import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PipelineHarness } from '../test/support/pipeline-harness';
import type { BenchContext } from './bench-context';
import { seedDemoEvents } from './demo-pages';
import { type Bundle, bundleLikeTheStack, bytesByPackage } from './lambda-bundle';
import { LambdaProcess } from './lambda-process';
import { BENCH_FIREHOSE_QUOTA, collectorProcessEnv } from './loopback-aws';
import { median } from './stats';

export interface BundleSize {
  readonly name: string;
  readonly bytes: number;
  /** gzip -9 of the file: about what the deployment zip holds. */
  readonly gzipBytes: number;
  readonly note: string;
}

export interface StartupTiming {
  readonly name: string;
  readonly bytes: number;
  /** Median over fresh processes: importing the bundle (the INIT phase's module loading). */
  readonly importMs: number;
  /** Median: the first invocation (clients built, token read, scope checked, one page collected). */
  readonly firstInvokeMs: number;
  /** Median: the second invocation, same work on a warm process. */
  readonly warmInvokeMs: number;
  readonly rssAfterImportMb: number;
  readonly samples: number;
}

export interface ColdStartResult {
  /** The artifact `cdk synth` built, and the bench's own esbuild call with the stack's options. */
  readonly artifactBytes: number;
  readonly rebuiltBytes: number;
  readonly sizes: readonly BundleSize[];
  readonly packages: readonly { readonly name: string; readonly bytes: number }[];
  readonly timings: readonly StartupTiming[];
}

const FIRST_PAGE_EVENTS = 100;
const TYPE = 'auditevents';

/**
 * Bundle size and start-up time of the Lambda artifact against a bare handler, and what each library
 * choice weighs: a metafile breakdown of the stack's own esbuild options, plus variants that change
 * one choice (SDK left to the runtime, the SDK's default credential chain, classic zod).
 */
/** The collector built with the SDK's default credential provider chain (SSO, ini, process, IMDS...). */
export const DEFAULT_CHAIN = 'collector, SDK default credential chain';

export async function measureColdStart(context: BenchContext, samples = 5): Promise<ColdStartResult> {
  const at = (name: string) => join(context.workDir, 'bundles', name, 'index.mjs');
  const source = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  const collector = await bundleLikeTheStack(source('../functions/collector.ts'), at('collector'));
  const bare = await bundleLikeTheStack(
    { source: 'export const handler = async () => ({ ok: true });' },
    at('bare'),
  );
  // Without the stack's alias of the default credential chain to fromEnv: what that alias saves.
  const defaultChain = await bundleLikeTheStack(source('../functions/collector.ts'), at('default-chain'), {
    alias: {},
  });
  const runtimeSdk = await bundleLikeTheStack(source('../functions/collector.ts'), at('runtime-sdk'), {
    external: ['@aws-sdk/*', '@smithy/*'],
  });
  const zodMini = await bundleLikeTheStack({ source: zodProgram('zod/mini') }, at('zod-mini'));
  const zodClassic = await bundleLikeTheStack({ source: zodProgram('zod') }, at('zod-classic'));

  const artifactBytes = statSync(context.collectorArtifact).size;
  const sizes: BundleSize[] = [
    size('collector (deployed artifact)', context.collectorArtifact, 'cdk synth output, SDK inside'),
    size('bare handler', bare.path, 'returns at once; same build options'),
    size(DEFAULT_CHAIN, defaultChain.path, "without the stack's fromEnv alias"),
    size('collector, SDK from the runtime', runtimeSdk.path, 'bundleAwsSDK: false (does not run here)'),
    size('zod/mini, minimal schema program', zodMini.path, 'what the code uses'),
    size('zod (classic), same program', zodClassic.path, 'the alternative'),
  ];
  const timings = [
    await timeStartup(context, 'collector (deployed artifact)', context.collectorArtifact, samples),
    await timeStartup(context, DEFAULT_CHAIN, defaultChain.path, samples),
    await timeStartup(context, 'bare handler', bare.path, samples),
  ];
  return {
    artifactBytes,
    rebuiltBytes: collector.bytes,
    sizes,
    packages: groupPackages(collector),
    timings,
  };
}

function size(name: string, path: string, note: string): BundleSize {
  const bytes = statSync(path).size;
  return { name, bytes, gzipBytes: gzipSync(readFileSync(path), { level: 9 }).length, note };
}

/** Package bytes grouped the way the choices are made: SDK, Powertools, zod, the project. */
function groupPackages(bundle: Bundle): { name: string; bytes: number }[] {
  const family = (name: string) => {
    if (name.startsWith('@aws-sdk/client-')) return name;
    if (
      /^@aws-sdk\/credential-provider|^@aws-sdk\/nested-clients|^@aws-sdk\/token-providers|^@smithy\/credential-provider-imds/.test(
        name,
      )
    )
      return 'AWS SDK default credential chain (SSO, ini, process, IMDS, web identity...)';
    if (
      /^@aws-sdk\/|^@smithy\/|^@aws-crypto\/|^mnemonist$|^obliterator$|^@aws\/|^tslib$|^fast-xml-parser$|^strnum$/.test(
        name,
      )
    )
      return 'AWS SDK core (@aws-sdk/core, @smithy/*, endpoint cache)';
    if (name.startsWith('@aws-lambda-powertools/')) return 'Powertools (logger, metrics, commons)';
    return name;
  };
  const totals = new Map<string, number>();
  for (const { name, bytes } of bytesByPackage(bundle.metafile)) {
    totals.set(family(name), (totals.get(family(name)) ?? 0) + bytes);
  }
  return [...totals.entries()].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function zodProgram(module: 'zod' | 'zod/mini'): string {
  const schema =
    module === 'zod'
      ? 'z.looseObject({ a: z.string().optional(), n: z.int().optional(), o: z.looseObject({ b: z.number().optional() }).nullable().optional() })'
      : 'z.looseObject({ a: z.optional(z.string()), n: z.optional(z.int()), o: z.optional(z.nullable(z.looseObject({ b: z.optional(z.number()) }))) })';
  return `import * as z from '${module}';\nconst schema = ${schema};\nexport const handler = async (event: unknown) => schema.safeParse(event).success;\n`;
}

/**
 * Fresh processes (with the Lambda runtime's heap flags) import the bundle and serve two
 * invocations against the loopback stand-ins, each sample with a new cursor table so the first
 * invocation always does the same work: token, scope check, lease, one page of events, release.
 */
async function timeStartup(
  context: BenchContext,
  name: string,
  bundle: string,
  samples: number,
): Promise<StartupTiming> {
  const harness = await PipelineHarness.start({ firehoseQuota: BENCH_FIREHOSE_QUOTA });
  try {
    seedDemoEvents(harness.api, TYPE, 2 * FIRST_PAGE_EVENTS, 5);
    const imports: number[] = [];
    const firsts: number[] = [];
    const warms: number[] = [];
    const rss: number[] = [];
    for (let sample = 0; sample < samples; sample++) {
      await harness.table();
      const settings = harness.env(TYPE, {
        PAGE_SIZE: String(FIRST_PAGE_EVENTS),
        MAX_EVENTS_PER_RUN: String(FIRST_PAGE_EVENTS),
        REQUEST_BUDGET_PER_MINUTE: String(context.settings.requestBudgetPerMinute),
      });
      const { process, ready } = await LambdaProcess.start({
        runtime: context.lambdaRuntime,
        bundle,
        env: collectorProcessEnv(harness, settings, { memoryMb: context.memoryMb }),
        memoryMb: context.memoryMb,
        stepTimeoutMs: 60_000,
      });
      try {
        const first = await process.invoke(context.timeoutMs);
        const warm = await process.invoke(context.timeoutMs);
        for (const invocation of [first, warm]) {
          if (invocation.error) throw new Error(`${name}: invocation failed: ${invocation.error}`);
        }
        imports.push(ready.importMs);
        rss.push(ready.rssBytes / 2 ** 20);
        firsts.push(first.ms);
        warms.push(warm.ms);
      } finally {
        await process.stop();
      }
    }
    return {
      name,
      bytes: statSync(bundle).size,
      importMs: median(imports),
      firstInvokeMs: median(firsts),
      warmInvokeMs: median(warms),
      rssAfterImportMb: median(rss),
      samples,
    };
  } finally {
    await harness.stop();
  }
}
