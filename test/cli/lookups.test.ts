import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetBucketEncryptionCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { lookupKeyFor } from '../../shared/contracts/lookup-schema';
import { runCli } from './cli-harness';

const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);

const STACK = 'op-events-prod';
const BUCKET = 'prod-events-bucket';
const NOW = Date.parse('2026-11-30T12:00:00.000Z');

// Shapes as the 1Password CLI prints them (op vault|item|user|group list --format json).
const VAULTS = [
  {
    id: 'jaqxqf5qylslqiitnduawrndc5',
    name: 'Finance',
    content_version: 505,
    created_at: '2022-09-04T08:17:14Z',
    updated_at: '2025-01-25T05:36:11Z',
    items: 300,
  },
  {
    id: 'q6lm7nsfpnf4fhqlrvqlxcdvky',
    name: 'Private',
    content_version: 5,
    created_at: '2022-09-04T08:17:14Z',
    updated_at: '2025-01-25T05:36:11Z',
    items: 2,
  },
];
const ITEMS = [
  {
    id: 'bvwmmwxisuca7wbehrbyqhag54',
    title: 'Bank portal',
    version: 3,
    vault: { id: 'jaqxqf5qylslqiitnduawrndc5', name: 'Finance' },
    category: 'LOGIN',
    last_edited_by: 'OJQGU46KAPROEJLCK674RHSAY5',
    created_at: '2022-01-12T16:29:26Z',
    updated_at: '2022-01-12T16:29:26Z',
    additional_information: 'treasurer@example.com',
    urls: [{ label: 'website', primary: true, href: 'https://bank.example.com' }],
  },
];
const USERS = [
  {
    id: 'OJQGU46KAPROEJLCK674RHSAY5',
    name: 'Ann Example',
    email: 'ann@example.com',
    type: 'MEMBER',
    state: 'ACTIVE',
  },
];
const GROUPS = [
  {
    id: 'ydq2bx5bg3cbmzzxkiuzt5rqcm',
    name: 'Owners',
    description: 'Access to billing and account administration',
    state: 'ACTIVE',
    created_at: '2022-09-04T08:17:14Z',
  },
];

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempState(): string {
  const dir = mkdtempSync(join(tmpdir(), 'op-events-lookups-'));
  dirs.push(dir);
  return dir;
}

