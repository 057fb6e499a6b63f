import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Two rules of the code's shape outside test/ and bench/, checked by `npm run lint` (this script)
 * and by test/code-shape.test.ts: no function over MAX_FUNCTION_LINES lines, and no line over the
 * formatter's width (the formatter breaks code, but no string or comment).
 */

const REPO = resolve(import.meta.dirname, '..');

/** The product's source: every folder but the tests and benchmarks (which may be longer). */
const SOURCE_FOLDERS = ['cli', 'functions', 'infra', 'local', 'packages', 'scripts', 'shared'];
const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;
/** Folders a build or a package manager writes. */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'cdk.out']);

/** The source files, relative to the repository (`cli/main.ts`). */
export function sourceFiles(dir = ''): string[] {
  const entries = readdirSync(join(REPO, dir), { withFileTypes: true });
  return entries.flatMap((entry) => {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      const wanted = dir === '' ? SOURCE_FOLDERS.includes(entry.name) : !NOT_SOURCE.has(entry.name);
      return wanted ? sourceFiles(path) : [];
    }
    return SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The longest a function may be, in lines from its first to its last (nested functions included). */
export const MAX_FUNCTION_LINES = 80;

/** Every function with a body (declarations, methods, accessors, constructors, arrows, expressions). */
export function functionLengths(file: string, text: string): { where: string; lines: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { where: string; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name =
        node.name && !ts.isComputedPropertyName(node.name) ? node.name.getText(source) : '(anonymous)';
      found.push({ where: `${file}:${first + 1} ${name}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Each function over MAX_FUNCTION_LINES: `file:line name (N lines)`. */
export function functionsTooLong(files: readonly string[]): string[] {
  return files
    .flatMap((file) => functionLengths(file, readFileSync(join(REPO, file), 'utf8')))
    .filter((f) => f.lines > MAX_FUNCTION_LINES)
    .map((f) => `${f.where} (${f.lines} lines)`);
}

/** biome.json's formatter lineWidth: the formatter keeps code within it, but breaks no string or comment. */
export const LINE_WIDTH = 110;

/** A line over the width only by a URL, which cannot be broken, still counts as within it. */
export function overWidth(line: string): boolean {
  if (line.length <= LINE_WIDTH) return false;
  const urls = line.match(/https?:\/\/\S+/g) ?? [];
  return line.length - urls.reduce((sum, url) => sum + url.length, 0) > LINE_WIDTH;
}

function wideLines(file: string): string[] {
  return readFileSync(join(REPO, file), 'utf8')
    .split('\n')
    .flatMap((line, i) => (overWidth(line) ? [`${file}:${i + 1} (${line.length} characters)`] : []));
}

/** Every line over the width in these files: `file:line (N characters)`. */
export function linesTooWide(files: readonly string[]): string[] {
  return files.flatMap(wideLines);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const files = sourceFiles();
  const tooLong = functionsTooLong(files);
  const tooWide = linesTooWide(files);
  for (const f of tooLong) process.stderr.write(`function over ${MAX_FUNCTION_LINES} lines: ${f}\n`);
  for (const l of tooWide) process.stderr.write(`line over ${LINE_WIDTH} characters: ${l}\n`);
  if (tooLong.length + tooWide.length > 0) {
    process.stderr.write(
      'Split the function, or the text (a message into a concatenation or a named factory beside its ' +
        'error class, a comment onto more lines).\n',
    );
    process.exitCode = 1;
  }
}
