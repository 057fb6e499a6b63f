import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../cli/exit-codes';
import { Interrupts } from '../../cli/interrupts';
import { Output } from '../../cli/io';
import { parseCommandLine } from '../../cli/options';
import { type CommandResult, JsonText, type ResultView, render, resultCommand } from '../../cli/render';
import { REPO } from './cli-harness';

function capture() {
  const written = { stdout: '', stderr: '' };
  const out = new Output({
    stdout: { write: (text: string) => (written.stdout += text) },
    stderr: { write: (text: string) => (written.stderr += text) },
    env: {},
  });
  return { out, written };
}

interface Counted extends CommandResult {
  readonly name: string;
  readonly count: number;
}

const countedView: ResultView<Counted> = {
  text: (r) => ({ lines: [`${r.name}: ${r.count}`, ''], notes: r.count === 0 ? ['Nothing counted.'] : [] }),
  json: (r) => ({ lines: [{ name: r.name, count: r.count }, new JsonText('{"raw" : 1.0}'), 'a "string"'] }),
};

describe('render: one result, shown as text or as --json', () => {
  it('text: the lines on stdout, then the notes on stderr', () => {
    const { out, written } = capture();
    render(out, countedView, { exitCode: ExitCode.Ok, name: 'items', count: 0 }, false);
    expect(written).toEqual({ stdout: 'items: 0\n\n', stderr: 'Nothing counted.\n' });
  });

  it('--json: each value one JSON line, a JsonText exactly as it came', () => {
    const { out, written } = capture();
    render(out, countedView, { exitCode: ExitCode.Ok, name: 'items', count: 2 }, true);
    expect(written.stdout).toBe('{"name":"items","count":2}\n{"raw" : 1.0}\n"a \\"string\\""\n');
    expect(written.stderr).toBe('');
  });
});

describe('render: notes before the lines, and results without a JSON form', () => {
  const listView: ResultView<{ names: string[] }> = {
    text: (r) => ({ lead: ['Read this first.'], lines: r.names, notes: ['Then this.'] }),
    json: () => undefined,
  };

  it('lead notes go to stderr before the lines, notes after', () => {
    const order: string[] = [];
    const out = new Output({
      stdout: { write: (text: string) => order.push(`out ${text}`) },
      stderr: { write: (text: string) => order.push(`err ${text}`) },
      env: {},
    });
    render(out, listView, { names: ['a'] }, false);
    expect(order).toEqual(['err Read this first.\n', 'out a\n', 'err Then this.\n']);
  });

  it('a result without a JSON form prints its text under --json', () => {
    const { out, written } = capture();
    render(out, listView, { names: ['a', 'b'] }, true);
    expect(written.stdout).toBe('a\nb\n');
  });
});

describe('resultCommand', () => {
  const spec = {
    name: 'count',
    usage: 'op-events count [--json]',
    summary: 'Counts.',
    options: { json: { type: 'boolean' as const, description: 'JSON.' } },
    examples: [{ args: '', does: 'Counts.' }],
  };
  const command = resultCommand(
    spec,
    async () => ({ exitCode: ExitCode.Failure, name: 'items', count: 3 }),
    countedView,
  );

  it.each([
    [[], 'items: 3\n\n'],
    [['--json'], '{"name":"items","count":3}\n{"raw" : 1.0}\n"a \\"string\\""\n'],
  ])('prints the gathered result in the form %j asks for and returns its exit code', async (argv, stdout) => {
    const { out, written } = capture();
    const context = { out, env: {}, now: () => 0, interrupts: new Interrupts(() => undefined) };
    const code = await command.run(parseCommandLine(spec, argv), context);
    expect(code).toBe(ExitCode.Failure);
    expect(written.stdout).toBe(stdout);
  });
});

describe('every command prints its result through the renderer', () => {
  /** Besides the renderer, only --help and --version (main.ts, and run.ts before main) print to stdout. */
  const ALLOWED = ['cli/io.ts', 'cli/main.ts', 'cli/render.ts', 'cli/run.ts'];

  it('no other module under cli/ calls Output.line', () => {
    const files = readdirSync(join(REPO, 'cli'), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `cli/${name}`);
    expect(files).toContain('cli/commands/check.ts');
    const offenders = files.filter(
      (file) => !ALLOWED.includes(file) && /\.line\(/.test(readFileSync(join(REPO, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
