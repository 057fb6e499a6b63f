import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateDemoEvents } from '../../local/simulator/demo-events';
import { encodeEventLines, metadataText } from '../../shared/collector/delivery/event-lines';
import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import {
  LOOKUP_KINDS,
  LOOKUP_SPECS,
  type LookupKind,
  lookupKeyFor,
} from '../../shared/contracts/lookup-schema';
import { CHUNK_TEXT_KEY, eventsPrefixFor, METADATA_KEY } from '../../shared/contracts/s3-layout';
import { driftedEvents } from './drifted-events';
import { pageSampleNames, sampleJson } from './samples';

/**
 * Events of every type laid out as the collector writes them (events/<type>/dt=<date>/*.gz), with the
 * lookups loaded, for running every deployed SQL text on data: the public API samples, Elastic's
 * pipeline test inputs, generated demo events (with type drift), one drifted event per field, and
 * lines that test the edges (duplicates, chunks of an oversized event, lines that are not JSON
 * objects, JSON nulls, timestamps with offsets and 0 to 9 fractional digits, countries as codes
 * and as names).
 */

const DAY_MS = 86_400_000;
const ELASTIC = join(import.meta.dirname, '..', 'fixtures', 'elastic-1password');
const ELASTIC_INPUTS: Readonly<Record<EventType, string>> = {
  signinattempts: 'signin_attempts/test-signinattempts.json',
  itemusages: 'item_usages/test-itemusages.json',
  auditevents: 'audit_events/test-auditevents.json',
};

type Event = Record<string, unknown>;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The UTC date of a timestamp text, as the collector derives `dt` (today when it has none). */
function eventDate(event: Event, now: number): string {
  const ms = Date.parse(String(event.timestamp));
  return Number.isNaN(ms) ? dayOf(now) : dayOf(ms);
}

function typeOfSample(name: string): EventType | undefined {
  if (/auditevent/i.test(name)) return 'auditevents';
  if (/itemusage/i.test(name)) return 'itemusages';
  if (/signinattempt/i.test(name)) return 'signinattempts';
  return undefined;
}

/** Sample and fixture events with their timestamps moved into the last days (the queries' windows). */
function recent(events: readonly Event[], now: number, salt: number): Event[] {
  return events.map((event, index) => {
    const original = String(event.timestamp ?? '');
    const shifted = new Date(now - ((index + salt) % 9) * DAY_MS - 3_600_000).toISOString().slice(0, 19);
    // Keep the sample's own fraction and offset: only the date and time move.
    const rest = original.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(.*)$/)?.[1];
    return rest === undefined ? event : { ...event, timestamp: `${shifted}${rest}` };
  });
}

const person = (uuid: string, name: string) => ({ uuid, name, email: `${name.toLowerCase()}@example.com` });

