import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type FolderRules,
  folderRuleViolations,
  type ImportGraph,
  importCycles,
  readImportGraph,
} from './support/import-graph';

const REPO = resolve(import.meta.dirname, '..');

/**
 * Which folders each source folder may import from: contracts live in shared/, the Lambda and the
 * CDK app stand on shared/ only, the CLI drives the local stand-ins, and nothing imports the CLI,
 * the benchmarks or the scripts.
 */
const RULES: FolderRules = {
  shared: [],
  functions: ['shared'],
  infra: ['shared'],
  local: ['shared'],
  cli: ['local', 'shared'],
  packages: ['cli'],
  bench: '*',
  scripts: '*',
};

/** Folders that hold TypeScript but are not source: tests may import anything; dist/ is `npm run build`'s output. */
const NOT_SOURCE = new Set(['test', 'node_modules', 'cdk.out', 'dist']);

function sourceFolders(): string[] {
  return readdirSync(REPO, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !NOT_SOURCE.has(entry.name))
    .map((entry) => entry.name)
    .filter((folder) =>
      readdirSync(join(REPO, folder), { recursive: true, encoding: 'utf8' }).some((name) =>
        /\.(ts|mjs)$/.test(name),
      ),
    )
    .sort();
}

/** Module files at the repository root (a package entry point), configuration files left out. */
function rootModules(): string[] {
  return readdirSync(REPO).filter(
    (name) => /\.(ts|mts|mjs)$/.test(name) && !/\.config\.\w+$/.test(name) && !name.endsWith('.d.ts'),
  );
}

describe('folders depend one way', () => {
  const scan = readImportGraph(REPO, sourceFolders(), rootModules());

  it('every source folder has a rule', () => {
    expect(sourceFolders().filter((folder) => !(folder in RULES))).toEqual([]);
    expect(scan.graph.size).toBeGreaterThan(100);
  });

  it('every relative import resolves to a file of the repository', () => {
    expect(scan.unresolved).toEqual([]);
  });

  it('no import crosses folders against the rules', () => {
    expect(folderRuleViolations(scan.graph, { ...RULES, '.': ['infra', 'shared'] })).toEqual([]);
  });

  it('no import cycle among the source modules (type-only imports included)', () => {
    // A cycle through types still means neither module can be read or moved without the other.
    expect(importCycles(scan.graph)).toEqual([]);
  });
});

describe('the import checks', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  function repoOf(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'import-graph-'));
    made.push(root);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('read every form of import, type-only ones included, and leave packages out', () => {
    const root = repoOf({
      'shared/a.ts':
        "import { b } from './b';\nimport type { C } from './c';\nexport * from './d';\nimport 'node:fs';\nimport { z } from 'zod';\n",
      'shared/b.ts': "export const b = await import('./e');\n",
      'shared/c.ts': 'export interface C {}\n',
      'shared/d.ts': "export { x } from '../cli/x';\n",
      'shared/e.ts': "import './gone';\n",
      'cli/x.ts': 'export const x = 1;\n',
      'cli/bin/run.mjs': "await import('../dist/run.mjs');\n",
    });
    const { graph, unresolved } = readImportGraph(root, ['shared', 'cli']);
    expect(graph.get('shared/a.ts')).toEqual(['shared/b.ts', 'shared/c.ts', 'shared/d.ts']);
    expect(graph.get('shared/b.ts')).toEqual(['shared/e.ts']);
    expect(unresolved).toEqual(["shared/e.ts imports './gone'"]);
    expect(graph.get('cli/bin/run.mjs')).toEqual([]);
    expect(folderRuleViolations(graph, { shared: [], cli: ['shared'] })).toEqual([
      'shared/d.ts -> cli/x.ts (shared may import only: nothing outside itself)',
    ]);
  });

  it('name a folder without a rule', () => {
    const graph: ImportGraph = new Map([['lib/index.ts', []]]);
    expect(folderRuleViolations(graph, {})).toEqual([
      'lib/index.ts: folder "lib" has no rule; add it to the folder rules',
    ]);
  });

  it('find each cycle once, a module importing itself too, and nothing in a tree', () => {
    const graph: ImportGraph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts', 'd.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts', 'e.ts']],
      ['e.ts', []],
      ['f.ts', ['e.ts', 'a.ts']],
    ]);
    expect(importCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });
});
