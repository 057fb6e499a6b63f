import { describe, expect, it } from 'vitest';
import {
  functionLengths,
  functionsTooLong,
  LINE_WIDTH,
  linesTooWide,
  MAX_FUNCTION_LINES,
  overWidth,
  sourceFiles,
} from '../scripts/code-shape';

const FILES = sourceFiles();

describe('functions stay short enough to read whole', () => {
  it('the scan reads the source folders and finds functions of every kind', () => {
    expect(FILES).toEqual(
      expect.arrayContaining(['cli/main.ts', 'functions/collector.ts', 'packages/cli/bin/op-events.mjs']),
    );
    const sample =
      'function a() {}\nclass B { m() {} get g() { return 1; } constructor() {} }\nconst c = () => 1;';
    expect(functionLengths('x.ts', sample).map((f) => f.where)).toEqual([
      'x.ts:1 a',
      'x.ts:2 m',
      'x.ts:2 g',
      'x.ts:2 (anonymous)',
      'x.ts:3 (anonymous)',
    ]);
    expect(functionLengths('x.ts', `function long() {\n${'  f();\n'.repeat(80)}}`)[0]?.lines).toBe(82);
  });

  it(`no function outside test/ and bench/ is over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(functionsTooLong(FILES)).toEqual([]);
  });
});

describe(`lines stay within the formatter's width (${LINE_WIDTH})`, () => {
  it('a line is over the width unless only a URL takes it there', () => {
    expect(overWidth('x'.repeat(LINE_WIDTH))).toBe(false);
    expect(overWidth('x'.repeat(LINE_WIDTH + 1))).toBe(true);
    expect(overWidth(`// see ${'x'.repeat(90)} https://docs.aws.amazon.com/${'y'.repeat(40)}`)).toBe(false);
  });

  it('no source line is over the width', () => {
    expect(linesTooWide(FILES)).toEqual([]);
  });
});