function inputFile(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const lookups = (state: string, ...args: string[]) =>
  runCli(['lookups', ...args, '--state-dir', state], {}, () => NOW);

function storedRows(state: string, kind: 'vaults' | 'items' | 'users' | 'groups'): unknown[] {
  const text = gunzipSync(readFileSync(join(state, 's3', lookupKeyFor(kind)))).toString('utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** `op-events lookups load KIND <file with content> --stack STACK`. */
const loadIntoStack = (state: string, kind: string, name: string, content: string) =>
  runCli(['lookups', 'load', kind, inputFile(state, name, content), '--stack', STACK], {}, () => NOW);

function describeStacks() {
  return {
    Stacks: [
      {
        StackName: STACK,
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE' as const,
        Outputs: [{ OutputKey: 'EventsBucketName', OutputValue: BUCKET }],
      },
    ],
  };
}

beforeEach(() => {
  cloudFormation.reset();
  s3.reset();
  cloudFormation.on(DescribeStacksCommand, { StackName: STACK }).resolves(describeStacks());
});

describe('op-events lookups load (local state folder)', () => {
  it('stores each list as a lookup table that op-events query joins', async () => {
    const state = tempState();
    for (const [kind, list] of [
      ['vaults', VAULTS],
      ['items', ITEMS],
      ['users', USERS],
      ['groups', GROUPS],
    ] as const) {
      const result = await lookups(
        state,
        'load',
        kind,
        inputFile(state, `${kind}.json`, JSON.stringify(list, null, 2)),
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Loaded ${list.length} ${kind}`);
      expect(result.stdout).toContain(`lookup_${kind}`);
    }
    expect(storedRows(state, 'items')).toEqual([
      {
        id: 'bvwmmwxisuca7wbehrbyqhag54',
        title: 'Bank portal',
        vault_id: 'jaqxqf5qylslqiitnduawrndc5',
        vault_name: 'Finance',
        category: 'LOGIN',
        loaded_at: '2026-11-30T12:00:00.000Z',
      },
    ]);
    // Usernames and URLs of items are not kept.
    expect(readFileSync(join(state, 's3', lookupKeyFor('items'))).length).toBeGreaterThan(0);
    expect(JSON.stringify(storedRows(state, 'items'))).not.toContain('treasurer@example.com');
    expect(JSON.stringify(storedRows(state, 'items'))).not.toContain('bank.example.com');

    const query = await runCli([
      'query',
      'SELECT v.name, u.email, g.name AS grp, i.title FROM lookup_vaults v, lookup_users u, lookup_groups g, lookup_items i WHERE v.id = i.vault_id ORDER BY 1',
      '--json',
      '--state-dir',
      state,
    ]);
    expect(query.code).toBe(0);
    expect(
      query.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([{ name: 'Finance', email: 'ann@example.com', grp: 'Owners', title: 'Bank portal' }]);

    const listed = await lookups(state, 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/vaults\s+lookup_vaults\s+2\s+2026-11-30T12:00:00.000Z/);
    expect(listed.stdout).toMatch(/groups\s+lookup_groups\s+1\s/);
  });

  it('replaces a lookup whole, leaving no temporary file', async () => {
    const state = tempState();
    await lookups(state, 'load', 'vaults', inputFile(state, 'v1.json', JSON.stringify(VAULTS)));
    const again = await lookups(
      state,
      'load',
      'vaults',
      inputFile(state, 'v2.json', JSON.stringify([{ id: 'x1', name: 'Renamed' }])),
    );
    expect(again.code).toBe(0);
    expect(storedRows(state, 'vaults')).toEqual([
      { id: 'x1', name: 'Renamed', loaded_at: '2026-11-30T12:00:00.000Z' },
    ]);
    expect(readdirSync(join(state, 's3', 'lookups', 'vaults'))).toEqual(['vaults.json.gz']);
  });

  it('an empty state folder answers queries on lookups that were never loaded', async () => {
    const state = tempState();
    const query = await runCli([
      'query',
      'SELECT count(*) AS n FROM lookup_items',
      '--json',
      '--state-dir',
      state,
    ]);
    expect(query.code).toBe(0);
    expect(JSON.parse(query.stdout)).toEqual({ n: '0' });
    const listed = await lookups(state, 'list');
    expect(listed.stdout).toMatch(/items\s+lookup_items\s+-\s+not loaded\s+op item list --format json/);
  });

  it('reads UTF-16 with a byte-order mark, as Windows PowerShell redirects it', async () => {
    const state = tempState();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(USERS), 'utf16le')]);
    const result = await lookups(state, 'load', 'users', inputFile(state, 'users.json', utf16));
    expect(result.code).toBe(0);
    expect(storedRows(state, 'users')).toEqual([{ ...USERS[0], loaded_at: '2026-11-30T12:00:00.000Z' }]);
  });

  const refusals: [string, 'vaults' | 'items' | 'users' | 'groups', string, RegExp][] = [
    [
      'not JSON',
      'vaults',
      '{"id": "x", name}',
      /is not JSON \(.+\)\. Give the output of "op vault list --format json"/,
    ],
    ['empty', 'vaults', '', /is empty\. Give the output of "op vault list --format json"/],
    ['an object, not a list', 'vaults', JSON.stringify(VAULTS[0]), /holds an object, not the list of vaults/],
    ['an empty list', 'groups', '[]', /is an empty list: there are no groups to load/],
    ['an entry without its name', 'vaults', JSON.stringify([{ id: 'a' }]), /entry 1 has no "name"/],
    [
      'a name that is not text',
      'groups',
      JSON.stringify([{ id: 'a', name: 7 }]),
      /entry 1 has "name" as a number, not text/,
    ],
    [
      'an entry that is not an object',
      'users',
      JSON.stringify([USERS[0], 'x']),
      /entry 2 is a string, not an object/,
    ],
    [
      'an item without its vault',
      'items',
      JSON.stringify([{ id: 'i', title: 't' }]),
      /entry 1 has no "vault"/,
    ],
    [
      'a repeated id',
      'vaults',
      JSON.stringify([...VAULTS, VAULTS[0]]),
      /entry 3 repeats the id "jaqxqf5qylslqiitnduawrndc5"/,
    ],
    [
      'an id repeated in another case',
      'vaults',
      JSON.stringify([...VAULTS, { ...VAULTS[0], id: 'JAQXQF5QYLSLQIITNDUAWRNDC5', name: 'Finance (old)' }]),
      /entries 1 and 3 have the same id in different cases \("jaqxqf5qylslqiitnduawrndc5" and "JAQXQF5QYLSLQIITNDUAWRNDC5"\), which the views take for one id \(ids are compared without case\); keep only the entry that is right\. Give the output of "op vault list --format json"/,
    ],
    [
      'the users list given as vaults',
      'vaults',
      JSON.stringify(USERS),
      /entry 1 has "email", which users have\. It looks like the output of "op user list --format json": load it with "op-events lookups load users/,
    ],
    [
      'the items list given as groups',
      'groups',
      JSON.stringify(ITEMS),
      /which items have\. It looks like the output of "op item list --format json"/,
    ],
  ];

  it.each(refusals)('refuses %s (exit 2) and changes nothing', async (_label, kind, content, message) => {
    const state = tempState();
    const good = { vaults: VAULTS, items: ITEMS, users: USERS, groups: GROUPS }[kind];
    await lookups(state, 'load', kind, inputFile(state, 'good.json', JSON.stringify(good)));
    const before = readFileSync(join(state, 's3', lookupKeyFor(kind)));
    const result = await lookups(state, 'load', kind, inputFile(state, 'bad.json', content));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Nothing was changed.');
    expect(readFileSync(join(state, 's3', lookupKeyFor(kind)))).toEqual(before);
    expect(readdirSync(join(state, 's3', 'lookups', kind))).toEqual([`${kind}.json.gz`]);
  });

  it('refuses an unknown kind, a missing file and a missing action (exit 2), writing nothing', async () => {
    const state = tempState();
    const unknown = await lookups(state, 'load', 'secrets', inputFile(state, 'x.json', '[]'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown lookup "secrets": use one of vaults, items, users, groups.');
    const missing = await lookups(state, 'load', 'vaults', join(state, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json does not exist. Nothing was changed.');
    const noFile = await lookups(state, 'load', 'items');
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('op item list --format json');
    const noAction = await lookups(state);
    expect(noAction.code).toBe(2);
    expect(existsSync(join(state, 's3'))).toBe(false);
  });
});

describe('op-events lookups load --stack (events bucket)', () => {
  it('puts the lookup under lookups/ with the bucket default encryption asked for explicitly', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: BUCKET }).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    s3.on(PutObjectCommand).resolves({});
    const state = tempState();
    const result = await loadIntoStack(state, 'vaults', 'vaults.json', JSON.stringify(VAULTS));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Loaded 2 vaults into s3://${BUCKET}/lookups/vaults/vaults.json.gz (encryption: AES256)`,
    );
    const puts = s3.commandCalls(PutObjectCommand);
    expect(puts).toHaveLength(1);
    const input = puts[0]!.args[0].input;
    expect(input).toMatchObject({
      Bucket: BUCKET,
      Key: 'lookups/vaults/vaults.json.gz',
      ServerSideEncryption: 'AES256',
    });
    const lines = gunzipSync(input.Body as Buffer)
      .toString('utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { id: VAULTS[0]!.id, name: 'Finance', loaded_at: '2026-11-30T12:00:00.000Z' },
      { id: VAULTS[1]!.id, name: 'Private', loaded_at: '2026-11-30T12:00:00.000Z' },
    ]);
    // Nothing is written locally with --stack.
    expect(existsSync(join(state, 's3'))).toBe(false);
  });

  it('uses the bucket KMS key when the bucket encrypts with one', async () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    s3.on(GetBucketEncryptionCommand).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
    s3.on(PutObjectCommand).resolves({});
    const state = tempState();
    const result = await loadIntoStack(state, 'users', 'u.json', JSON.stringify(USERS));
    expect(result.code).toBe(0);
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: key,
      BucketKeyEnabled: true,
    });
  });

  it('refuses bad input before any AWS call', async () => {
    const state = tempState();
    const result = await loadIntoStack(state, 'items', 'i.json', '[{"id":"x"}]');
    expect(result.code).toBe(2);
    expect(cloudFormation.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it('reports refused AWS credentials plainly (exit 3)', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: {} }),
    );
    const state = tempState();
    const result = await loadIntoStack(state, 'vaults', 'v.json', JSON.stringify(VAULTS));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `storing the vaults lookup in s3://${BUCKET}/lookups/vaults/vaults.json.gz`,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

describe('op-events lookups output, pinned as it is printed', () => {
  it('load and list on a local state folder: text and --json', async () => {
    const state = tempState();
    const pinned = (text: string) => text.replaceAll(state, '<state>');
    const vaults = inputFile(state, 'vaults.json', JSON.stringify(VAULTS));
    const load = await lookups(state, 'load', 'vaults', vaults);
    expect(pinned(load.stdout)).toMatchInlineSnapshot(`
      "Loaded 2 vaults into <state>/s3/lookups/vaults/vaults.json.gz; op-events query reads them as lookup_vaults.
      "
    `);
    const users = inputFile(state, 'users.json', JSON.stringify(USERS));
    const loadJson = await lookups(state, 'load', 'users', users, '--json');
    expect(pinned(loadJson.stdout)).toMatchInlineSnapshot(`
      "{"lookup":"users","rows":1,"location":"<state>/s3/lookups/users/users.json.gz","table":"lookup_users"}
      "
    `);
    const list = await lookups(state, 'list');
    expect(pinned(list.stdout)).toMatchInlineSnapshot(`
      "lookup  table          rows  loaded                    refresh with
      ------  -------------  ----  ------------------------  ---------------------------
      vaults  lookup_vaults  2     2026-11-30T12:00:00.000Z  op vault list --format json
      items   lookup_items   -     not loaded                op item list --format json
      users   lookup_users   1     2026-11-30T12:00:00.000Z  op user list --format json
      groups  lookup_groups  -     not loaded                op group list --format json
      "
    `);
    const listJson = await lookups(state, 'list', '--json');
    expect(pinned(listJson.stdout)).toMatchInlineSnapshot(`
      "{"lookup":"vaults","table":"lookup_vaults","rows":2,"loadedAt":"2026-11-30T12:00:00.000Z","refreshWith":"op vault list --format json","loaded":true}
      {"lookup":"items","table":"lookup_items","refreshWith":"op item list --format json","loaded":false}
      {"lookup":"users","table":"lookup_users","rows":1,"loadedAt":"2026-11-30T12:00:00.000Z","refreshWith":"op user list --format json","loaded":true}
      {"lookup":"groups","table":"lookup_groups","refreshWith":"op group list --format json","loaded":false}
      "
    `);
    expect([load, loadJson, list, listJson].map((r) => [r.code, r.stderr])).toEqual(Array(4).fill([0, '']));
  });

  it('load --stack: text and --json', async () => {
    s3.on(GetBucketEncryptionCommand, { Bucket: BUCKET }).resolves({
      ServerSideEncryptionConfiguration: {
        Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    s3.on(PutObjectCommand).resolves({});
    const state = tempState();
    const text = await loadIntoStack(state, 'groups', 'groups.json', JSON.stringify(GROUPS));
    expect(text.stdout).toMatchInlineSnapshot(`
      "Loaded 1 groups into s3://prod-events-bucket/lookups/groups/groups.json.gz (encryption: AES256); Athena reads them as lookup_groups.
      "
    `);
    const file = inputFile(state, 'items.json', JSON.stringify(ITEMS));
    const json = await runCli(['lookups', 'load', 'items', file, '--stack', STACK, '--json'], {}, () => NOW);
    expect(json.stdout).toMatchInlineSnapshot(`
      "{"lookup":"items","rows":1,"location":"s3://prod-events-bucket/lookups/items/items.json.gz","encryption":"AES256","table":"lookup_items"}
      "
    `);
    expect([text.code, json.code]).toEqual([0, 0]);
  });
});
