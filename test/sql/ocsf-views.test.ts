import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventDatabase, openEventDatabase } from '../../cli/event-database';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { OCSF_CLASSES, OCSF_VERSION, OCSF_VIEW_NAMES, OCSF_VIEWS } from '../../shared/sql/ocsf-views';
import { writeEvents } from '../cli/query-fixtures';
import { classDefinition, requiredAttributes, validateRecord } from '../support/ocsf-schema';

/**
 * The OCSF views against the OCSF 1.1.0 schema (test/fixtures/ocsf-1.1.0): every record they give
 * for events of every routing case has each required attribute of its class, meets every object's
 * constraints, and uses only attributes the class and its objects define, with valid enum values.
 */
const TS = '2026-01-05T10:00:00.123456789Z';
const person = (id: string) => ({ uuid: id, name: `Name ${id}`, email: `${id.toLowerCase()}@example.com` });
const client = { app_name: 'app', os_name: 'MacOSX', os_version: '14.5', ip_address: '192.0.2.1' };
const location = { country: 'CA', region: 'Ontario', city: 'Toronto', latitude: 43.64, longitude: -79.433 };

let n = 0;
const audit = (fields: Record<string, unknown>) => ({
  uuid: `A${++n}`,
  timestamp: TS,
  actor_uuid: 'ACTOR',
  actor_details: person('ACTOR'),
  actor_type: 'user',
  session: { uuid: 'S1', login_time: TS, device_uuid: 'dev1', ip: '192.0.2.9' },
  account_uuid: 'ACCOUNT',
  ...fields,
});

/** Events for every class and activity the mapping routes to, plus sparse and drifted ones. */
const EVENTS: Readonly<Record<EventType, Record<string, unknown>[]>> = {
  signinattempts: [
    {
      uuid: 'S1',
      timestamp: TS,
      category: 'success',
      type: 'credentials_ok',
      target_user: { ...person('U1'), user_type: 'user' },
      client,
      location,
      session_uuid: 'SESS',
    },
    {
      uuid: 'S2',
      timestamp: TS,
      category: 'firewall_failed',
      type: 'continent_blocked',
      details: { value: 'Europe' },
      target_user: person('U1'),
      client: { ...client, os_name: 'Windows' },
    },
    { uuid: 'S3', timestamp: TS, category: 'mfa_failed', type: 'mfa_ok', target_user: { uuid: 'U2' } },
    {
      uuid: 'S4',
      timestamp: TS,
      category: 'success',
      target_user: person('U3'),
      client: 'drifted: a string',
    },
    { uuid: 'S5', timestamp: TS, target_user: { email: 'only@example.com' } },
  ],
  itemusages: [
    ...[
      'server-create',
      'reveal',
      'fill',
      'server-update',
      'export',
      'share',
      'enter-item-edit-mode',
      'other',
      'newaction',
    ].map((action, i) => ({
      uuid: `I${i}`,
      timestamp: TS,
      action,
      vault_uuid: 'V1',
      item_uuid: 'IT1',
      used_version: 2,
      user: person('U1'),
      client,
      location,
    })),
    {
      uuid: 'I-none',
      timestamp: TS,
      vault_uuid: 'V1',
      item_uuid: 'IT1',
      user: { uuid: 'U1', user_type: 'service_account' },
    },
    {
      uuid: 'I-drift',
      timestamp: TS,
      action: 'reveal',
      vault_uuid: 'V1',
      item_uuid: 'IT1',
      user: 'drifted',
      used_version: '2',
    },
  ],
  auditevents: [
    ...['join', 'reactivate', 'suspend', 'delete', 'trvlaway'].map((action) =>
      audit({ action, object_type: 'user', object_uuid: 'U5', object_details: person('U5') }),
    ),
    ...['grant', 'revoke', 'update'].map((action) =>
      audit({ action, object_type: 'gm', object_uuid: 'G1', aux_uuid: 'U6', aux_details: person('U6') }),
    ),
    audit({ action: 'grant', object_type: 'gm', object_uuid: 'G1' }),
    ...['grant', 'revoke', 'update'].map((action) =>
      audit({ action, object_type: 'uva', object_uuid: 'V1', aux_uuid: 'U6', aux_info: 'R' }),
    ),
    ...['grant', 'revoke'].map((action) =>
      audit({ action, object_type: 'gva', object_uuid: 'V1', aux_uuid: 'G2' }),
    ),
    ...['create', 'update', 'delete', 'trash', 'purge', 'newverb'].map((action) =>
      audit({ action, object_type: 'vault', object_uuid: 'V1' }),
    ),
    audit({ action: 'create', object_type: 'group', object_uuid: 'G3' }),
    audit({ action: 'update', object_type: 'device', object_uuid: 'D1', aux_uuid: 'U6' }),
    audit({ action: 'update', object_type: 'account' }),
    audit({
      action: 'delete',
      object_type: 'newobject',
      object_uuid: 'X1',
      actor_type: 'service_account',
      location,
    }),
    audit({
      action: 'suspend',
      object_type: 'user',
      object_uuid: 'U7',
      session: 'drifted',
      actor_details: 'drifted',
    }),
  ],
};

let dir: string;
let db: EventDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'op-events-ocsf-'));
  for (const type of EVENT_TYPES) writeEvents(join(dir, 's3'), type, EVENTS[type]);
  db = await openEventDatabase(join(dir, 's3'));
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A row as an OCSF record: NULL members removed, numbers as numbers, the partition column left out. */
function asRecord(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(asRecord);
  if (typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, asRecord(v)] as const)
      .filter(([k, v]) => v !== undefined && k !== 'dt');
    return Object.fromEntries(entries);
  }
  if (typeof value === 'bigint') return Number(value);
  return value;
}

