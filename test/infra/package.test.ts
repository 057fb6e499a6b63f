import { execFile as execFileCallback, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The two packages as a user gets them: each packed (`npm pack`, which builds it first) into a
 * temporary folder, then installed with `npm install --omit=dev <tarball>` into an empty folder of
 * its own, dependencies from the registry (npm's cache first), and used from there:
 * - the construct (onepassword-events-to-s3) by the consumer app (test/consumer-app/), imported by
 *   name, synthesized with esbuild bundling of the collector, type-checked as a `cdk init` app is;
 * - the CLI (onepassword-events-to-s3-cli) as `op-events`: version, a demo start, status and a
 *   saved query, state in the user's data folder.
 * One pack and one install of each, shared by every test here.
 */
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const requireHere = createRequire(import.meta.url);
const tsc = requireHere.resolve('typescript/bin/tsc');
const tsxLoader = join(REPO, 'node_modules/tsx/dist/loader.mjs');
const execFile = promisify(execFileCallback);

interface Packed {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly bin?: Record<string, string>;
  readonly exports: Record<string, Record<string, string>>;
}

/** What only the CLI (or development) needs: a construct user must not install any of it. */
const CLI_ONLY = [
  '@duckdb/node-api',
  'dynalite',
  'tsx',
  // Not @aws-sdk/client-athena: the scheduled detection rules' function (bundled at the user's synth) runs Athena queries.
  '@aws-sdk/client-cloudformation',
  '@aws-sdk/client-cloudwatch',
  '@aws-sdk/client-s3',
];

const readManifest = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Manifest;
const root = readManifest(join(REPO, 'package.json'));
const cli = readManifest(join(REPO, 'packages/cli/package.json'));

const made: string[] = [];
const tempFolder = (prefix: string) => {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  made.push(folder);
  return folder;
};

let construct: Packed;
let cliPacked: Packed;
let consumer: string;
let cliFolder: string;
let userHome: string;

/** `npm pack` of the package in `folder`, its tarball written to `destination`. */
function pack(folder: string, destination: string): Packed {
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: folder,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [report] = JSON.parse(output.slice(output.indexOf('['))) as [Packed];
  return { ...report, filename: join(destination, report.filename) };
}

/** An empty folder with `npm install --omit=dev` of the tarball and `extra` packages. */
async function install(folder: string, tarball: string, extra: string[] = []): Promise<void> {
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  await execFile(
    'npm',
    ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...extra],
    { cwd: folder, encoding: 'utf8' },
  );
}

/** The packages installed in a folder, scoped ones by their full name. */
function installedPackages(folder: string): string[] {
  const modules = join(folder, 'node_modules');
  return readdirSync(modules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) =>
      name.startsWith('@') ? readdirSync(join(modules, name)).map((s) => `${name}/${s}`) : [name],
    );
}

const repoVersion = (name: string) => readManifest(join(REPO, 'node_modules', name, 'package.json')).version;

beforeAll(async () => {
  const tarballs = tempFolder('op-events-tarballs-');
  construct = pack(REPO, tarballs);
  cliPacked = pack(join(REPO, 'packages/cli'), tarballs);
  consumer = tempFolder('op-events-consumer-');
  cliFolder = tempFolder('op-events-cli-');
  userHome = tempFolder('op-events-home-');
  // What a `cdk init` app has, plus cdk-nag, which the consumer app runs: the versions this repository tests with.
  const appPackages = ['aws-cdk-lib', 'constructs', 'cdk-nag'].map((name) => `${name}@${repoVersion(name)}`);
  await Promise.all([
    install(consumer, construct.filename, appPackages),
    install(cliFolder, cliPacked.filename),
  ]);
  for (const file of ['app.ts', 'main.ts'])
    copyFileSync(join(REPO, 'test/consumer-app', file), join(consumer, file));
}, 300_000);

afterAll(() => {
  // Two installs (the consumer's holds aws-cdk-lib): tens of thousands of files to delete.
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
}, 180_000);

describe('npm pack', () => {
  it('packs the construct: its built entry point, declarations and the collector sources, no CLI', () => {
    const paths = construct.files.map((f) => f.path);
    for (const path of [
      'package.json',
      'README.md',
      'LICENSE',
      'UPGRADING.md',
      'dist/CONSTRUCT.md',
      'dist/index.js',
      'dist/types/index.d.ts',
      'functions/collector.ts',
      'functions/lambda-credentials.ts',
      'shared/collector/run/collect-run.ts',
      'tsconfig.json',
    ]) {
      expect(paths, path).toContain(path);
    }
    expect(root.exports['.']?.default).toBe('./dist/index.js');
    expect(root.exports['.']?.types).toBe('./dist/types/index.d.ts');
    expect(root.bin).toBeUndefined();
    const unwanted =
      /^(test|bench|docs|scripts|infra|cli|local|packages|bin|cdk\.out|\.local|coverage|node_modules)\/|^cdk\.json$|\.test\.ts$|\.tgz$/;
    expect(paths.filter((path) => unwanted.test(path))).toEqual([]);
  });

  it('packs the CLI as built JavaScript only: the launcher and the bundle, no TypeScript', () => {
    const paths = cliPacked.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'LICENSE', 'bin/op-events.mjs', 'dist/op-events.mjs']),
    );
    expect(
      paths.filter(
        (path) => !/^(package\.json|LICENSE|README\.md|bin\/op-events\.mjs|dist\/[\w-]+\.mjs)$/.test(path),
      ),
    ).toEqual([]);
    expect(cli.bin).toEqual({ 'op-events': 'bin/op-events.mjs' });
    expect(cli.version).toBe(root.version);
  });

  it('writes the tarballs where it is told, none into the repository', () => {
    expect(existsSync(construct.filename) && existsSync(cliPacked.filename)).toBe(true);
    expect(readdirSync(REPO).filter((name) => name.endsWith('.tgz'))).toEqual([]);
  });
});

