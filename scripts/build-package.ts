import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Builds what the package's `exports` point at (`npm run build`; `npm pack` runs it first):
 * dist/index.js, the entry point index.ts and every module of this repository it reaches in one
 * ESM file (packages stay imports: aws-cdk-lib and constructs are the consumer's), dist/types/, the
 * declarations, and dist/CONSTRUCT.md, the construct's README (infra/constructs/README.md). The
 * collector's sources (functions/, shared/) ship as they are: the construct bundles them with
 * esbuild when the consumer's app synthesizes.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = join(ROOT, 'dist');

async function buildJavaScript(): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'index.ts')],
    outfile: join(DIST, 'index.js'),
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
}

function buildDeclarations(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(
    process.execPath,
    [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(DIST, 'types')],
    { stdio: 'inherit' },
  );
  if (run.status !== 0) throw new Error(`tsc failed building the declarations (exit ${run.status})`);
  for (const file of filesUnder(join(DIST, 'types'))) {
    if (file.endsWith('.d.ts')) writeFileSync(file, withExplicitExtensions(file, readFileSync(file, 'utf8')));
  }
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * The sources import `./x` (bundler resolution); a consumer on `moduleResolution: NodeNext` resolves
 * a relative import in an ESM package's declarations only with its extension, `./x.js` (TypeScript
 * handbook, "Modules - Reference", relative file paths in ESM). Each specifier gets the one that exists.
 */
export function withExplicitExtensions(file: string, text: string): string {
  return text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\2/g, (whole, lead, quote, specifier) => {
    if (/\.(js|json)$/.test(specifier)) return whole;
    const target = resolve(dirname(file), specifier);
    const candidates: [string, string][] = [
      [`${specifier}.js`, `${target}.d.ts`],
      [`${specifier}/index.js`, join(target, 'index.d.ts')],
    ];
    const existing = candidates.find(([, declarations]) => isFile(declarations))?.[0];
    if (!existing) throw new Error(`${file}: no declarations for ${specifier}`);
    return `${lead}${quote}${existing}${quote}`;
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

rmSync(DIST, { recursive: true, force: true });
await buildJavaScript();
buildDeclarations();
copyFileSync(join(ROOT, 'infra/constructs/README.md'), join(DIST, 'CONSTRUCT.md'));
