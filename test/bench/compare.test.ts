import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompareRefusal, DEFAULT_ROUNDS, parseCompareArgs } from '../../bench/compare-args';
import { addRefWorktree, describeTree, refCommitWithHotPath } from '../../bench/compare-ref';
import {
  type CompareContext,
  type CompareRound,
  compareRounds,
  formatComparison,
  parseChildReport,
  RESULT_MARKER,
} from '../../bench/compare-summary';

/** npm run bench:compare: everything but the install and the measuring processes. */

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CompareRefusal);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('parseCompareArgs', () => {
  it('takes one ref and the number of rounds, defaulting to 4', () => {
    expect(parseCompareArgs(['3cab350'])).toEqual({ ref: '3cab350', rounds: DEFAULT_ROUNDS });
    expect(DEFAULT_ROUNDS).toBe(4);
    expect(parseCompareArgs(['main~2', '--rounds', '6'])).toEqual({ ref: 'main~2', rounds: 6 });
    expect(parseCompareArgs(['--rounds=1', 'v1.0'])).toEqual({ ref: 'v1.0', rounds: 1 });
  });

  it('refuses a missing ref, a second ref and an option git would take for its own', () => {
    expect(refusal(() => parseCompareArgs([]))).toMatch(/^Say which git ref.*<git-ref> \[--rounds N\]/);
    expect(refusal(() => parseCompareArgs(['--rounds', '3']))).toMatch(/^Say which git ref/);
    expect(refusal(() => parseCompareArgs(['a', 'b']))).toBe(
      'Give one git ref, not 2 (a, b): npm run bench:compare -- <git-ref> [--rounds N].',
    );
    expect(refusal(() => parseCompareArgs(['--', '--output=x']))).toMatch(/^"--output=x" is not a commit/);
  });

  it('refuses unknown options and rounds that are not a whole number from 1 to 50', () => {
    expect(refusal(() => parseCompareArgs(['a', '--round', '3']))).toBe(
      "Unknown option '--round'. Usage: npm run bench:compare -- <git-ref> [--rounds N].",
    );
    expect(refusal(() => parseCompareArgs(['a', '--rounds']))).toMatch(/argument missing/);
    for (const bad of ['0', '51', '2.5', '-1', 'four', '']) {
      expect(refusal(() => parseCompareArgs(['a', `--rounds=${bad}`]))).toBe(
        `--rounds must be a whole number from 1 to 50, not ${JSON.stringify(bad)} (default 4).`,
      );
    }
    expect(parseCompareArgs(['a', '--rounds=50']).rounds).toBe(50);
  });
});

const ratios = (auditevents: number, itemusages: number) => [
  { type: 'auditevents', ratio: auditevents },
  { type: 'itemusages', ratio: itemusages },
];

const ROUNDS: CompareRound[] = [
  { here: ratios(1.3, 1.2), ref: ratios(1.4, 1.25) },
  { here: ratios(1.35, 1.1), ref: ratios(1.5, 1.05) },
  { here: ratios(1.2, 1.3), ref: ratios(1.45, 1.15) },
];