describe('dependencies', () => {
  it('the construct depends on nothing only the CLI needs', () => {
    expect(Object.keys(root.dependencies ?? {}).filter((name) => CLI_ONLY.includes(name))).toEqual([]);
  });

  it('a construct install pulls in no DuckDB, dynalite, tsx or CLI-only AWS client', () => {
    const installed = installedPackages(consumer);
    expect(installed).toContain('onepassword-events-to-s3');
    expect(installed.filter((name) => CLI_ONLY.includes(name) || name.startsWith('@duckdb/'))).toEqual([]);
  });

  it('the CLI depends only on its native-code packages, at the versions the repository tests', () => {
    const dependencies = cli.dependencies ?? {};
    expect(Object.keys(dependencies).sort()).toEqual(['@duckdb/node-api', 'dynalite']);
    for (const [name, range] of Object.entries(dependencies))
      expect(root.devDependencies?.[name], name).toBe(range);
    expect(installedPackages(cliFolder)).not.toContain('tsx');
  });
});

describe('a consumer app in another folder, importing the installed construct by name', () => {
  it('synthesizes its pipelines (bundling the collector from the package) with distinct names', () => {
    const output = execFileSync(process.execPath, ['--import', tsxLoader, 'main.ts'], {
      cwd: consumer,
      encoding: 'utf8',
      env: { ...process.env, CDK_OUTDIR: join(consumer, 'cdk.out') },
    });
    const result = JSON.parse(output.trim().split('\n').at(-1) as string);
    expect(result.audit.namePrefix).toMatch(/^SecurityLake-Audit-[0-9A-F]{8}$/);
    expect(result.access.namePrefix).toMatch(/^SecurityLake-Access-[0-9A-F]{8}$/);
    expect(result.archive.namePrefix).toMatch(/^SecurityArchive-[0-9A-F]{8}$/);
    // Every function's code is an asset the bundling wrote: the collector as one ESM file.
    const read = (file: string) => JSON.parse(readFileSync(join(result.outdir, file), 'utf8'));
    const template = read('SecurityLake.template.json');
    const assets = read('SecurityLake.assets.json').files as Record<string, { source: { path: string } }>;
    const codeKeys = Object.values(
      template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    )
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => (r.Properties.Code as { S3Key: string }).S3Key);
    // Three collectors, and each pipeline's scheduled detection rules (with Athena from the install).
    expect(codeKeys).toHaveLength(5);
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
          // Node's types as a cdk init app has them (a devDependency there): this repository's copy.
          typeRoots: [join(REPO, 'node_modules/@types')],
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

describe('the installed op-events command, run from its folder', () => {
  const env = () => {
    const clean: Record<string, string | undefined> = {
      ...process.env,
      HOME: userHome,
      XDG_DATA_HOME: join(userHome, 'data'),
    };
    for (const name of [
      'OP_EVENTS_TOKEN',
      'OP_EVENTS_STATE_DIR',
      'EVENTS_API_URL',
      'AWS_PROFILE',
      'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
    ])
      delete clean[name];
    return clean;
  };
  const opEvents = (args: string[]) =>
    execFile(join(cliFolder, 'node_modules/.bin/op-events'), args, {
      cwd: cliFolder,
      env: env(),
      encoding: 'utf8',
    });
  const stateFolder = () => join(userHome, 'data', 'op-events');

  it('prints the version', async () => {
    expect(await opEvents(['--version'])).toEqual({ stdout: `${root.version}\n`, stderr: '' });
  });

  it("collects demo data into the user's data folder and names installed commands", async () => {
    const { stdout, stderr } = await opEvents(['start']);
    expect(stdout).toMatch(/auditevents\s+\d+/);
    expect(existsSync(join(stateFolder(), 'dynamodb'))).toBe(true);
    expect(readdirSync(join(stateFolder(), 's3', 'events')).sort()).toEqual([
      'auditevents',
      'itemusages',
      'signinattempts',
    ]);
    expect(`${stdout}${stderr}`).not.toContain('npm start');
    expect(stdout).toContain('Next: npx op-events status');
    // The SDK's notice to developers about Node versions stays out of an operator's output.
    expect(stderr).not.toContain('NodeVersionSupportWarning');
  }, 120_000);

  it('status names the state folder; a saved query reads what start collected', async () => {
    const status = await opEvents(['status']);
    expect(status.stdout).toContain(`State folder: ${stateFolder()}`);
    expect(status.stdout).toMatch(/signinattempts\s+\S+\s+\S+\s+ok/);
    const query = await opEvents(['query', '--named', 'Failed sign-ins']);
    expect(query.stdout).toContain('user_email');
    expect(query.stdout.trim().split('\n').length).toBeGreaterThan(3);
  }, 120_000);
});
