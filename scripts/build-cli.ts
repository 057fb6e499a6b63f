import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Builds the CLI package (packages/cli; its `npm pack` runs this first): dist/op-events.mjs, the CLI
 * (cli/run.ts) and every module it reaches as ESM (the entry and its chunks), so the installed command starts
 * without compiling TypeScript. Packages are bundled too, except those with native code, which stay imports
 * and are the package's only dependencies: DuckDB, and dynalite (the local cursor table, on LevelDB).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_PACKAGE = join(ROOT, 'packages/cli');
const DIST = join(CLI_PACKAGE, 'dist');

const manifest = JSON.parse(readFileSync(join(CLI_PACKAGE, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const external = Object.keys(manifest.dependencies);

rmSync(DIST, { recursive: true, force: true });
const result = await build({
  entryPoints: { 'op-events': join(ROOT, 'cli/run.ts') },
  outdir: DIST,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  // The commands are a chunk of their own, loaded after `--version` has had its answer (cli/run.ts).
  // Chunks sit beside the entry: modules find package.json and node_modules/.bin from dist/.
  splitting: true,
  chunkNames: '[name]-[hash]',
  external,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  // Error classes are reported by name (UsageError, AuthError, ...): minified names would say "Cn".
  keepNames: true,
  // Some CommonJS dependencies call require() at run time; ESM output needs a require of its own.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  define: { OP_EVENTS_BUNDLE: 'true' },
  tsconfig: join(ROOT, 'tsconfig.json'),
  metafile: true,
  logLevel: 'warning',
});

// Whatever the bundle still imports must be a dependency of the package, or the installed command fails.
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const imported = new Set(
  Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external).map((i) => i.path),
  ),
);
const undeclared = [...imported].filter((path) => !builtins.has(path) && !external.includes(path));
if (undeclared.length > 0) {
  throw new Error(
    `the CLI bundle imports ${undeclared.join(', ')}: not in packages/cli/package.json dependencies`,
  );
}
// npm packs a package's own LICENSE; the repository's is the one that applies.
copyFileSync(join(ROOT, 'LICENSE'), join(CLI_PACKAGE, 'LICENSE'));
