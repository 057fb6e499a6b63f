import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_NAMES, localClientConfig } from '../../cli/local-services';
import { ensureCursorTable, startDynalite } from '../../local/dynalite-server';
import { type CursorState, CursorStore } from '../../shared/collector/state/cursor-store';
import type { EventType } from '../../shared/contracts/event-types';
import { toWholeSecondRfc3339 } from '../../shared/util/timestamp';
import { removeTempDirs, runBin, runCli, tempDir } from './cli-harness';
import { writeEvents } from './query-fixtures';

const HOUR = 3_600_000;
let state: string;

/** Opens the folder's cursor table directly (no CLI), runs `use`, and closes it again. */
async function withStore<T>(use: (store: CursorStore) => Promise<T>): Promise<T> {
  const dynalite = await startDynalite({ path: join(state, 'dynamodb') });
  const client = new DynamoDBClient(localClientConfig(dynalite.endpoint, dynalite.credentials));
  try {
    await ensureCursorTable(client, LOCAL_NAMES.cursorTable);
    return await use(new CursorStore(client, LOCAL_NAMES.cursorTable));
  } finally {
    client.destroy();
    await dynalite.stop();
  }
}

const readRow = (type: EventType) => withStore((store) => store.read(type));

/** A finished run that delivered `events` events up to `newest`, as the collector records it. */
async function recordRun(
  store: CursorStore,
  type: EventType,
  cursor: string,
  newest: string,
  events: number,
) {
  const owner = `run-${type}-${cursor}`;
  await store.acquireLease(type, owner, Date.now() + 60_000);
  await store.commitPage(type, owner, { cursor, pageLimit: 1000, newestEventTime: newest, events });
  await store.releaseLease(type, owner, {
    runId: owner,
    startedAt: new Date(Date.now() - 2_000).toISOString(),
    finishedAt: new Date().toISOString(),
    result: 'ok',
    events,
    pages: 2,
    stopReason: 'caught_up',
  });
}

/** A run of itemusages that recorded account OLDACCOUNT0000000000000000 (cursor CURSOR-C). */
async function recordOldAccount(store: CursorStore) {
  const owner = 'run-with-account';
  await store.acquireLease('itemusages', owner, Date.now() + 60_000);
  await store.commitPage('itemusages', owner, {
    cursor: 'CURSOR-C',
    pageLimit: 1000,
    newestEventTime: undefined,
    events: 0,
    accountUuid: 'OLDACCOUNT0000000000000000',
  });
  await store.releaseLease('itemusages', owner, {
    runId: owner,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    result: 'ok',
    events: 0,
    pages: 1,
    stopReason: 'caught_up',
  });
}

beforeEach(async () => {
  state = tempDir();
  await withStore(async (store) => {
    await recordRun(store, 'signinattempts', 'CURSOR-A', new Date(Date.now() - 90_000).toISOString(), 1500);
    await recordRun(store, 'itemusages', 'CURSOR-B', new Date(Date.now() - 30_000).toISOString(), 40);
  });
});
afterEach(() => removeTempDirs());

