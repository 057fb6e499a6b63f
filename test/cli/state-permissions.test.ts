import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_NAMES, openLocalCursorTable } from '../../cli/local-services';
import { replaceLocalLookup } from '../../cli/lookups/lookup-store';
import { recordSource, resolveStateDir } from '../../cli/state-dir';
import { lockState } from '../../cli/state-lock';
import { FirehoseStandIn } from '../../local/firehose-standin';
import { removeTempDirs, runCli, tempDir } from './cli-harness';

// The review found the state folder made with the default umask: other users of the machine could
// read an account's events, lookups and cursor table. Every folder is now 0700 and every file 0600,
// and an existing folder others can read is named in a warning with the chmod that fixes it.

const DEFAULT_UMASK = 0o022;
beforeEach(() => {
  // As a fresh shell has it: what is owner-only below is made so by the code, not by the test's umask.
  process.umask(DEFAULT_UMASK);
});
afterAll(() => removeTempDirs());

/** The permission bits of every folder and file under `root` (root included), by relative path. */
function modes(root: string): { dirs: Record<string, string>; files: Record<string, string> } {
  const dirs: Record<string, string> = { '.': (statSync(root).mode & 0o777).toString(8) };
  const files: Record<string, string> = {};
  for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const stat = statSync(join(root, name));
    (stat.isDirectory() ? dirs : files)[name] = (stat.mode & 0o777).toString(8);
  }
  return { dirs, files };
}

function expectOwnerOnly(root: string): void {
  const { dirs, files } = modes(root);
  expect(Object.keys(files).length).toBeGreaterThan(0);
  expect(Object.entries(dirs).filter(([, mode]) => mode !== '700')).toEqual([]);
  expect(Object.entries(files).filter(([, mode]) => mode !== '600')).toEqual([]);
}

describe('a new state folder', () => {
  it('is created 0700, with its lock, source record and cursor table (LevelDB) files 0600', async () => {
    const state = resolveStateDir(join(tempDir(), 'nested', 'state'), {});
    const table = await openLocalCursorTable(state, { create: true, purpose: 'test' });
    try {
      expect(statSync(join(state.root, 'lock')).mode & 0o777).toBe(0o600);
      recordSource(state, { kind: 'demo' });
      await table.client.send(
        new PutItemCommand({ TableName: LOCAL_NAMES.cursorTable, Item: { pk: { S: 'x' } } }),
      );
    } finally {
      await table.close();
    }
    expectOwnerOnly(state.root);
    expect(modes(state.root).files).toHaveProperty('source.json');
    expect(Object.keys(modes(state.root).files).some((name) => name.startsWith('dynamodb'))).toBe(true);
  });

  it('the lock alone makes the folder owner-only, wherever it is', async () => {
    const state = resolveStateDir(join(tempDir(), 'data', 'op-events'), {});
    const unlock = await lockState(state, 'test');
    expect(statSync(state.root).mode & 0o777).toBe(0o700);
    expect(statSync(join(state.root, 'lock')).mode & 0o777).toBe(0o600);
    unlock();
  });
});

describe('files written into the state folder, even under the default umask', () => {
  it('the S3 layout the Firehose stand-in writes', async () => {
    const s3 = join(tempDir(), 's3');
    const firehose = await FirehoseStandIn.start({ streams: ['op-events-auditevents'], outputDir: s3 });
    const client = new FirehoseClient({
      endpoint: firehose.url,
      region: 'us-east-1',
      credentials: firehose.credentials,
    });
    try {
      const line = JSON.stringify({ uuid: 'A', timestamp: '2026-01-02T03:04:05Z', type: 'auditevents' });
      await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: 'op-events-auditevents',
          Records: [{ Data: Buffer.from(`${line}\n`) }],
        }),
      );
    } finally {
      client.destroy();
      await firehose.stop();
    }
    expect(firehose.writtenObjects.length).toBeGreaterThan(0);
    expectOwnerOnly(s3);
  });

  it('a lookup', () => {
    const s3 = join(tempDir(), 's3');
    mkdirSync(s3, { mode: 0o700 });
    replaceLocalLookup(s3, 'users', Buffer.from('x'));
    expectOwnerOnly(s3);
  });
});

describe('an existing state folder others can read', () => {
  it('gets one warning naming the folder and the chmod to run, and is left as it is', async () => {
    const root = join(tempDir(), 'shared state');
    mkdirSync(root, { mode: 0o755 });
    chmodSync(root, 0o755);
    const result = await runCli(['status', '--state-dir', root]);
    const warnings = result.stderr.split('\n').filter((line) => line.includes('can be read by other users'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      `the state folder ${root} can be read by other users of this computer (mode 755)`,
    );
    expect(warnings[0]).toContain(`chmod -R go-rwx '${root}'`);
    expect(statSync(root).mode & 0o777).toBe(0o755);
  });

  it('an owner-only folder gets no warning', async () => {
    const root = tempDir();
    const result = await runCli(['status', '--state-dir', root]);
    expect(result.stderr).not.toContain('can be read by other users');
  });
});