describe('compareRounds', () => {
  it("gives each side's median and range per type, and this tree's median minus the ref's", () => {
    const [audit, items] = compareRounds(ROUNDS);
    expect(audit?.type).toBe('auditevents');
    expect(audit?.here).toEqual({ median: 1.3, min: 1.2, max: 1.35 });
    expect(audit?.ref).toEqual({ median: 1.45, min: 1.4, max: 1.5 });
    expect(audit?.difference).toBeCloseTo(-0.15, 10);
    expect(audit?.relative).toBeCloseTo(1.3 / 1.45 - 1, 10);
    expect(items?.here).toEqual({ median: 1.2, min: 1.1, max: 1.3 });
    expect(items?.ref).toEqual({ median: 1.15, min: 1.05, max: 1.25 });
    expect(items?.difference).toBeCloseTo(0.05, 10);
  });

  it('calls a difference only where the ranges do not touch', () => {
    const verdicts = (here: number[], ref: number[]) =>
      compareRounds(here.map((ratio, i) => ({ here: ratios(ratio, 1), ref: ratios(ref[i] as number, 1) })))[0]
        ?.verdict;
    expect(verdicts([1.2, 1.35, 1.3], [1.4, 1.5, 1.45])).toBe('this tree faster');
    expect(verdicts([1.6, 1.55], [1.4, 1.5])).toBe('this tree slower');
    expect(verdicts([1.3, 1.4], [1.4, 1.5])).toBe('ranges overlap');
    expect(verdicts([1.1, 1.9], [1.4, 1.5])).toBe('ranges overlap');
  });

  it('keeps a type only one side measured, without a difference', () => {
    const rows = compareRounds([{ here: ratios(1.3, 1.2), ref: [{ type: 'auditevents', ratio: 1.3 }] }]);
    expect(rows.map((row) => row.type)).toEqual(['auditevents', 'itemusages']);
    expect(rows[1]).toEqual({
      type: 'itemusages',
      here: { median: 1.2, min: 1.2, max: 1.2 },
      ref: undefined,
    });
  });
});

describe('formatComparison', () => {
  const context: CompareContext = {
    here: '/repo at abc1234, with uncommitted changes',
    refName: '3cab350',
    refCommit: '3cab350169052f7904dbb1af9ef54905aec6cb53',
    rounds: 3,
    cores: 2,
    loadAtStart: 1.234,
    loadAtEnd: 2.5,
  };

  it('says which side is which, the rounds and the load, then one aligned row per type', () => {
    const lines = formatComparison(compareRounds(ROUNDS), context).split('\n');
    expect(lines.slice(1, 5)).toEqual([
      '  this tree: /repo at abc1234, with uncommitted changes',
      '  ref:       3cab350 = 3cab350169052f7904dbb1af9ef54905aec6cb53',
      '3 rounds, each side in a fresh process per round, alternating which side goes first.',
      'Load average (1 min): 1.23 at the start, 2.50 at the end, on 2 cores; under load the ratios are noisy.',
    ]);
    expect(lines.slice(6)).toEqual([
      'type         this tree: median (range)  3cab350: median (range)  this tree - ref',
      'auditevents  1.30x (1.20-1.35x)         1.45x (1.40-1.50x)       -0.15x (-10.3%), this tree faster',
      'itemusages   1.20x (1.10-1.30x)         1.15x (1.05-1.25x)       +0.05x (+4.3%), ranges overlap',
    ]);
  });

  it('gives a difference that rounds to nothing as +0, never -0', () => {
    const rows = compareRounds([
      { here: ratios(1.3398, 1.2), ref: ratios(1.34, 1.2) },
      { here: ratios(1.34, 1.2), ref: ratios(1.34, 1.2) },
    ]);
    expect(rows[0]?.difference).toBeLessThan(0);
    expect(formatComparison(rows, context).split('\n').slice(-2)).toEqual([
      'auditevents  1.34x (1.34-1.34x)         1.34x (1.34-1.34x)       +0.00x (+0.0%), ranges overlap',
      'itemusages   1.20x (1.20-1.20x)         1.20x (1.20-1.20x)       +0.00x (+0.0%), ranges overlap',
    ]);
  });

  it('says "not measured" for a type one side lacks', () => {
    const rows = compareRounds([{ here: ratios(1.3, 1.2), ref: [{ type: 'auditevents', ratio: 1.3 }] }]);
    const text = formatComparison(rows, { ...context, rounds: 1 });
    expect(text).toContain('1 round, each side');
    expect(text.split('\n').at(-1)).toBe('itemusages   1.20x (1.20-1.20x)         not measured');
  });
});