describe('op-events status', () => {
  it('shows last run, newest event, lag, lease and reset state per type', async () => {
    const result = await runCli(['status', '--state-dir', state]);
    expect(result.code).toBe(0);
    const row = (type: string) => result.stdout.split('\n').find((line) => line.startsWith(type)) ?? '';
    expect(row('signinattempts')).toMatch(/ok\s+1500\s+2\s+caught_up\s+\S+\s+1m \d+s\s+1500\s+free\s+no$/);
    expect(row('itemusages')).toMatch(/ok\s+40\s+2\s+caught_up/);
    expect(row('auditevents')).toMatch(/^auditevents\s+never\s+0\s+free\s+no$/);
  });

  it('shows a held lease and a failed run with its error', async () => {
    await withStore(async (store) => {
      await store.acquireLease('auditevents', 'run-that-failed', Date.now() + 60_000);
      await store.releaseLease('auditevents', 'run-that-failed', {
        runId: 'run-that-failed',
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        result: 'failed',
        events: 0,
        pages: 0,
        stopReason: 'failed',
        error: 'AuthError: The token lacks the auditevents feature',
      });
      await store.acquireLease('itemusages', 'run-in-progress', Date.now() + 45_000);
    });
    const result = await runCli(['status', '--state-dir', state, '--types', 'auditevents,itemusages']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/auditevents\s+\S+ \S+\s+failed\s+0\s+0\s+failed/);
    expect(result.stdout).toContain(
      'auditevents last run failed: AuthError: The token lacks the auditevents feature',
    );
    expect(result.stdout).toMatch(/itemusages .* run-in-progress until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
    expect(result.stdout).not.toContain('signinattempts');
  });

  it('--json gives one object per type without the cursor itself', async () => {
    const result = await runCli(['status', '--state-dir', state, '--json', '--types', 'signinattempts']);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      type: 'signinattempts',
      hasCursor: true,
      totalEvents: 1500,
      pageLimit: 1000,
    });
    expect(parsed).not.toHaveProperty('cursor');
    expect(parsed.lagSeconds).toBeGreaterThan(80);
  });

  it('refuses a folder without a cursor table and creates nothing (exit 2)', async () => {
    const empty = join(tempDir(), 'never-run');
    const result = await runCli(['status', '--state-dir', empty]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No local cursor table in');
    expect(result.stderr).toContain('run "npm start" first');
    expect(existsSync(empty)).toBe(false);
  });

  it('refuses to mix local and AWS options (exit 2)', async () => {
    const result = await runCli(['status', '--state-dir', state, '--stack', 'prod']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--state-dir is for local state; it cannot be combined with --stack');
  });
});

describe('op-events reset and undo', () => {
  it('moves the start, keeps the old position, and undo restores it (through the real bin)', async () => {
    const from = new Date(Date.now() - 48 * HOUR);
    const reset = await runBin([
      'reset',
      '--type',
      'signinattempts',
      '--from',
      from.toISOString(),
      '--state-dir',
      state,
    ]);
    expect(reset.code).toBe(0);
    const startFrom = `${from.toISOString().slice(0, 19)}Z`;
    expect(reset.stdout).toContain(`the next run starts at ${startFrom} with a fresh cursor`);
    expect(reset.stdout).toContain(
      'Before, signinattempts was continuing from its stored cursor (newest event delivered:',
    );
    expect(reset.stdout).toContain(
      `Undo (before or after the next run): op-events undo --type signinattempts --state-dir ${state}`,
    );
    const afterReset = await readRow('signinattempts');
    expect(afterReset.cursor).toBeUndefined();
    expect(afterReset.startFrom).toBe(startFrom);
    expect(afterReset.resetHistory).toMatchObject([{ cursor: 'CURSOR-A', pageLimit: 1000 }]);

    const status = await runCli(['status', '--state-dir', state, '--types', 'signinattempts']);
    expect(status.stdout).toContain(`next run starts at ${startFrom}`);
    expect(status.stdout).toContain(
      'signinattempts: 1 reset(s) can be undone, newest first, one "op-events undo --type signinattempts" each:',
    );
    expect(status.stdout).toMatch(/ {2}1\. reset at \S+; undo returns to: continuing from its stored cursor/);

    const undo = await runBin(['undo', '--type', 'signinattempts', '--state-dir', state]);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain('signinattempts is now continuing from its stored cursor');
    const restored = await readRow('signinattempts');
    expect(restored).toMatchObject({ cursor: 'CURSOR-A', pageLimit: 1000 });
    expect(restored.startFrom).toBeUndefined();
    expect(restored.resetHistory).toBeUndefined();

    const again = await runCli(['undo', '--type', 'signinattempts', '--state-dir', state]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('There is no reset of signinattempts to undo');
    expect(await readRow('signinattempts')).toEqual(restored);
  });

  it.each([
    [
      ['--type', 'signinattempts', '--from', new Date(Date.now() + 3 * HOUR).toISOString()],
      'is in the future',
    ],
    [['--type', 'signinattempts', '--from', '121d'], 'older than the Events API keeps events (120 days'],
    [['--type', 'signinattempts', '--from', '121d'], '). Give a later time.'],
    [['--type', 'signinattempts', '--from', '2026-13-01'], 'is not a time'],
    [['--type', 'signinattempts', '--from', '2026-02-30'], 'is not a time'],
    [['--type', 'signinattempts', '--from', '2026-11-01T00:00:00+99:99'], 'is not a time'],
    [['--type', 'signinattempts'], '--from is required'],
    [['--type', 'logins', '--from', '1d'], 'Unknown event type "logins"'],
  ])('refuses %j (exit 2) and leaves the row unchanged', async (args, message) => {
    const before = await readRow('signinattempts');
    const result = await runCli(['reset', ...args, '--state-dir', state]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await readRow('signinattempts')).toEqual(before);
  });

  it('keeps every replaced position: status lists them, undo walks back one step at a time', async () => {
    const started = Date.now();
    const day = (n: number) => toWholeSecondRfc3339(started - n * 24 * HOUR);
    for (const n of [30, 20, 10]) {
      const reset = await runCli([
        'reset',
        '--type',
        'signinattempts',
        '--from',
        day(n),
        '--state-dir',
        state,
      ]);
      expect(reset.code).toBe(0);
    }
    const status = await runCli(['status', '--state-dir', state, '--types', 'signinattempts']);
    expect(status.stdout).toContain('signinattempts: 3 reset(s) can be undone, newest first');
    expect(status.stdout).toMatch(
      new RegExp(
        [
          `1\\. reset at \\S+; undo returns to: set to start at ${day(20)}`,
          `2\\. reset at \\S+; undo returns to: set to start at ${day(30)}`,
          '3\\. reset at \\S+; undo returns to: continuing from its stored cursor',
        ].join('\n {2}'),
      ),
    );
    const json = await runCli(['status', '--json', '--state-dir', state, '--types', 'signinattempts']);
    const history = JSON.parse(json.stdout).resetHistory;
    expect(
      history.map((p: { startFrom?: string; hasCursor: boolean }) => p.startFrom ?? p.hasCursor),
    ).toEqual([day(20), day(30), true]);
    expect(history.filter((p: object) => 'cursor' in p)).toEqual([]);

    const steps: string[] = [];
    for (let i = 0; i < 3; i++) {
      const undo = await runCli(['undo', '--type', 'signinattempts', '--state-dir', state]);
      expect(undo.code).toBe(0);
      steps.push(undo.stdout);
    }
    expect(steps[0]).toContain(`signinattempts is now set to start at ${day(20)}`);
    expect(steps[0]).toContain('2 earlier resets can still be undone');
    expect(steps[1]).toContain(`signinattempts is now set to start at ${day(30)}`);
    expect(steps[2]).toContain('signinattempts is now continuing from its stored cursor');
    expect(steps[2]).toContain('No earlier reset is kept.');
    expect(await readRow('signinattempts')).toMatchObject({ cursor: 'CURSOR-A' });
    expect((await runCli(['undo', '--type', 'signinattempts', '--state-dir', state])).code).toBe(2);
  });

  it('refuses while a run holds the lease (exit 1) and leaves the row unchanged', async () => {
    await withStore((store) => store.acquireLease('signinattempts', 'busy-run', Date.now() + 60_000));
    const before: CursorState = await readRow('signinattempts');
    const result = await runCli(['reset', '--type', 'signinattempts', '--from', '1d', '--state-dir', state]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('A signinattempts run is in progress; try again when it has finished');
    expect(await readRow('signinattempts')).toEqual(before);
  });
});

describe('op-events accept-account', () => {
  it("forgets the type's recorded account so that the next run records the new one", async () => {
    await withStore(recordOldAccount);
    const accepted = await runCli(['accept-account', '--type', 'itemusages', '--state-dir', state]);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('Forgot account OLDACCOUNT0000000000000000 for itemusages');
    const row = await readRow('itemusages');
    expect(row.accountUuid).toBeUndefined();
    expect(row.cursor).toBe('CURSOR-C');

    const again = await runCli(['accept-account', '--type', 'itemusages', '--state-dir', state]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('has no account recorded yet');
  });
});

describe('--json on the commands that change a cursor row', () => {
  it('reset and undo print one object each, without any cursor, and change what the text form changes', async () => {
    const reset = await runCli([
      'reset',
      '--type',
      'signinattempts',
      '--from',
      '1d',
      '--json',
      '--state-dir',
      state,
    ]);
    expect(reset.code, reset.stderr).toBe(0);
    const resetResult = JSON.parse(reset.stdout) as { startFrom: string };
    expect(resetResult).toMatchObject({
      type: 'signinattempts',
      before: { hasCursor: true, totalEvents: 1500 },
      after: { hasCursor: false, startFrom: resetResult.startFrom, resetHistory: [{ hasCursor: true }] },
    });
    expect(resetResult.startFrom).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(reset.stdout).not.toContain('"cursor"');
    expect((await readRow('signinattempts')).startFrom).toBe(resetResult.startFrom);

    const undo = await runCli(['undo', '--type', 'signinattempts', '--json', '--state-dir', state]);
    expect(undo.code, undo.stderr).toBe(0);
    const undoResult = JSON.parse(undo.stdout) as { undone: object };
    expect(undoResult).toMatchObject({
      type: 'signinattempts',
      runsSinceReset: false,
      after: { hasCursor: true, resetHistory: [] },
    });
    expect(undoResult.undone).not.toHaveProperty('cursor');
    expect(undo.stdout).not.toContain('"cursor"');
    expect((await readRow('signinattempts')).cursor).toBe('CURSOR-A');
  });

  it('accept-account prints the account it forgot', async () => {
    await withStore(recordOldAccount);
    const accepted = await runCli(['accept-account', '--type', 'itemusages', '--json', '--state-dir', state]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({
      type: 'itemusages',
      forgottenAccount: 'OLDACCOUNT0000000000000000',
    });
    expect((await readRow('itemusages')).accountUuid).toBeUndefined();
  });
});

describe('status, reset, undo and accept-account output, pinned as they print it', () => {
  const NOW = () => Date.parse('2026-11-30T12:00:00Z');

  /** A fresh folder whose rows hold only fixed times (the lease, taken on the real clock, is released). */
  async function fixedState() {
    state = tempDir();
    await withStore(async (store) => {
      for (const [type, events] of [
        ['signinattempts', 1500],
        ['itemusages', 40],
      ] as const) {
        const owner = `run-${type}`;
        await store.acquireLease(type, owner, Date.now() + 60_000);
        await store.commitPage(type, owner, {
          cursor: `CURSOR-${type}`,
          pageLimit: 1000,
          newestEventTime: '2026-11-30T11:58:30Z',
          events,
          accountUuid: 'OLDACCOUNT0000000000000000',
        });
        await store.releaseLease(type, owner, {
          runId: owner,
          startedAt: '2026-11-30T11:59:00.000Z',
          finishedAt: '2026-11-30T11:59:02.000Z',
          result: 'ok',
          events,
          pages: 2,
          stopReason: 'caught_up',
        });
      }
    });
  }

  /**
   * The output with the state folder as <state>, the times the store takes from the real clock as <now>, and
   * the rows' updatedAt (written on the real clock or on the command's) as <time>.
   */
  function pinned(text: string): string {
    return text
      .replaceAll(state, '<state>')
      .replace(/"changedAt":"[^"]+"/g, '"changedAt":"<now>"')
      .replace(/"updatedAt":"[^"]+"/g, '"updatedAt":"<time>"')
      .replace(/reset at \S+;/g, 'reset at <now>;')
      .replace(/\(made [^)]+\)/g, '(made <now>)');
  }

  const cli = (...args: string[]) => runCli([...args, '--state-dir', state], {}, NOW);

  it('status as a table and as --json lines', async () => {
    await fixedState();
    const text = await cli('status');
    expect(text.code).toBe(0);
    expect(pinned(text.stdout)).toMatchInlineSnapshot(`
      "State folder: <state>
      Cursor table: local table in <state>/dynamodb

      type            last run              result  events  pages  stop       newest event          lag     total  lease  reset pending
      --------------  --------------------  ------  ------  -----  ---------  --------------------  ------  -----  -----  -------------
      auditevents     never                                                                                     0  free   no
      itemusages      2026-11-30 11:59:02Z  ok          40      2  caught_up  2026-11-30T11:58:30Z  1m 30s     40  free   no
      signinattempts  2026-11-30 11:59:02Z  ok        1500      2  caught_up  2026-11-30T11:58:30Z  1m 30s   1500  free   no
      "
    `);
    const json = await cli('status', '--json');
    expect(json.code).toBe(0);
    expect(pinned(json.stdout)).toMatchInlineSnapshot(`
      "{"type":"auditevents","totalEvents":0,"hasCursor":false,"resetHistory":[]}
      {"type":"itemusages","pageLimit":1000,"newestEventTime":"2026-11-30T11:58:30Z","accountUuid":"OLDACCOUNT0000000000000000","lastRun":{"runId":"run-itemusages","startedAt":"2026-11-30T11:59:00.000Z","finishedAt":"2026-11-30T11:59:02.000Z","result":"ok","events":40,"pages":2,"stopReason":"caught_up"},"totalEvents":40,"updatedAt":"<time>","hasCursor":true,"resetHistory":[],"lagSeconds":90}
      {"type":"signinattempts","pageLimit":1000,"newestEventTime":"2026-11-30T11:58:30Z","accountUuid":"OLDACCOUNT0000000000000000","lastRun":{"runId":"run-signinattempts","startedAt":"2026-11-30T11:59:00.000Z","finishedAt":"2026-11-30T11:59:02.000Z","result":"ok","events":1500,"pages":2,"stopReason":"caught_up"},"totalEvents":1500,"updatedAt":"<time>","hasCursor":true,"resetHistory":[],"lagSeconds":90}
      "
    `);
  });

  it('status of a folder holding events whose fields drifted: the fields listed after the table', async () => {
    await fixedState();
    const drifted = { uuid: 'D1', timestamp: '2026-11-30T11:00:00Z', country: 7, client: 'not an object' };
    writeEvents(join(state, 's3'), 'signinattempts', [drifted]);
    const text = await cli('status', '--types', 'signinattempts');
    expect(text.code).toBe(0);
    expect(pinned(text.stdout)).toMatchInlineSnapshot(`
      "State folder: <state>
      Cursor table: local table in <state>/dynamodb

      type            last run              result  events  pages  stop       newest event          lag     total  lease  reset pending
      --------------  --------------------  ------  ------  -----  ---------  --------------------  ------  -----  -----  -------------
      signinattempts  2026-11-30 11:59:02Z  ok        1500      2  caught_up  2026-11-30T11:58:30Z  1m 30s   1500  free   no

      Fields in another form than 1Password documents (stored as sent; they read as NULL in the tables):
      type            field    arrived as  events
      --------------  -------  ----------  ------
      signinattempts  client   string           1
      signinattempts  country  number           1
      Each one with its value: SELECT * FROM signinattempts_drift. The lines as sent: signinattempts_raw.
      "
    `);
  });

  it('reset, status with the reset to undo, and undo: text and --json', async () => {
    await fixedState();
    const reset = await cli('reset', '--type', 'signinattempts', '--from', '2026-11-29T00:00:00Z');
    expect(pinned(reset.stdout)).toMatchInlineSnapshot(`
      "Reset signinattempts in local table in <state>/dynamodb: the next run starts at 2026-11-29T00:00:00Z with a fresh cursor.
      Before, signinattempts was continuing from its stored cursor (newest event delivered: 2026-11-30T11:58:30Z).
      Events from 2026-11-29T00:00:00Z on are collected again; those already in S3 become duplicates, which the *_unique views remove.
      Undo (before or after the next run): op-events undo --type signinattempts --state-dir <state>
      "
    `);
    const resetJson = await cli('reset', '--type', 'itemusages', '--from', '1d', '--json');
    expect(pinned(resetJson.stdout)).toMatchInlineSnapshot(`
      "{"type":"itemusages","where":"local table in <state>/dynamodb","startFrom":"2026-11-29T12:00:00Z","before":{"type":"itemusages","pageLimit":1000,"newestEventTime":"2026-11-30T11:58:30Z","accountUuid":"OLDACCOUNT0000000000000000","lastRun":{"runId":"run-itemusages","startedAt":"2026-11-30T11:59:00.000Z","finishedAt":"2026-11-30T11:59:02.000Z","result":"ok","events":40,"pages":2,"stopReason":"caught_up"},"totalEvents":40,"updatedAt":"<time>","hasCursor":true,"resetHistory":[]},"after":{"type":"itemusages","newestEventTime":"2026-11-30T11:58:30Z","startFrom":"2026-11-29T12:00:00Z","accountUuid":"OLDACCOUNT0000000000000000","lastRun":{"runId":"run-itemusages","startedAt":"2026-11-30T11:59:00.000Z","finishedAt":"2026-11-30T11:59:02.000Z","result":"ok","events":40,"pages":2,"stopReason":"caught_up"},"totalEvents":40,"updatedAt":"<time>","hasCursor":false,"resetHistory":[{"pageLimit":1000,"changedAt":"<now>","hasCursor":true}]}}
      "
    `);
    const status = await cli('status', '--types', 'signinattempts,itemusages');
    expect(pinned(status.stdout)).toMatchInlineSnapshot(`
      "State folder: <state>
      Cursor table: local table in <state>/dynamodb

      type            last run              result  events  pages  stop       newest event          lag     total  lease  reset pending
      --------------  --------------------  ------  ------  -----  ---------  --------------------  ------  -----  -----  ---------------------------------------
      itemusages      2026-11-30 11:59:02Z  ok          40      2  caught_up  2026-11-30T11:58:30Z  1m 30s     40  free   next run starts at 2026-11-29T12:00:00Z
      signinattempts  2026-11-30 11:59:02Z  ok        1500      2  caught_up  2026-11-30T11:58:30Z  1m 30s   1500  free   next run starts at 2026-11-29T00:00:00Z

      itemusages: 1 reset(s) can be undone, newest first, one "op-events undo --type itemusages" each:
        1. reset at <now>; undo returns to: continuing from its stored cursor

      signinattempts: 1 reset(s) can be undone, newest first, one "op-events undo --type signinattempts" each:
        1. reset at <now>; undo returns to: continuing from its stored cursor
      "
    `);
    const statusJson = await cli('status', '--types', 'signinattempts', '--json');
    expect(pinned(statusJson.stdout)).toMatchInlineSnapshot(`
      "{"type":"signinattempts","newestEventTime":"2026-11-30T11:58:30Z","startFrom":"2026-11-29T00:00:00Z","accountUuid":"OLDACCOUNT0000000000000000","lastRun":{"runId":"run-signinattempts","startedAt":"2026-11-30T11:59:00.000Z","finishedAt":"2026-11-30T11:59:02.000Z","result":"ok","events":1500,"pages":2,"stopReason":"caught_up"},"totalEvents":1500,"updatedAt":"<time>","hasCursor":false,"resetHistory":[{"pageLimit":1000,"changedAt":"<now>","hasCursor":true}],"lagSeconds":90}
      "
    `);
    const undo = await cli('undo', '--type', 'signinattempts');
    expect(pinned(undo.stdout)).toMatchInlineSnapshot(`
      "Undid the reset of signinattempts (made <now>) in local table in <state>/dynamodb.
      signinattempts is now continuing from its stored cursor (newest event delivered: 2026-11-30T11:58:30Z).
      No earlier reset is kept.
      "
    `);
    const undoJson = await cli('undo', '--type', 'itemusages', '--json');
    expect(pinned(undoJson.stdout)).toMatchInlineSnapshot(`
      "{"type":"itemusages","where":"local table in <state>/dynamodb","undone":{"pageLimit":1000,"changedAt":"<now>"},"runsSinceReset":false,"after":{"type":"itemusages","pageLimit":1000,"newestEventTime":"2026-11-30T11:58:30Z","accountUuid":"OLDACCOUNT0000000000000000","lastRun":{"runId":"run-itemusages","startedAt":"2026-11-30T11:59:00.000Z","finishedAt":"2026-11-30T11:59:02.000Z","result":"ok","events":40,"pages":2,"stopReason":"caught_up"},"totalEvents":40,"updatedAt":"<time>","hasCursor":true,"resetHistory":[]}}
      "
    `);
    expect([reset, resetJson, status, statusJson, undo, undoJson].map((r) => r.code)).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
  });

  it('accept-account: text and --json', async () => {
    await fixedState();
    const text = await cli('accept-account', '--type', 'itemusages');
    expect(text.code).toBe(0);
    expect(pinned(text.stdout)).toMatchInlineSnapshot(`
      "Forgot account OLDACCOUNT0000000000000000 for itemusages in local table in <state>/dynamodb.
      The next run records the account of the token in the secret and continues; if the stored cursor belongs to the old account, the API rejects it and the run restarts from the newest delivered event minus the overlap.
      "
    `);
    const json = await cli('accept-account', '--type', 'signinattempts', '--json');
    expect(json.code).toBe(0);
    expect(pinned(json.stdout)).toMatchInlineSnapshot(`
      "{"type":"signinattempts","where":"local table in <state>/dynamodb","forgottenAccount":"OLDACCOUNT0000000000000000"}
      "
    `);
  });
});
