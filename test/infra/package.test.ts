import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a consumer gets it: built (`npm run build`, which `npm pack` runs first), listed by
 * `npm pack --dry-run`, copied into another folder's node_modules, and used there by the consumer app
 * (test/consumer-app/) from that folder: imported by name, synthesized with esbuild bundling of the
 * collector, and type-checked as a `cdk init` app is (`moduleResolution: NodeNext`).
 */
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const NAME = 'onepassword-events-to-s3';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

interface PackedFile {
  readonly path: string;
  readonly size: number;
}

type Props = Record<string, unknown>;

let packed: PackedFile[];
let consumer: string;

function npm(args: string[], cwd = REPO): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A consumer's folder: its package.json and lock file, the packed files, the dependencies linked. */
function installInto(folder: string): void {
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  writeFileSync(join(folder, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3 }));
  const modules = join(folder, 'node_modules');
  const installed = join(modules, NAME);
  for (const file of packed) {
    mkdirSync(dirname(join(installed, file.path)), { recursive: true });
    copyFileSync(join(REPO, file.path), join(installed, file.path));
  }
  // Dependencies and peers as npm would have installed them: this repository's own node_modules.
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== NAME && !entry.startsWith('.'))
      symlinkSync(join(REPO, 'node_modules', entry), join(modules, entry));
  }
  for (const file of ['app.ts', 'main.ts']) {
    copyFileSync(join(REPO, 'test/consumer-app', file), join(folder, file));
  }
}

beforeAll(() => {
  npm(['run', 'build']);
  const [report] = JSON.parse(npm(['pack', '--dry-run', '--json', '--ignore-scripts'])) as [
    { files: PackedFile[] },
  ];
  packed = report.files;
  consumer = mkdtempSync(join(tmpdir(), 'op-events-consumer-'));
  mkdirSync(join(consumer, 'node_modules'));
  installInto(consumer);
}, 180_000);

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('lists the built entry point, its declarations, the collector sources and the CLI', () => {
    const paths = packed.map((f) => f.path);
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    for (const path of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/index.js',
      'dist/types/index.d.ts',
      'functions/collector.ts',
      'functions/lambda-credentials.ts',
      'shared/collect-run.ts',
      'tsconfig.json',
      ...Object.values(manifest.bin as Record<string, string>),
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(manifest.exports['.'].default).toBe('./dist/index.js');
    expect(manifest.exports['.'].types).toBe('./dist/types/index.d.ts');
  });

  it('leaves out tests, benchmarks, local state, build output and the repository tooling', () => {
    const unwanted =
      /^(test|bench|docs|scripts|infra|cdk\.out|\.local|coverage|node_modules)\/|^cdk\.json$|\.test\.ts$/;
    expect(packed.map((f) => f.path).filter((path) => unwanted.test(path))).toEqual([]);
  });
});

describe('a consumer app in another folder, importing the packed package by name', () => {
  it('synthesizes two pipelines (bundling the collector from the package) with distinct names', () => {
    const tsxLoader = join(consumer, 'node_modules/tsx/dist/loader.mjs');
    const output = execFileSync(process.execPath, ['--import', tsxLoader, 'main.ts'], {
      cwd: consumer,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: join(consumer, 'cdk.out') },
    });
    const result = JSON.parse(output.trim().split('\n').at(-1) as string);
    expect(result.audit.namePrefix).toMatch(/^SecurityLake-Audit-[0-9A-F]{8}$/);
    expect(result.access.namePrefix).toMatch(/^SecurityLake-Access-[0-9A-F]{8}$/);
    // Every function's code is an asset the bundling wrote: the collector as one ESM file.
    const read = (file: string) => JSON.parse(readFileSync(join(result.outdir, file), 'utf8'));
    const template = read('SecurityLake.template.json');
    const assets = read('SecurityLake.assets.json').files as Record<string, { source: { path: string } }>;
    const codeKeys = Object.values(template.Resources as Record<string, { Type: string; Properties: Props }>)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => (r.Properties.Code as { S3Key: string }).S3Key);
    expect(codeKeys).toHaveLength(3);
    for (const key of codeKeys) {
      const asset = assets[key.replace(/\.zip$/, '')];
      expect(asset, key).toBeDefined();
      expect(existsSync(join(result.outdir, asset?.source.path ?? '', 'index.mjs')), key).toBe(true);
    }
  }, 180_000);

  it('type-checks against the packed declarations under NodeNext resolution, as a cdk init app does', () => {
    writeFileSync(
      join(consumer, 'wrong-type.ts'),
      [
        "import type { OnePasswordEventsPipelineProps } from 'onepassword-events-to-s3';",
        '// @ts-expect-error: not an event type (fails unless the declarations resolve EventType)',
        "export const props: OnePasswordEventsPipelineProps = { eventTypes: ['auditlogs'] };",
      ].join('\n'),
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['main.ts', 'app.ts', 'wrong-type.ts'],
      }),
    );
    expect(() =>
      execFileSync(process.execPath, [tsc, '-p', join(consumer, 'tsconfig.json')], { encoding: 'utf8' }),
    ).not.toThrow();
  }, 180_000);
});
