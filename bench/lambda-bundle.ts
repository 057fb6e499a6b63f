import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { buildApp } from '../infra/app/app';
import { COLLECTOR_FUNCTION_DEFAULTS, defaultCollectorBundling } from '../infra/defaults/lambda-defaults';
import { cdkJsonContext } from '../test/infra/helpers';

export interface Bundle {
  readonly path: string;
  readonly bytes: number;
  readonly metafile: Metafile;
}

/**
 * esbuild options equal to the command line NodejsFunction runs for the collector: the stack's
 * bundling defaults (minify, keep names, ESM, banner, main fields, SDK inside) and a target taken
 * from the function's runtime as CDK derives it (nodejs24.x -> node24).
 */
export function stackBuildOptions(): BuildOptions {
  const bundling = defaultCollectorBundling(false);
  const runtimeMajor = /nodejs(\d+)/.exec(COLLECTOR_FUNCTION_DEFAULTS.runtime.name)?.[1];
  if (!runtimeMajor)
    throw new Error(`Cannot read a Node.js version from ${COLLECTOR_FUNCTION_DEFAULTS.runtime.name}`);
  return {
    bundle: true,
    platform: 'node',
    target: `node${runtimeMajor}`,
    format: bundling.format === 'esm' ? 'esm' : 'cjs',
    minify: bundling.minify ?? false,
    keepNames: bundling.keepNames ?? false,
    sourcemap: bundling.sourceMap ?? false,
    mainFields: [...(bundling.mainFields ?? [])],
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    external: [...(bundling.externalModules ?? [])],
    alias: aliasesOf(bundling.esbuildArgs ?? {}),
    logLevel: 'error',
    metafile: true,
  };
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The stack's `--alias:pkg` esbuild arguments as esbuild's `alias` option (paths from the repository root). */
function aliasesOf(args: Readonly<Record<string, string | boolean | string[]>>): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const [flag, target] of Object.entries(args)) {
    if (flag.startsWith('--alias:') && typeof target === 'string') {
      aliases[flag.slice('--alias:'.length)] = target.startsWith('.') ? join(REPO_ROOT, target) : target;
    }
  }
  return aliases;
}

/**
 * Bundles an entry file, or TypeScript source resolved from the repository root, into `outfile` as
 * the stack would; `extra` varies one choice (externals, plugins).
 */
export async function bundleLikeTheStack(
  entry: string | { readonly source: string },
  outfile: string,
  extra: Partial<BuildOptions> = {},
): Promise<Bundle> {
  const input: BuildOptions =
    typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.source, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'entry.ts' } };
  const result = await build({ ...stackBuildOptions(), ...extra, ...input, outfile });
  return { path: outfile, bytes: statSync(outfile).size, metafile: result.metafile as Metafile };
}

export interface SynthesizedStack {
  /** The collector's asset: the very file a deployment uploads. */
  readonly artifact: string;
  /** Resources of the template by CloudFormation type (alarms, dashboards... for the cost model). */
  readonly resourceCounts: Readonly<Record<string, number>>;
  readonly outdir: string;
}

/** Synthesises the CDK app as `cdk synth` does (cdk.json context, local esbuild). Takes a few seconds. */
export function synthesizeStack(): SynthesizedStack {
  const outdir = mkdtempSync(join(tmpdir(), 'op-events-bench-synth-'));
  const { app, stack } = buildApp({ context: cdkJsonContext(), outdir });
  app.synth();
  const template = JSON.parse(readFileSync(join(outdir, `${stack.stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, TemplateResource>;
  };
  const asset = collectorAssetOf(template.Resources);
  if (!readdirSync(outdir).includes(asset)) throw new Error(`cdk synth wrote no ${asset} under ${outdir}`);
  const resourceCounts: Record<string, number> = {};
  for (const { Type } of Object.values(template.Resources))
    resourceCounts[Type] = (resourceCounts[Type] ?? 0) + 1;
  return { artifact: join(outdir, asset, 'index.mjs'), resourceCounts, outdir };
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: {
    readonly Code?: { readonly S3Key?: unknown };
    readonly Environment?: { readonly Variables?: Readonly<Record<string, unknown>> };
  };
}

/**
 * The asset folder of the collectors' code: the functions that carry EVENT_TYPE share one asset.
 * The stack has other functions (the scheduled window rules), so the first asset folder is not it.
 */
function collectorAssetOf(resources: Readonly<Record<string, TemplateResource>>): string {
  const keys = new Set(
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Environment?.Variables?.EVENT_TYPE)
      .map((r) => r.Properties?.Code?.S3Key),
  );
  const [key, ...others] = [...keys];
  if (typeof key !== 'string' || others.length > 0 || !key.endsWith('.zip'))
    throw new Error(`expected the collectors to share one asset, found ${JSON.stringify([...keys])}`);
  return `asset.${key.slice(0, -'.zip'.length)}`;
}

/** Bytes each package (or project folder) contributes to a bundle's output, largest first. */
export function bytesByPackage(metafile: Metafile): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function packageOf(inputPath: string): string {
  const at = inputPath.lastIndexOf('node_modules/');
  if (at < 0) return `${inputPath.split('/')[0]}/ (project)`;
  const parts = inputPath.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? inputPath);
}
