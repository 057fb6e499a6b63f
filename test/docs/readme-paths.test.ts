import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** The repository's top folders whose files and subfolders the README names. */
const TOP = ['shared', 'infra', 'functions', 'local', 'cli', 'bench', 'scripts', 'docs', 'test', 'packages'];

/** Every `path` in backticks that starts with one of the top folders: a file or a folder (`x/`). */
function namedPaths(markdown: string): string[] {
  const paths = [...markdown.matchAll(/`([a-z][\w./-]*)`/g)].map((match) => match[1] as string);
  return [
    ...new Set(paths.filter((path) => TOP.includes(path.split('/')[0] as string) && path.includes('/'))),
  ];
}

describe("the README's module map", () => {
  it('names only files and folders that exist', () => {
    const named = namedPaths(README);
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((path) => !existsSync(join(REPO, path)))).toEqual([]);
  });

  it('names the folder of each step of "How a run works"', () => {
    const start = README.indexOf('## How a run works');
    const section = README.slice(start, README.indexOf('\n## ', start + 1));
    const steps = section.split(/\n(?=\d\. \*\*)/).slice(1);
    expect(steps).toHaveLength(6);
    for (const step of steps) {
      const folders = namedPaths(step).filter((path) => path.endsWith('/'));
      expect({ step: step.slice(0, 40), folders: folders.length > 0 }).toEqual({
        step: step.slice(0, 40),
        folders: true,
      });
    }
  });

  it('finds the paths of a page, in backticks only', () => {
    expect(
      namedPaths(
        'See `shared/util/redaction.ts`, `cli/` and `npm test`, not shared/x.ts; `OP_EVENTS_TOKEN`.',
      ),
    ).toEqual(['shared/util/redaction.ts', 'cli/']);
  });
});
