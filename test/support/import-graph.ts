import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/** Module files by path relative to the root (`cli/main.ts`), each with the repo files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export interface ImportScan {
  readonly graph: ImportGraph;
  /** Relative imports that resolve to no file (`cli/x.ts imports './gone'`). */
  readonly unresolved: readonly string[];
}

const MODULE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** A folder a build writes (the CLI's launcher imports `../dist/op-events.mjs`, made when it is packed). */
const BUILD_OUTPUT = 'dist';

function moduleFiles(root: string, dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...moduleFiles(root, path));
    else if (MODULE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Folder-relative path with forward slashes on every platform. */
function portable(path: string): string {
  return path.split(sep).join('/');
}

/**
 * Reads every import of the module files under `folders` (and `rootFiles`) with the TypeScript
 * compiler's own scanner: `import`, `import type`, `export ... from`, `import()` with a literal and
 * `require()`. Type-only imports count: a cycle through types still ties two modules together.
 * Package imports (`aws-cdk-lib`, `node:fs`) are left out; only files of the repository are edges,
 * and imports of a build's output (a `dist/` folder) are left out too: it need not exist before a build.
 */
export function readImportGraph(
  root: string,
  folders: readonly string[],
  rootFiles: readonly string[] = [],
): ImportScan {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: true,
    resolveJsonModule: true,
  };
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  const files = [...folders.flatMap((folder) => moduleFiles(root, folder)), ...rootFiles];
  for (const file of files) {
    const absolute = join(root, file);
    const scanned = ts.preProcessFile(readFileSync(absolute, 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName: specifier } of scanned.importedFiles) {
      if (!specifier.startsWith('.')) continue;
      if (
        portable(relative(root, join(dirname(absolute), specifier)))
          .split('/')
          .includes(BUILD_OUTPUT)
      )
        continue;
      const resolved = ts.resolveModuleName(specifier, absolute, options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) {
        unresolved.push(`${portable(file)} imports '${specifier}'`);
        continue;
      }
      targets.push(portable(relative(root, resolved.resolvedFileName)));
    }
    graph.set(portable(file), [...new Set(targets)]);
  }
  return { graph, unresolved };
}

/** The folder a module lives in (`cli` for `cli/commands/start.ts`), or `.` for a file at the root. */
export function folderOf(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}

/**
 * The room a module lives in: the deepest of `rooms` that holds it (`shared/collector/run` for
 * `shared/collector/run/page-loop.ts` when that room is listed), else its top-level folder.
 */
export function roomOf(path: string, rooms: readonly string[]): string {
  let best: string | undefined;
  for (const room of rooms) {
    if (path.startsWith(`${room}/`) && (best === undefined || room.length > best.length)) best = room;
  }
  return best ?? folderOf(path);
}

/**
 * Which rooms each room may import from (besides itself); `'*'` allows any. A room is a folder
 * (`cli`) or a subfolder (`shared/collector/run`); an allowed entry also admits the rooms under it
 * (`shared` admits `shared/util`).
 */
export type FolderRules = Readonly<Record<string, readonly string[] | '*'>>;

function admits(allowed: readonly string[], room: string): boolean {
  return allowed.some((entry) => room === entry || room.startsWith(`${entry}/`));
}

/** Each import that crosses rooms against the rules, as `cli/x.ts -> infra/y.ts (cli may import only: local, shared)`. */
export function folderRuleViolations(graph: ImportGraph, rules: FolderRules): string[] {
  const rooms = Object.keys(rules);
  const violations: string[] = [];
  for (const [from, targets] of graph) {
    const room = roomOf(from, rooms);
    const allowed = rules[room];
    if (allowed === undefined) {
      violations.push(`${from}: folder "${room}" has no rule; add it to the folder rules`);
      continue;
    }
    for (const to of targets) {
      const target = roomOf(to, rooms);
      if (target === room || allowed === '*' || admits(allowed, target)) continue;
      const may = allowed.length > 0 ? allowed.join(', ') : 'nothing outside itself';
      violations.push(`${from} -> ${to} (${room} may import only: ${may})`);
    }
  }
  return violations.sort();
}

/** The imports between rooms: each room with the rooms its modules import (itself left out). */
export function roomGraph(graph: ImportGraph, rooms: readonly string[]): Map<string, string[]> {
  const edges = new Map<string, Set<string>>();
  for (const [from, targets] of graph) {
    const room = roomOf(from, rooms);
    const out = edges.get(room) ?? new Set<string>();
    edges.set(room, out);
    for (const to of targets) {
      const target = roomOf(to, rooms);
      if (target !== room) out.add(target);
    }
  }
  return new Map(
    [...edges].sort(([a], [b]) => a.localeCompare(b)).map(([room, out]) => [room, [...out].sort()]),
  );
}

/**
 * Every import cycle, as its modules in import order starting from the smallest path (Tarjan's
 * strongly connected components; a component of two or more modules, or a module importing itself).
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;

  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const importsItself = (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || importsItself) components.push(component.sort());
  };

  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}