async function records(type: EventType): Promise<Record<string, unknown>[]> {
  const reader = await db.connection.runAndReadAll(
    `SELECT * FROM ${OCSF_VIEW_NAMES[type]} ORDER BY metadata.uid`,
  );
  return reader.getRowObjectsJS().map((row) => asRecord(row) as Record<string, unknown>);
}

describe('the OCSF schema check itself', () => {
  const valid = {
    activity_id: 1,
    category_uid: 3,
    class_uid: 3002,
    type_uid: 300201,
    severity_id: 1,
    time: 1,
    metadata: { version: '1.1.0', product: { vendor_name: '1Password', name: '1Password Events API' } },
    user: { uid: 'U1' },
    service: { name: '1Password' },
  };

  it('accepts a minimal valid record and names each problem of a broken one', () => {
    expect(validateRecord(valid)).toEqual([]);
    const { user: _user, ...noUser } = valid;
    expect(validateRecord(noUser)).toContain('class 3002: required user is missing');
    expect(validateRecord({ ...valid, web_resources: [] })).toContain(
      'class 3002: web_resources is not an attribute here',
    );
    expect(validateRecord({ ...valid, status_id: 7 })).toContain(
      'class 3002: status_id = 7 is not in its enumeration',
    );
    expect(validateRecord({ ...valid, user: { email_addr: 'a@b' } })).toContain(
      'class 3002.user: needs at least one of account, name, uid',
    );
    const { service: _service, ...noService } = valid;
    expect(validateRecord(noService)).toContain('class 3002: needs at least one of service, dst_endpoint');
    expect(validateRecord({ ...valid, type_uid: 300202 })).toContain(
      'type_uid is not class_uid*100+activity_id',
    );
  });
});

describe('OCSF views against the OCSF 1.1.0 schema', () => {
  it('every OCSF view is created on DuckDB', () => {
    const failed = db.viewFailures.filter((f) => OCSF_VIEWS.some((v) => v.name === f.view.name));
    expect(failed.map((f) => `${f.view.name}: ${f.error}`)).toEqual([]);
  });

  it('each view has a column for every required attribute of each class it maps to', () => {
    const classesOf: Readonly<Record<EventType, number[]>> = {
      signinattempts: [OCSF_CLASSES.authentication.uid],
      itemusages: [OCSF_CLASSES.webResources.uid],
      auditevents: [3001, 3004, 3005, 3006],
    };
    for (const view of OCSF_VIEWS) {
      const type = EVENT_TYPES.find((t) => OCSF_VIEW_NAMES[t] === view.name) as EventType;
      const columns = view.columns.map((c) => c.name);
      for (const uid of classesOf[type]) {
        expect(columns).toEqual(expect.arrayContaining(requiredAttributes(classDefinition(uid))));
      }
    }
  });

  for (const type of EVENT_TYPES) {
    it(`${type}: every record is valid OCSF ${OCSF_VERSION}, one per event uuid`, async () => {
      const found = await records(type);
      expect(found).toHaveLength(EVENTS[type].length);
      for (const record of found) {
        expect(validateRecord(record), JSON.stringify(record)).toEqual([]);
        const metadata = record.metadata as Record<string, unknown>;
        expect(metadata.version).toBe(OCSF_VERSION);
        expect(record.time).toBe(Date.parse('2026-01-05T10:00:00.123Z'));
      }
    });
  }

  it('routes audit events by object type, with the activity of the action', async () => {
    const found = await records('auditevents');
    const route = found.map((r) => {
      const code = (r.metadata as { event_code: string }).event_code;
      return `${code} -> ${r.class_uid}/${r.activity_id}`;
    });
    expect(route).toEqual(
      expect.arrayContaining([
        'user:join -> 3001/1',
        'user:reactivate -> 3001/2',
        'user:suspend -> 3001/5',
        'user:delete -> 3001/6',
        'user:trvlaway -> 3001/99',
        'gm:grant -> 3006/3',
        'gm:revoke -> 3006/4',
        'gm:update -> 3006/99',
        'gm:grant -> 3004/99',
        'uva:grant -> 3005/1',
        'uva:revoke -> 3005/2',
        'uva:update -> 3005/99',
        'gva:grant -> 3006/1',
        'gva:revoke -> 3006/2',
        'vault:create -> 3004/1',
        'vault:update -> 3004/3',
        'vault:delete -> 3004/4',
        'vault:trash -> 3004/4',
        'vault:purge -> 3004/4',
        'vault:newverb -> 3004/99',
        'group:create -> 3004/1',
        'device:update -> 3004/3',
        'account:update -> 3004/3',
      ]),
    );
  });

  it('maps sign-in outcomes to status and item actions to activities', async () => {
    const signIns = await records('signinattempts');
    const status = Object.fromEntries(signIns.map((r) => [(r.metadata as { uid: string }).uid, r.status_id]));
    expect(status).toEqual({ S1: 1, S2: 2, S3: 2, S4: 1, S5: 2 });
    expect(signIns.find((r) => (r.metadata as { uid: string }).uid === 'S2')?.status_detail).toBe(
      'continent_blocked: Europe',
    );
    const usages = await records('itemusages');
    const activity = Object.fromEntries(
      usages.map((r) => [(r.metadata as { event_code?: string }).event_code ?? '(none)', r.activity_id]),
    );
    expect(activity).toMatchObject({
      'server-create': 1,
      reveal: 2,
      fill: 2,
      'server-update': 3,
      export: 7,
      share: 8,
      'enter-item-edit-mode': 99,
      other: 99,
      newaction: 99,
      '(none)': 0,
    });
  });
});
