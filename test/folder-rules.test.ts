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
  roomGraph,
  roomOf,
} from './support/import-graph';

const REPO = resolve(import.meta.dirname, '..');

/**
 * Which rooms each room may import from. Contracts (names both sides of a boundary agree on) and
 * utilities stand on nothing else; the collector's rooms (what the Lambda bundle holds) never reach
 * the analytics SQL; the stack reads the collector's contracts and its SQL; the CLI drives the local
 * stand-ins; and nothing imports the CLI, the benchmarks or the scripts.
 */
const RULES: FolderRules = {
  'shared/util': [],
  'shared/contracts': ['shared/util'],
  'shared/sql': ['shared/contracts', 'shared/util'],
  'shared/detections': ['shared/sql', 'shared/contracts', 'shared/util'],
  'shared/collector/state': ['shared/contracts', 'shared/util'],
  'shared/collector/events-api': ['shared/contracts', 'shared/util'],
  'shared/collector/delivery': ['shared/collector/events-api', 'shared/contracts', 'shared/util'],
  'shared/collector/run': [
    'shared/collector/delivery',
    'shared/collector/events-api',
    'shared/collector/state',
    'shared/detections',
    'shared/contracts',
    'shared/util',
  ],
  shared: [],
  // The scheduled detection rules' Lambda: Athena queries of the window rules (their SQL), published
  // through the collector's alert path. A bundle of its own; the collector's never reaches it.
  'functions/detections': ['shared/detections', 'shared/collector/run', 'shared/contracts', 'shared/util'],
  functions: ['shared/collector/run', 'shared/contracts', 'shared/util'],
  'infra/compliance': [],
  'infra/defaults': ['shared'],
  'infra/props': ['infra/defaults', 'shared'],
  'infra/constructs': ['infra/props', 'infra/defaults', 'infra/compliance', 'shared'],
  'infra/app': ['infra/constructs', 'infra/props', 'infra/defaults', 'shared'],
  infra: [],
  local: ['shared/detections', 'shared/contracts', 'shared/util'],
  cli: ['local', 'shared'],
  packages: ['cli'],
  bench: '*',
  scripts: '*',
};

/** The rooms, deepest first where one holds another (the key of each rule). */
const ROOMS = Object.keys(RULES);

/** The collector's rooms: what the Lambda bundle holds. */
const LAMBDA_ROOMS = [
  'functions',
  'shared/collector/run',
  'shared/collector/delivery',
  'shared/collector/events-api',
  'shared/collector/state',
];

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
    expect(
      folderRuleViolations(scan.graph, {
        ...RULES,
        '.': ['infra/constructs', 'infra/props', 'infra/app', 'shared/contracts', 'shared/detections'],
      }),
    ).toEqual([]);
  });

  it('every module of shared/ and infra/ sits in a room of its own, not loose in the top folder', () => {
    const loose = [...scan.graph.keys()].filter((path) => ['shared', 'infra'].includes(roomOf(path, ROOMS)));
    expect(loose).toEqual([]);
  });

  it('nothing the Lambda bundle holds reaches the analytics SQL, even through another room', () => {
    const reach = (start: string): Set<string> => {
      const seen = new Set<string>();
      const todo = [start];
      while (todo.length > 0) {
        const path = todo.pop() as string;
        if (seen.has(path)) continue;
        seen.add(path);
        todo.push(...(scan.graph.get(path) ?? []));
      }
      return seen;
    };
    const entries = [...scan.graph.keys()].filter((path) => LAMBDA_ROOMS.includes(roomOf(path, ROOMS)));
    const intoSql = entries.flatMap((entry) =>
      [...reach(entry)]
        .filter((path) => roomOf(path, ROOMS) === 'shared/sql')
        .map((sql) => `${entry} -> ${sql}`),
    );
    expect(intoSql).toEqual([]);
  });

  it('no cycle between rooms: the house drawn from the imports has no arrow back', () => {
    expect(importCycles(roomGraph(scan.graph, ROOMS))).toEqual([]);
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
