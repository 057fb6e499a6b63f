import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventDatabase, openEventDatabase } from '../../cli/event-database';
import { lookupKeyFor } from '../../shared/contracts/lookup-schema';
import { ECS_VIEW_NAMES } from '../../shared/sql/ecs-views';
import { NAMED_QUERIES } from '../../shared/sql/named-queries';
import { OCSF_VIEW_NAMES } from '../../shared/sql/ocsf-views';
import { writeEvents } from '../cli/query-fixtures';

/**
 * The names the lookups give the views and the saved queries, on DuckDB over events laid out as
 * the collector writes them (repeated deliveries included).
 */
const DAY = 86_400_000;
const now = Date.now();
const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();

function writeLookup(s3: string, kind: 'vaults' | 'items' | 'users' | 'groups', rows: object[]): void {
  const path = join(s3, lookupKeyFor(kind));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    gzipSync(`${rows.map((r) => JSON.stringify({ ...r, loaded_at: at(0) })).join('\n')}\n`),
  );
}

const ann = { uuid: 'UANN', email: 'ann@example.com' };
const bob = { uuid: 'UBOB', name: 'Bob Example', email: 'bob@example.com' };

let dir: string;
let db: EventDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'op-events-analyst-'));
  const s3 = join(dir, 's3');
  const usages = [
    { uuid: 'I1', timestamp: at(2), action: 'reveal', vault_uuid: 'vfin', item_uuid: 'ibank', user: ann },
    { uuid: 'I2', timestamp: at(1), action: 'export', vault_uuid: 'VFIN', item_uuid: 'ipay', user: ann },
    { uuid: 'I3', timestamp: at(1), action: 'fill', vault_uuid: 'vfin', item_uuid: 'ibank', user: ann },
    { uuid: 'I4', timestamp: at(1), action: 'reveal', vault_uuid: 'vunknown', item_uuid: 'ix', user: bob },
  ];
  writeEvents(s3, 'itemusages', usages, 'run-1');
  writeEvents(s3, 'itemusages', usages.slice(0, 1), 'run-2'); // a repeated delivery
  const signIn = (uuid: string, daysAgo: number, user: object, country: string, category = 'success') => ({
    uuid,
    timestamp: at(daysAgo),
    category,
    type: 'credentials_ok',
    country,
    target_user: user,
    client: { ip_address: `192.0.2.${uuid.length}` },
    location: { country },
  });
  writeEvents(s3, 'signinattempts', [
    signIn('S1', 30, ann, 'CA'),
    signIn('S2', 2, ann, 'CA'),
    signIn('S3', 1, ann, 'BR'),
    signIn('S4', 1, ann, 'RU', 'credentials_failed'),
    signIn('S5', 3, { uuid: 'UNEW', email: 'new@example.com' }, 'FR'),
  ]);
  writeEvents(s3, 'auditevents', [
    {
      uuid: 'A1',
      timestamp: at(1),
      action: 'suspend',
      actor_uuid: 'UBOB',
      object_type: 'user',
      object_uuid: 'UANN',
      session: { ip: '198.51.100.7' },
    },
    {
      uuid: 'A2',
      timestamp: at(2),
      action: 'grant',
      actor_uuid: 'UBOB',
      object_type: 'gm',
      object_uuid: 'GADM',
      aux_uuid: 'UANN',
      aux_details: ann,
    },
    {
      uuid: 'A3',
      timestamp: at(2),
      action: 'create',
      actor_uuid: 'UBOB',
      object_type: 'group',
      object_uuid: 'GADM',
    },
    {
      uuid: 'A4',
      timestamp: at(2),
      action: 'update',
      actor_uuid: 'UBOB',
      object_type: 'vault',
      object_uuid: 'vfin',
    },
  ]);
  writeLookup(s3, 'vaults', [{ id: 'VFIN', name: 'Finance' }]);
  writeLookup(s3, 'items', [
    { id: 'IBANK', title: 'Bank portal', vault_id: 'VFIN', vault_name: 'Finance', category: 'LOGIN' },
    { id: 'ipay', title: 'Payroll export', vault_id: 'VFIN', vault_name: 'Finance', category: 'LOGIN' },
  ]);
  writeLookup(s3, 'users', [
    { id: 'UANN', name: 'Ann Example', email: 'ann@example.com', type: 'MEMBER', state: 'ACTIVE' },
    { id: 'UBOB', name: 'Bob Example', email: 'bob@example.com', type: 'MEMBER', state: 'ACTIVE' },
  ]);
  writeLookup(s3, 'groups', [{ id: 'GADM', name: 'Administrators', description: null, state: 'ACTIVE' }]);
  db = await openEventDatabase(s3);
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