describe('parseChildReport', () => {
  it('reads the ratios from the marked line, whatever else the process printed', () => {
    const stdout = `a log line\n${RESULT_MARKER}${JSON.stringify(ratios(1.3, 1.2))}\nmore\n`;
    expect(parseChildReport(stdout)).toEqual(ratios(1.3, 1.2));
  });

  it('fails on a missing, empty or malformed report', () => {
    expect(() => parseChildReport('{"type":"auditevents"}\n')).toThrow('printed no result line');
    expect(() => parseChildReport(`${RESULT_MARKER}[]\n`)).toThrow('printed no ratios');
    expect(() => parseChildReport(`${RESULT_MARKER}[{"type":"x","ratio":null}]\n`)).toThrow('no ratios');
    expect(() => parseChildReport(`${RESULT_MARKER}{"type":"x","ratio":1}\n`)).toThrow('no ratios');
  });
});

describe('the ref and its worktree (a scratch repository, nothing installed)', () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
      encoding: 'utf8',
    }).trim();
  const commit = (file: string, text: string) => {
    mkdirSync(join(repo, 'bench'), { recursive: true });
    writeFileSync(join(repo, file), text);
    git('add', '-A');
    git('commit', '-q', '-m', file);
    return git('rev-parse', 'HEAD');
  };
  let withoutBench: string;
  let withoutMeasure: string;
  let withHotPath: string;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'bench-compare-test-'));
    git('init', '-q');
    withoutBench = commit('README.md', 'no bench yet\n');
    withoutMeasure = commit('bench/hot-path.ts', 'export function measureSomethingElse() {}\n');
    withHotPath = commit('bench/hot-path.ts', 'export function measureHotPath() {\n  return [];\n}\n');
    git('tag', 'with-hot-path');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('gives the commit of a ref whose bench has measureHotPath', () => {
    expect(refCommitWithHotPath(repo, 'with-hot-path')).toBe(withHotPath);
    expect(refCommitWithHotPath(repo, withHotPath.slice(0, 7))).toBe(withHotPath);
  });

  it('refuses a ref that names no commit', () => {
    expect(refusal(() => refCommitWithHotPath(repo, 'no-such-branch'))).toBe(
      '"no-such-branch" is not a commit of this repository: give a commit, tag or branch that `git rev-parse` ' +
        'knows (git fetch it first if it is only on a remote). Nothing was changed.',
    );
    expect(refusal(() => refCommitWithHotPath(repo, `${withoutBench}~1`))).toMatch(/is not a commit/);
  });

  it('refuses a ref without bench/hot-path.ts or without its measureHotPath', () => {
    expect(refusal(() => refCommitWithHotPath(repo, withoutBench))).toBe(
      `${withoutBench} cannot be compared: it has no bench/hot-path.ts, so it has no hot-path bench to ` +
        'measure. Give a later ref. Nothing was changed.',
    );
    expect(refusal(() => refCommitWithHotPath(repo, withoutMeasure))).toMatch(
      /cannot be compared: its bench\/hot-path.ts exports no measureHotPath/,
    );
  });

  it('checks the commit out in a temporary worktree and removes it without a trace', async () => {
    const worktree = addRefWorktree(repo, withHotPath);
    expect(readFileSync(join(worktree.folder, 'bench/hot-path.ts'), 'utf8')).toContain('measureHotPath');
    expect(git('worktree', 'list')).toContain(worktree.folder);
    mkdirSync(join(worktree.folder, 'node_modules'));
    await Promise.all([worktree.remove(), worktree.remove()]);
    await worktree.remove();
    expect(existsSync(join(worktree.folder, '..'))).toBe(false);
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('names this tree by its commit and says when it has uncommitted changes', () => {
    expect(describeTree(repo)).toBe(`${repo} at ${withHotPath.slice(0, 7)}`);
    writeFileSync(join(repo, 'README.md'), 'changed\n');
    expect(describeTree(repo)).toBe(`${repo} at ${withHotPath.slice(0, 7)}, with uncommitted changes`);
  });
});
