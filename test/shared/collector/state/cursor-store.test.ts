import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCursorTable, type RunningDynalite, startDynalite } from '../../../../local/dynalite-server';
import { RequestBudget } from '../../../../shared/collector/events-api/request-budget';
import { CursorStore, MAX_RESET_HISTORY } from '../../../../shared/collector/state/cursor-store';
import { REQUEST_BUDGET_KEY } from '../../../../shared/contracts/event-types';
import { CursorChangeRefusedError, LeaseLostError } from '../../../../shared/util/errors';

// Against dynalite: the DynamoDB protocol's conditions and atomic updates are what the lease relies on.
let dynalite: RunningDynalite;
let client: DynamoDBClient;
let tableCount = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = new DynamoDBClient({ endpoint: dynalite.endpoint, credentials: dynalite.credentials });
});
afterAll(async () => {
  client.destroy();
  await dynalite.stop();
});

async function freshStore(now: () => number): Promise<CursorStore> {
  const table = `cursors-${++tableCount}`;
  await ensureCursorTable(client, table);
  return new CursorStore(client, table, now);
}

const run = (runId: string) => ({
  runId,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  result: 'ok' as const,
  events: 3,
  pages: 1,
  stopReason: 'caught_up',
});

/** What a run commits after a page: its cursor, page size and event count (and newest event time). */
const page = (cursor: string, pageLimit: number, events: number, newestEventTime?: string) => ({
  cursor,
  pageLimit,
  newestEventTime,
  events,
});

