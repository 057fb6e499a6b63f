import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Output } from '../../cli/io';
import { neutraliseControls } from '../../cli/terminal-text';
import { HOSTILE, RAW_CONTROL } from '../support/hostile-text';
import { readImportGraph } from '../support/import-graph';
import { REPO } from './cli-harness';

function capture(isTTY: boolean) {
  const written = { stdout: '', stderr: '' };
  const out = new Output({
    stdout: { write: (text: string) => (written.stdout += text) },
    stderr: { write: (text: string) => (written.stderr += text), isTTY },
    env: {},
  });
  return { out, written };
}

describe('neutraliseControls', () => {
  it('writes every character a terminal acts on as a visible \\u escape, and keeps the rest', () => {
    expect(neutraliseControls(`a${HOSTILE}b`)).toBe(
      'a\\u001b]0;owned\\u0007\\u001b[2J\\u001b[31mred\\u009b1m\\u202eevil\\u2066x\\u2069\\u200f\\u061c\\u000d\\u0000\\u007f\\u0085\\u2028b',
    );
    expect(neutraliseControls('line\n\tnext é 日本 🙂 "q" \\')).toBe('line\n\tnext é 日本 🙂 "q" \\');
  });

  it('leaves a JSON text valid JSON that parses to the same value', () => {
    const value = { field: `Chrome${HOSTILE}`, [`key${HOSTILE}`]: [HOSTILE, 1, null] };
    const shown = neutraliseControls(JSON.stringify(value));
    expect(shown).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(shown)).toEqual(value);
  });
});

describe('Output: the one path to stdout and stderr', () => {
  it.each([true, false])('neutralises lines, notes and status lines (stderr a terminal: %s)', (isTTY) => {
    const { out, written } = capture(isTTY);
    out.line(`data ${HOSTILE}`);
    out.note(`note ${HOSTILE}`);
    out.status(`status ${HOSTILE}`);
    out.clearStatus();
    expect(written.stdout).toBe(`data ${neutraliseControls(HOSTILE)}\n`);
    // The status line's own \r and erase-line sequence are the only controls written.
    expect(written.stderr.replaceAll('\r\u001b[2K', '')).not.toMatch(RAW_CONTROL);
    expect(written.stderr).toContain(`note ${neutraliseControls(HOSTILE)}\n`);
    expect(written.stderr).toContain(`status ${neutraliseControls(HOSTILE)}`);
  });

  it('keeps a --json line exact: valid JSON, the same value, no raw C1 or bidi character', () => {
    const { out, written } = capture(true);
    const row = { app: `Chrome${HOSTILE}`, n: 1 };
    out.line(JSON.stringify(row));
    expect(written.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(written.stdout)).toEqual(row);
  });
});

/**
 * Every module the CLI can load (cli/ imports only local/ and shared/, test/folder-rules.test.ts)
 * writes through Output (cli/io.ts): nothing else names the process's streams, the console or the
 * file descriptors 1 and 2. processIo in cli/io.ts hands the streams to Output and nothing else.
 */
describe('no other way to the terminal', () => {
  const OTHER_ROUTE =
    /\bprocess\s*\.\s*(stdout|stderr)\b|\bconsole\s*\.\s*\w+\s*\(|process\s*\._rawDebug|\b(write|writeSync)\s*\(\s*[12]\s*,|\/dev\/(tty|stdout|stderr)|\.(stdout|stderr)\s*\.\s*write\b/;
  const { graph } = readImportGraph(REPO, ['cli', 'local', 'shared']);

  /** Modules reachable from the CLI's entry point (the launcher loads cli/run.ts by URL, or its bundle). */
  function reachable(): string[] {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const next of graph.get(file) ?? []) visit(next);
    };
    visit('cli/run.ts');
    return [...seen].sort();
  }

  it('the scan finds the commands, the stand-ins and the collector library', () => {
    const files = reachable();
    expect(files).toEqual(expect.arrayContaining(['cli/commands/query.ts', 'cli/duckdb-sandbox.ts']));
    expect(files.some((f) => f.startsWith('local/'))).toBe(true);
    expect(files.some((f) => f.startsWith('shared/'))).toBe(true);
  });

  it('only cli/io.ts names stdout or stderr, and only Output writes to them', () => {
    const offenders = [...reachable(), 'packages/cli/bin/op-events.mjs'].filter((file) => {
      const text = readFileSync(join(REPO, file), 'utf8');
      if (file !== 'cli/io.ts') return OTHER_ROUTE.test(text);
      // In io.ts processIo passes the streams on, and Output.emit is the one call that writes.
      const writes = text.match(/\.write\(.*/g) ?? [];
      return writes.length !== 1 || !writes[0]?.includes('neutraliseControls(shown)');
    });
    expect(offenders).toEqual([]);
  });

  it('the scan would catch a direct write', () => {
    for (const text of [
      'process.stdout.write(x)',
      'console.error(x)',
      'process.stderr .write(x)',
      'fs.writeSync(2, x)',
      "createWriteStream('/dev/tty')",
      'io.stderr.write(x)',
    ]) {
      expect(OTHER_ROUTE.test(text)).toBe(true);
    }
  });
});