/** Hand-made events for the edges, per type. */
function edgeEvents(now: number): Record<EventType, Event[]> {
  const at = (daysAgo: number, time: string) => `${dayOf(now - daysAgo * DAY_MS)}T${time}`;
  const fractions = [
    '',
    '.1',
    '.12',
    '.123',
    '.1234',
    '.12345',
    '.123456',
    '.1234567',
    '.12345678',
    '.123456789',
  ];
  const signIn = (uuid: string, timestamp: string, fields: Event): Event => ({
    uuid,
    session_uuid: `SESS-${uuid}`,
    timestamp,
    category: 'success',
    type: 'credentials_ok',
    target_user: person('EDGE-USER', 'Edge'),
    client: { app_name: '1Password for Web', ip_address: '192.0.2.1' },
    account_uuid: 'ACC',
    ...fields,
  });
  return {
    signinattempts: [
      // One user, one country, both spellings: FR in the location, France at the top level.
      signIn('COUNTRY-CODE', at(1, '08:00:00Z'), {
        category: 'credentials_failed',
        country: 'FR',
        location: { country: 'FR', city: 'Rennes' },
      }),
      signIn('COUNTRY-NAME', at(1, '09:00:00Z'), { category: 'credentials_failed', country: 'France' }),
      signIn('COUNTRY-NAME-LOC', at(2, '09:00:00Z'), {
        category: 'credentials_failed',
        country: 'France',
        location: { country: 'France', region: 'Brittany' },
      }),
      signIn('COUNTRY-UNKNOWN', at(2, '10:00:00Z'), { category: 'credentials_failed', country: 'Atlantis' }),
      // Lacks details, location and every optional field: no drift.
      { uuid: 'MINIMAL', timestamp: at(1, '11:00:00Z') },
      // JSON nulls everywhere: no drift either.
      signIn('NULLS', at(1, '12:00:00.5+02:00'), {
        details: null,
        location: { country: null, latitude: null },
        target_user: null,
        client: { ip_address: null },
      }),
      ...fractions.map((f, i) => signIn(`FRACTION-${i}`, at(3, `23:59:59${f}-05:30`), {})),
      signIn('DATE-ONLY', dayOf(now - 4 * DAY_MS), {}),
      signIn('NOT-A-TIMESTAMP', 'yesterday', {}),
      signIn('DETAILS', at(1, '13:00:00Z'), { details: { value: 'Europe' }, type: 'continent_blocked' }),
      // A known user signing in from a new country this week, after 60 days of one country.
      signIn('NEW-COUNTRY-OLD', at(60, '08:00:00Z'), { country: 'CA', location: { country: 'CA' } }),
      signIn('NEW-COUNTRY-NEW', at(2, '08:00:00Z'), { country: 'Germany', location: { country: 'DE' } }),
    ],
    itemusages: [
      {
        uuid: 'ITEM-EDGE',
        timestamp: at(1, '07:00:00.000000001Z'),
        used_version: 3,
        vault_uuid: 'VAULTEDGE',
        item_uuid: 'itemedge',
        action: 'export',
        user: person('EDGE-USER', 'Edge'),
        location: { country: 'Israel' },
      },
      { uuid: 'ITEM-MINIMAL', timestamp: at(2, '07:00:00Z') },
    ],
    auditevents: [
      {
        uuid: 'AUDIT-EDGE',
        timestamp: at(1, '06:00:00+14:00'),
        actor_uuid: 'EDGE-USER',
        action: 'grant',
        object_type: 'gm',
        object_uuid: 'GROUPEDGE',
        aux_uuid: 'EDGE-USER',
        aux_id: 9007199254740991,
        session: { uuid: 'S', login_time: at(1, '05:00:00.123456Z'), device_uuid: 'D', ip: '192.0.2.9' },
        location: { country: 'United States' },
      },
      { uuid: 'AUDIT-MINIMAL', timestamp: at(2, '06:00:00Z') },
    ],
  };
}

/** Lines that are not events: the drift view lists them as `(line)`; the typed view leaves them out. */
const NOT_OBJECTS = ['[1,2,3]', '"just text"', '{"uuid": "broken"', 'null'];

function lookupRows(events: Readonly<Record<EventType, Event[]>>): Record<LookupKind, Event[]> {
  const users = new Map<string, Event>();
  const vaults = new Map<string, Event>();
  const items = new Map<string, Event>();
  const groups = new Map<string, Event>();
  const loaded_at = '2026-01-01T00:00:00Z';
  const addUser = (u: unknown) => {
    const user = u as { uuid?: string; name?: string } | null;
    // Lower case ids: the views match ids ignoring case.
    if (user?.uuid && users.size % 2 === 0) {
      users.set(user.uuid, {
        id: user.uuid.toLowerCase(),
        name: `Lookup ${user.name ?? ''}`,
        email: null,
        type: 'MEMBER',
        state: 'ACTIVE',
        loaded_at,
      });
    } else if (user?.uuid)
      users.set(user.uuid, {
        id: user.uuid,
        name: null,
        email: 'x@example.com',
        type: 'MEMBER',
        state: 'ACTIVE',
        loaded_at,
      });
  };
  for (const e of events.signinattempts) addUser(e.target_user);
  for (const e of events.itemusages) {
    addUser(e.user);
    if (typeof e.vault_uuid === 'string' && vaults.size < 5)
      vaults.set(e.vault_uuid, { id: e.vault_uuid, name: `Vault ${vaults.size}`, loaded_at });
    if (typeof e.item_uuid === 'string' && items.size < 20) {
      items.set(e.item_uuid, {
        id: e.item_uuid.toUpperCase(),
        title: `Item ${items.size}`,
        vault_id: e.vault_uuid,
        vault_name: 'From items',
        category: 'LOGIN',
        loaded_at,
      });
    }
  }
  for (const e of events.auditevents) {
    if (typeof e.actor_uuid === 'string') addUser({ uuid: e.actor_uuid, name: 'Actor' });
    if (e.object_type === 'gm' || e.object_type === 'group') {
      const id = String(e.object_uuid);
      groups.set(id, { id, name: `Group ${groups.size}`, description: null, state: 'ACTIVE', loaded_at });
    }
  }
  return {
    users: [...users.values()],
    vaults: [...vaults.values()],
    items: [...items.values()],
    groups: [...groups.values()],
  };
}