describe('CursorStore', () => {
  it('grants the lease to one run at a time until it expires', async () => {
    let now = 1_000;
    const store = await freshStore(() => now);
    const first = await store.acquireLease('itemusages', 'run-a', 61_000);
    expect(first).toMatchObject({
      acquired: true,
      state: { type: 'itemusages', leaseOwner: 'run-a', totalEvents: 0 },
    });
    expect(await store.acquireLease('itemusages', 'run-b', 70_000)).toEqual({
      acquired: false,
      holder: 'run-a',
      expiresAt: 61_000,
    });
    // Other types have their own rows.
    expect((await store.acquireLease('auditevents', 'run-c', 61_000)).acquired).toBe(true);
    now = 61_001;
    expect((await store.acquireLease('itemusages', 'run-b', 120_000)).acquired).toBe(true);
  });

  it('commits only while the lease is held (fencing) and keeps the cursor of the holder', async () => {
    let now = 0;
    const store = await freshStore(() => now);
    await store.acquireLease('signinattempts', 'old', 10_000);
    await store.commitPage('signinattempts', 'old', page('c1', 100, 5, '2026-01-01T00:00:00Z'));
    now = 20_000; // old run's lease expired (its invocation was killed)
    await store.acquireLease('signinattempts', 'new', 80_000);
    await expect(store.commitPage('signinattempts', 'old', page('stale', 100, 1))).rejects.toThrow(
      LeaseLostError,
    );
    expect(await store.releaseLease('signinattempts', 'old', run('old'))).toBe(false);
    const state = await store.read('signinattempts');
    expect(state).toMatchObject({ cursor: 'c1', pageLimit: 100, totalEvents: 5, leaseOwner: 'new' });
  });

  it('release frees the lease and records the run', async () => {
    const store = await freshStore(() => 5);
    await store.acquireLease('auditevents', 'r1', 1000);
    await store.commitPage('auditevents', 'r1', page('c', 10, 3));
    expect(
      await store.releaseLease('auditevents', 'r1', { ...run('r1'), result: 'failed', error: 'boom' }),
    ).toBe(true);
    const state = await store.read('auditevents');
    expect(state.leaseOwner).toBeUndefined();
    expect(state.lastRun).toMatchObject({ runId: 'r1', result: 'failed', error: 'boom', events: 3 });
    expect((await store.acquireLease('auditevents', 'r2', 2000)).acquired).toBe(true);
  });

  it('reset keeps the previous position for undo, and is refused during a run', async () => {
    let now = 0;
    const store = await freshStore(() => now);
    await store.acquireLease('itemusages', 'r1', 1000);
    await store.commitPage('itemusages', 'r1', page('c9', 1000, 1));
    await expect(store.resetStart('itemusages', '2026-01-01T00:00:00Z')).rejects.toThrow(
      /run is in progress/,
    );
    await store.releaseLease('itemusages', 'r1', run('r1'));
    const reset = await store.resetStart('itemusages', '2026-01-01T00:00:00Z');
    expect(reset).toMatchObject({
      startFrom: '2026-01-01T00:00:00Z',
      resetHistory: [{ cursor: 'c9', pageLimit: 1000 }],
    });
    expect(reset.cursor).toBeUndefined();
    const undone = await store.undoReset('itemusages');
    expect(undone).toMatchObject({ cursor: 'c9', pageLimit: 1000 });
    expect(undone?.startFrom).toBeUndefined();
    expect(undone?.resetHistory).toBeUndefined();
    now = 1;
    expect(await store.undoReset('itemusages')).toBeUndefined();
  });

  it("refuses an operator's change while a run holds the lease with its own error, not the run's LeaseLostError", async () => {
    const store = await freshStore(() => 0);
    await store.acquireLease('auditevents', 'r1', 1000);
    const changes = [
      () => store.resetStart('auditevents', '2026-01-01T00:00:00Z'),
      () => store.acceptAccount('auditevents'),
    ];
    for (const change of changes) {
      const error = await change().then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(CursorChangeRefusedError);
      expect(error).not.toBeInstanceOf(LeaseLostError);
      expect(error).toMatchObject({ code: 'cursor_change_refused', needsOperator: false });
      expect((error as Error).message).toMatch(
        /^A auditevents run is in progress; try again when it has finished \(within a few minutes\)\./,
      );
      expect((error as Error).message).toMatch(/ Nothing was changed\.$/);
    }
    // The run that holds the lease still commits: the refusals changed nothing.
    await store.commitPage('auditevents', 'r1', page('c1', 5, 1));
    expect(await store.read('auditevents')).toMatchObject({ cursor: 'c1', leaseOwner: 'r1' });
  });

  it('a commit clears a pending reset start', async () => {
    const store = await freshStore(() => 0);
    await store.resetStart('auditevents', '2026-02-01T00:00:00Z');
    await store.acquireLease('auditevents', 'r', 1000);
    await store.commitPage('auditevents', 'r', page('c', 5, 0));
    expect((await store.read('auditevents')).startFrom).toBeUndefined();
  });
});