const run = (name: string) => {
  const query = NAMED_QUERIES.find((q) => q.name.startsWith(name));
  if (!query) throw new Error(`no query ${name}`);
  return rows(query.sql.duckdb);
};

describe('names from the lookups in the views', () => {
  it('item usages carry vault names and item titles, matched whatever the case of the uuid', async () => {
    expect(
      await rows(
        `SELECT onepassword.uuid AS uuid, onepassword.vault_name AS vault, onepassword.item_title AS item, "user".full_name AS name FROM ${ECS_VIEW_NAMES.itemusages} ORDER BY 1`,
      ),
    ).toEqual([
      { uuid: 'I1', vault: 'Finance', item: 'Bank portal', name: 'Ann Example' },
      { uuid: 'I2', vault: 'Finance', item: 'Payroll export', name: 'Ann Example' },
      { uuid: 'I3', vault: 'Finance', item: 'Bank portal', name: 'Ann Example' },
      { uuid: 'I4', vault: null, item: null, name: 'Bob Example' },
    ]);
  });

  it('audit events name their object; the OCSF views name users, groups and resources', async () => {
    expect(
      await rows(
        `SELECT onepassword.uuid AS uuid, onepassword.object_name AS object FROM ${ECS_VIEW_NAMES.auditevents} ORDER BY 1`,
      ),
    ).toEqual([
      { uuid: 'A1', object: 'Ann Example' },
      { uuid: 'A2', object: null },
      { uuid: 'A3', object: 'Administrators' },
      { uuid: 'A4', object: 'Finance' },
    ]);
    expect(
      await rows(
        `SELECT metadata.uid AS uuid, "user".name AS "user", "group".name AS grp, entity.name AS entity, actor."user".name AS actor FROM ${OCSF_VIEW_NAMES.auditevents} ORDER BY 1`,
      ),
    ).toEqual([
      { uuid: 'A1', user: 'Ann Example', grp: null, entity: null, actor: 'Bob Example' },
      { uuid: 'A2', user: 'Ann Example', grp: 'Administrators', entity: null, actor: 'Bob Example' },
      { uuid: 'A3', user: null, grp: null, entity: 'Administrators', actor: 'Bob Example' },
      { uuid: 'A4', user: null, grp: null, entity: 'Finance', actor: 'Bob Example' },
    ]);
    const [web] = await rows(
      `SELECT web_resources FROM ${OCSF_VIEW_NAMES.itemusages} WHERE metadata.uid = 'I2'`,
    );
    expect(web?.web_resources).toEqual([
      { uid: 'ipay', type: 'Item', name: 'Payroll export' },
      { uid: 'VFIN', type: 'Vault', name: 'Finance' },
    ]);
  });
});

describe('saved queries with the lookups loaded: names beside the uuids', () => {
  it('item reveals and exports: the vault name and item titles, matched whatever the case of the uuid', async () => {
    const found = await run('Item reveals and exports per vault and user');
    expect(found.map(({ last_usage_utc: _t, ...r }) => r)).toEqual([
      {
        vault_uuid: 'VFIN',
        vault_name: 'Finance',
        user_email: 'ann@example.com',
        user_uuid: 'UANN',
        action: 'export',
        usages: '1',
        distinct_items: '1',
        first_items: 'Payroll export',
      },
      {
        vault_uuid: 'vfin',
        vault_name: 'Finance',
        user_email: 'ann@example.com',
        user_uuid: 'UANN',
        action: 'reveal',
        usages: '1',
        distinct_items: '1',
        first_items: 'Bank portal',
      },
      {
        vault_uuid: 'vunknown',
        vault_name: null,
        user_email: 'bob@example.com',
        user_uuid: 'UBOB',
        action: 'reveal',
        usages: '1',
        distinct_items: '1',
        first_items: 'ix',
      },
    ]);
  });

  it('sign-ins from a new country: a known user succeeding from a country new to them, named by the lookup', async () => {
    const found = await run('Sign-ins from new countries');
    expect(found.map((r) => [r.user_email, r.user_name, r.sign_in_country, r.sign_ins])).toEqual([
      ['ann@example.com', 'Ann Example', 'BR', '1'],
    ]);
  });

  it('admin actions: the actor and the objects by name, by object type', async () => {
    const found = await run('Admin actions by actor');
    expect(found.map(({ last_event_utc: _t, ...r }) => r)).toEqual(
      [
        ['create', 'group', 'Administrators'],
        ['grant', 'gm', 'GADM'],
        ['suspend', 'user', 'Ann Example'],
        ['update', 'vault', 'Finance'],
      ].map(([action, object_type, first_objects]) => ({
        actor: 'bob@example.com',
        actor_name: 'Bob Example',
        actor_type: null,
        action,
        object_type,
        events: '1',
        distinct_objects: '1',
        first_objects,
      })),
    );
  });
});