/** Writes the sample data under `s3Dir`; returns the events written per type (before encoding). */
export function writeSqlSampleData(s3Dir: string, now = Date.now()): Record<EventType, Event[]> {
  const events = {} as Record<EventType, Event[]>;
  const edges = edgeEvents(now);
  for (const type of EVENT_TYPES) {
    const samples = pageSampleNames()
      .filter((name) => typeOfSample(name) === type)
      .flatMap((name) => sampleJson<{ items: Event[] }>(name).items);
    const elastic = (
      JSON.parse(readFileSync(join(ELASTIC, ELASTIC_INPUTS[type]), 'utf8')).events as { message: string }[]
    ).map((e) => JSON.parse(e.message) as Event);
    const demo = generateDemoEvents(type, 80, { start: now - 100 * DAY_MS, end: now, seed: 18, drifted: 12 });
    const base = (uuid: string): Event => ({ ...structuredClone(demo[0] as Event), uuid });
    const drifted = driftedEvents(type, base).map((d) => d.event);
    events[type] = [
      ...recent(samples, now, 0),
      ...recent(elastic, now, 4),
      ...demo,
      ...drifted,
      ...edges[type],
    ];
  }
  for (const type of EVENT_TYPES) {
    const byDate = new Map<string, string[]>();
    const add = (date: string, lines: string[]) => byDate.set(date, [...(byDate.get(date) ?? []), ...lines]);
    events[type].forEach((event, index) => {
      const date = eventDate(event, now);
      const context = {
        type,
        receivedAt: new Date(now - index * 1000).toISOString(),
        runId: `run-${index % 3}`,
      };
      const text = JSON.stringify(event);
      add(date, encodeEventLines(text, date, context, String(event.uuid)));
      // Every fifth event delivered again by a later run: the views keep the first delivery.
      if (index % 5 === 0)
        add(
          date,
          encodeEventLines(
            text,
            date,
            { ...context, receivedAt: new Date(now).toISOString(), runId: 'run-again' },
            String(event.uuid),
          ),
        );
    });
    // Chunk lines of an event too large for one Firehose record (shared/collector/delivery/event-lines.ts writes them
    // with 300,000-character slices; two short slices here): never rows of the views.
    const big = JSON.stringify({ ...(events[type][0] as Event), uuid: `BIG-${type}` });
    const half = Math.floor(big.length / 2);
    const chunkContext = { type, receivedAt: new Date(now).toISOString(), runId: 'run-big' };
    add(
      dayOf(now),
      [big.slice(0, half), big.slice(half)].map(
        (slice, index) =>
          `{"${METADATA_KEY}":${metadataText(dayOf(now), chunkContext, { chunk: { uuid: `BIG-${type}`, index, count: 2 } })},"${CHUNK_TEXT_KEY}":${JSON.stringify(slice)}}`,
      ),
    );
    add(dayOf(now), NOT_OBJECTS);
    for (const [date, lines] of byDate) {
      const dir = join(s3Dir, eventsPrefixFor(type), `dt=${date}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `part-${readdirSync(dir).length}.gz`), gzipSync(`${lines.join('\n')}\n`));
    }
  }
  const lookups = lookupRows(events);
  for (const kind of LOOKUP_KINDS) {
    const columns = LOOKUP_SPECS[kind].columns.map((c) => c.name);
    const lines = lookups[kind].map((row) =>
      JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))),
    );
    const file = join(s3Dir, lookupKeyFor(kind));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
  }
  return events;
}