describe('RequestBudget', () => {
  it('shares one per-minute budget between callers and waits for the next window', async () => {
    const table = `budget-${++tableCount}`;
    await ensureCursorTable(client, table);
    let now = 60_000 * 1000 + 5;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
      now += ms;
    };
    const a = new RequestBudget(client, table, 3, () => now, sleep);
    const b = new RequestBudget(client, table, 3, () => now, sleep);
    await a.acquire(now + 600_000);
    await b.acquire(now + 600_000);
    await a.acquire(now + 600_000);
    expect(waits).toEqual([]);
    await b.acquire(now + 600_000); // fourth in the same minute: waits for the next window
    expect(waits).toHaveLength(1);
    expect(Math.floor(now / 60_000)).toBe(1001);
    // The new window has units again: granted before that window ends, with no further wait. The deadline is
    // the window's end, not a few milliseconds away: the DynamoDB write is bounded by it in real time.
    await expect(a.acquire(Math.ceil((now + 1) / 60_000) * 60_000 - 1)).resolves.toBeUndefined();
    expect(waits).toHaveLength(1);
  });

  it('takes several units per write under a large budget, never granting more than the budget', async () => {
    const table = `budget-${++tableCount}`;
    await ensureCursorTable(client, table);
    let now = 60_000 * 2000 + 5;
    let waited = false;
    const sleep = async (ms: number) => {
      waited = true;
      now += ms;
    };
    const callers = [0, 1, 2].map(() => new RequestBudget(client, table, 300, () => now, sleep));
    let granted = 0;
    for (let i = 0; !waited; i++) {
      await callers[i % 3]!.acquire(now + 600_000);
      if (!waited) granted++;
    }
    // Units a caller took (or took ahead) but had not handed out when the window ran dry are lost, never reused.
    expect(granted).toBeLessThanOrEqual(300);
    expect(granted).toBeGreaterThanOrEqual(300 - 3 * (4 + 5));
    const row = await client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: REQUEST_BUDGET_KEY } }, ConsistentRead: true }),
    );
    expect(Number(row.Item?.used?.N)).toBeLessThanOrEqual(300);
  });

  it('two types opening the same new window at once both get a unit without waiting', async () => {
    const table = `budget-${++tableCount}`;
    await ensureCursorTable(client, table);
    let now = 60_000 * 500;
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const a = new RequestBudget(client, table, 10, () => now, sleep);
    const b = new RequestBudget(client, table, 10, () => now, sleep);
    await a.acquire(now + 600_000); // the row now holds an older window
    now += 60_000;
    // Both see the old window, both try to open the new one; one opens it, the other takes from it.
    await Promise.all([a.acquire(now + 600_000), b.acquire(now + 600_000)]);
    expect(waits).toEqual([]);
  });

  it('fails rather than wait past the deadline', async () => {
    const table = `budget-${++tableCount}`;
    await ensureCursorTable(client, table);
    const now = 120_000;
    const budget = new RequestBudget(
      client,
      table,
      1,
      () => now,
      async () => undefined,
    );
    await budget.acquire(now + 1000);
    await expect(budget.acquire(now + 1000)).rejects.toThrow(/shared request budget \(1 requests a minute/);
  });
});

