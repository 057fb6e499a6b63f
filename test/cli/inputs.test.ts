import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDuration, formatTable } from '../../cli/format-table';
import { parseEventTypes, parseTimeInput, requireWithinRetention } from '../../cli/inputs';
import { resolveStateDir } from '../../cli/state-dir';
import { lockState } from '../../cli/state-lock';
import { removeTempDirs, tempDir } from './cli-harness';

afterAll(() => removeTempDirs());

const NOW = Date.parse('2026-06-15T12:00:00Z');

describe('times operators type', () => {
  it.each([
    ['2026-06-14T08:30:00Z', '2026-06-14T08:30:00Z'],
    ['2026-06-14T08:30:00.987654321Z', '2026-06-14T08:30:00Z'],
    ['2026-06-14T10:30:00+02:00', '2026-06-14T08:30:00Z'],
    ['2026-06-14', '2026-06-14T00:00:00Z'],
    ['90m', '2026-06-15T10:30:00Z'],
    ['12h', '2026-06-15T00:00:00Z'],
    ['7D', '2026-06-08T12:00:00Z'],
  ])('%s is %s (whole seconds, UTC)', (input, expected) => {
    expect(parseTimeInput(input, '--from', NOW)?.text).toBe(expected);
  });

  it('refuses the future and anything older than 120 days', () => {
    const future = parseTimeInput('2026-06-15T12:05:00Z', '--from', NOW)!;
    expect(() => requireWithinRetention(future, '--from', NOW)).toThrow(/is in the future/);
    const slightlyAhead = parseTimeInput('2026-06-15T12:00:30Z', '--from', NOW)!;
    expect(() => requireWithinRetention(slightlyAhead, '--from', NOW)).not.toThrow();
    const old = parseTimeInput('121d', '--from', NOW)!;
    expect(() => requireWithinRetention(old, '--from', NOW)).toThrow(/not before 2026-02-15T12:00:00Z/);
    expect(() => requireWithinRetention(parseTimeInput('119d', '--from', NOW)!, '--from', NOW)).not.toThrow();
  });

  it('keeps the API order of types and refuses empty lists', () => {
    expect(parseEventTypes('signinattempts, auditevents')).toEqual(['auditevents', 'signinattempts']);
    expect(parseEventTypes(undefined)).toEqual(['auditevents', 'itemusages', 'signinattempts']);
    expect(() => parseEventTypes(' , ')).toThrow('--types is empty');
  });
});

describe('output helpers', () => {
  it('formats durations with their two largest units', () => {
    expect([0, 59.6, 61, 3_600, 90_061, undefined].map(formatDuration)).toEqual([
      '0s',
      '1m',
      '1m 1s',
      '1h',
      '1d 1h',
      '',
    ]);
  });

  it('aligns columns, right-aligns numbers and cuts long cells', () => {
    const table = formatTable(
      ['type', 'events'],
      [
        ['auditevents', 5],
        ['x'.repeat(60), 1500],
      ],
      { alignRight: ['events'], maxCellWidth: 12 },
    );
    expect(table.split('\n')).toEqual([
      'type          events',
      '------------  ------',
      'auditevents        5',
      'xxxxxxxxxxx…    1500',
    ]);
  });
});

describe('state folder lock', () => {
  it('is shared within a process, taken over from a dead process, and refused while another runs', async () => {
    const state = resolveStateDir(tempDir(), {});
    const release = await lockState(state, 'first');
    const nested = await lockState(state, 'nested');
    nested();
    release();

    writeFileSync(
      join(state.root, 'lock'),
      JSON.stringify({ pid: 2 ** 22 + 12_345, purpose: 'gone', since: 'then' }),
    );
    const takeover = await lockState(state, 'after a crash');
    takeover();

    writeFileSync(
      join(state.root, 'lock'),
      JSON.stringify({ pid: process.ppid, purpose: 'npm start --watch', since: 'now' }),
    );
    await expect(lockState(state, 'status', 300)).rejects.toThrow(
      /is in use by "npm start --watch" \(pid \d+, since now\)/,
    );
  });
});