describe('reset history', () => {
  async function storeAtCursor(type: 'auditevents' | 'itemusages', cursor: string) {
    let now = 1_000;
    const store = await freshStore(() => now++);
    const table = `cursors-${tableCount}`;
    await store.acquireLease(type, 'r1', 10_000_000);
    await store.commitPage(type, 'r1', page(cursor, 1000, 1));
    await store.releaseLease(type, 'r1', run('r1'));
    return { store, table };
  }

  it('keeps every position a reset replaced, and undo walks back one step at a time', async () => {
    const { store } = await storeAtCursor('auditevents', 'ORIGINAL');
    await store.resetStart('auditevents', '2026-01-01T00:00:00Z');
    await store.resetStart('auditevents', '2026-02-01T00:00:00Z');
    const third = await store.resetStart('auditevents', '2026-03-01T00:00:00Z');
    expect(third.startFrom).toBe('2026-03-01T00:00:00Z');
    expect(third.resetHistory?.map((p) => p.cursor ?? p.startFrom)).toEqual([
      'ORIGINAL',
      '2026-01-01T00:00:00Z',
      '2026-02-01T00:00:00Z',
    ]);

    const first = await store.undoReset('auditevents');
    expect(first).toMatchObject({ startFrom: '2026-02-01T00:00:00Z' });
    expect(first?.resetHistory).toHaveLength(2);
    expect(await store.undoReset('auditevents')).toMatchObject({ startFrom: '2026-01-01T00:00:00Z' });
    const original = await store.undoReset('auditevents');
    expect(original).toMatchObject({ cursor: 'ORIGINAL', pageLimit: 1000 });
    expect(original?.startFrom).toBeUndefined();
    expect(await store.undoReset('auditevents')).toBeUndefined();
  });

  it(`keeps the last ${MAX_RESET_HISTORY} positions, dropping the oldest`, async () => {
    const { store } = await storeAtCursor('itemusages', 'ORIGINAL');
    for (let day = 1; day <= MAX_RESET_HISTORY + 2; day++) {
      await store.resetStart('itemusages', `2026-01-0${day}T00:00:00Z`);
    }
    const state = await store.read('itemusages');
    expect(state.resetHistory).toHaveLength(MAX_RESET_HISTORY);
    expect(state.resetHistory?.[0]?.startFrom).toBe('2026-01-02T00:00:00Z');
    expect(state.resetHistory?.at(-1)?.startFrom).toBe(`2026-01-0${MAX_RESET_HISTORY + 1}T00:00:00Z`);
  });

  it('a reset or undo based on a row that changed since it was read is refused, changing nothing', async () => {
    const { store, table } = await storeAtCursor('auditevents', 'ORIGINAL');
    await store.resetStart('auditevents', '2026-01-01T00:00:00Z');
    // A run commits between an undo's read and its write: the undo must not overwrite that progress.
    const stale = new CursorStore(
      {
        send: async (command: unknown) => {
          if (command instanceof GetItemCommand) {
            const answer = await client.send(command);
            await store.acquireLease('auditevents', 'r2', 10_000_000);
            await store.commitPage('auditevents', 'r2', page('NEWER', 1000, 1));
            await store.releaseLease('auditevents', 'r2', run('r2'));
            return answer;
          }
          return client.send(command as never);
        },
      } as unknown as DynamoDBClient,
      table,
    );
    const refused = stale.undoReset('auditevents');
    await expect(refused).rejects.toThrow(/changed meanwhile/);
    await expect(refused).rejects.toBeInstanceOf(CursorChangeRefusedError);
    expect(await store.read('auditevents')).toMatchObject({ cursor: 'NEWER' });
  });

  it('a row with the single previous position of older versions keeps its cursor; UPGRADING.md moves the position into the history', async () => {
    const { store, table } = await storeAtCursor('auditevents', 'NOW');
    const key = { pk: { S: 'cursor#auditevents' } };
    const previous = {
      M: { cursor: { S: 'OLD' }, page_limit: { N: '100' }, changed_at: { S: '2026-01-01T00:00:00Z' } },
    };
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET previous = :p',
        ExpressionAttributeValues: { ':p': previous },
      }),
    );
    const legacy = await store.read('auditevents');
    expect(legacy).toMatchObject({ cursor: 'NOW', pageLimit: 1000 });
    expect(legacy.resetHistory).toBeUndefined();
    expect(await store.acquireLease('auditevents', 'r2', 10_000_000)).toMatchObject({ acquired: true });
    await store.commitPage('auditevents', 'r2', page('NEXT', 1000, 1));
    expect(await store.releaseLease('auditevents', 'r2', run('r2'))).toBe(true);
    const stored = await client.send(
      new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }),
    );
    expect(stored.Item?.previous).toEqual(previous);

    // The update UPGRADING.md gives, with its own expressions.
    const upgrading = readFileSync(
      fileURLToPath(new URL('../../../../UPGRADING.md', import.meta.url)),
      'utf8',
    );
    const quoted = (option: string) => upgrading.match(new RegExp(`--${option} '([^']+)'`))?.[1];
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: quoted('update-expression'),
        ConditionExpression: quoted('condition-expression'),
        ExpressionAttributeValues: { ':previous': { L: [previous] }, ':none': { L: [] } },
      }),
    );
    expect((await store.read('auditevents')).resetHistory).toEqual([
      { cursor: 'OLD', pageLimit: 100, changedAt: '2026-01-01T00:00:00Z' },
    ]);
    const undone = await store.undoReset('auditevents');
    expect(undone).toMatchObject({ cursor: 'OLD', pageLimit: 100 });
    expect(undone?.resetHistory).toBeUndefined();
  });

  it('refuses a row whose attributes have another type than the store writes, naming them', async () => {
    const { store, table } = await storeAtCursor('itemusages', 'NOW');
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'cursor#itemusages' } },
        UpdateExpression: 'SET page_limit = :text',
        ExpressionAttributeValues: { ':text': { S: 'a thousand' } },
      }),
    );
    await expect(store.read('itemusages')).rejects.toThrow(
      /item cursor#itemusages holds attributes of an unexpected type \(page_limit\)/,
    );
  });
});
