import type { EventType } from '../../shared/contracts/event-types';
import { type SeededRandom, seededRandom } from '../seeded-random';
import { base32Id } from './ids';
import { formatRfc3339, type Instant } from './rfc3339';

export interface DemoEventOptions {
  readonly start: Date | number | string;
  readonly end: Date | number | string;
  readonly seed: number;
  /** Seed of the demo account (people, vaults, items); default `seed`. Batches with different
   * seeds and one account seed continue the same account's activity with new event uuids. */
  readonly accountSeed?: number;
  /** Share of events that arrive late: timestamps minutes to hours before their neighbours (0.05). */
  readonly lateShare?: number;
  /** How many of the events arrive with a field of another type than documented (0). */
  readonly drifted?: number;
}

export type DemoEvent = Record<string, unknown>;

export interface Person {
  readonly uuid: string;
  readonly name: string;
  readonly email: string;
}

export interface DemoAccount {
  readonly uuid: string;
  readonly people: readonly Person[];
  readonly vaults: readonly string[];
  readonly items: readonly string[];
}

/** Names with quotes, accents and non-Latin script: their JSON must pass through unchanged. */
const NAMES = [
  'Ada Lovelace',
  "Jack O'Neill",
  'Zoë Martin',
  'Björn Ångström',
  '李雷',
  'Amara Okafor',
  'José Núñez',
  'Priya Natarajan',
  'Sam "Ops" Rivera',
];

const LOCATIONS: readonly DemoEvent[] = [
  { country: 'CA', region: 'Ontario', city: 'Toronto', latitude: 43.64, longitude: -79.433 },
  { country: 'FR', region: 'Brittany', city: 'Rennes', latitude: 48.11, longitude: -1.6744 },
  { country: 'Israel', region: 'Tel Aviv', city: 'Tel Aviv' },
  { country: 'US', region: 'California', city: 'San Francisco', latitude: 37.7749, longitude: -122.4194 },
  { country: 'JP', region: 'Tokyo', city: 'Tokyo', latitude: 35.6895, longitude: 139.6917 },
];

const CLIENTS: readonly DemoEvent[] = [
  {
    app_name: '1Password for Web',
    app_version: '1817',
    platform_name: 'Chrome',
    platform_version: '127.0.6533.99',
    os_name: 'Linux',
    os_version: '6.10.5',
  },
  {
    app_name: '1Password Browser Extension',
    app_version: '20127',
    platform_name: 'Firefox',
    platform_version: '128.0',
    os_name: 'MacOSX',
    os_version: '14.5',
  },
  {
    app_name: '1Password for Mac',
    app_version: '81024004',
    platform_name: 'Apple',
    platform_version: 'MacBookPro18,3',
    os_name: 'MacOSX',
    os_version: '14.5',
  },
  {
    app_name: '1Password for Android',
    app_version: '80908001',
    platform_name: 'Google',
    platform_version: 'Pixel 8',
    os_name: 'Android',
    os_version: '14',
  },
  {
    app_name: '1Password CLI',
    app_version: '2300101',
    platform_name: '',
    platform_version: '',
    os_name: 'linux',
    os_version: '',
  },
];

/** Open enums: each list ends with a value no documentation mentions yet. */
const AUDIT_ACTIONS = ['create', 'update', 'delete', 'suspend', 'reactivate', 'join', 'leave', 'grant'];
const AUDIT_ACTIONS_RARE = ['revoke', 'trvlaway', 'trvlback', 'verify', 'activate', 'newaction'];
const AUDIT_OBJECTS = [
  'user',
  'vault',
  'item',
  'account',
  'group',
  'gm',
  'device',
  'invite',
  'file',
  'newobject',
];
const ITEM_ACTIONS = [
  'reveal',
  'fill',
  'secure-copy',
  'export',
  'share',
  'server-create',
  'server-fetch',
  'server-update',
];
const ITEM_ACTIONS_RARE = ['other', 'select-sso-provider', 'newitemaction'];

const SIGN_IN_OUTCOMES: readonly { category: string; types: readonly string[] }[] = [
  { category: 'success', types: ['credentials_ok', 'credentials_ok', 'mfa_ok', 'federated'] },
  { category: 'credentials_failed', types: ['password_secret_bad'] },
  { category: 'mfa_failed', types: ['mfa_missing', 'totp_bad', 'duo_timeout'] },
  { category: 'sso_failed', types: ['federated'] },
  {
    category: 'firewall_failed',
    types: ['country_blocked', 'continent_blocked', 'ip_blocked', 'anonymous_blocked'],
  },
  { category: 'firewall_reported_success', types: ['country_blocked'] },
  { category: 'modern_version_failed', types: ['modern_version_old', 'modern_version_missing'] },
  { category: 'passkey_failed', types: ['passkey_bad'] },
];

const OFFSETS_MINUTES = [-180, 330, 60, -420];

function toMillis(value: Date | number | string): number {
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Not a time: ${String(value)}`);
  return ms;
}

function typeSalt(type: EventType): number {
  return [...type].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0, 7);
}

/** The demo account of a seed: its people, vaults and items (the same for every batch of that seed). */
export function demoAccount(random: SeededRandom): DemoAccount {
  const id = () => base32Id(random.bytes(17));
  return {
    uuid: id(),
    people: NAMES.map((name, index) => ({ uuid: id(), name, email: `user${index + 1}@example.com` })),
    vaults: Array.from({ length: 4 }, id),
    items: Array.from({ length: 30 }, id),
  };
}

/** A 1Password uuid, now and then in lower case as some fields are. */
function maybeLower(random: SeededRandom, id: string): string {
  return random.chance(0.1) ? id.toLowerCase() : id;
}

function ipAddress(random: SeededRandom): string {
  if (random.chance(0.1)) return `2001:db8::${random.int(1, 0xffff).toString(16)}`;
  return [random.int(1, 223), random.int(0, 255), random.int(0, 255), random.int(1, 254)].join('.');
}

/** RFC 3339 with 0 to 9 fractional digits and now and then a local offset instead of Z. */
function timestampText(random: SeededRandom, epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000);
  let nanos = (epochMs - seconds * 1000) * 1_000_000 + random.int(0, 999_999);
  const precision = random.next();
  if (precision < 0.05) nanos = 0;
  else if (precision < 0.15) nanos -= nanos % 1_000_000;
  else if (precision < 0.25) nanos -= nanos % 1_000;
  const instant: Instant = { seconds, nanos };
  return formatRfc3339(instant, random.chance(0.1) ? random.pick(OFFSETS_MINUTES) : 0);
}

function withLocation(random: SeededRandom, event: DemoEvent): DemoEvent {
  if (random.chance(0.15)) return event;
  return { ...event, location: { ...random.pick(LOCATIONS) } };
}

function client(random: SeededRandom): DemoEvent {
  return { ...random.pick(CLIENTS), ip_address: ipAddress(random) };
}

/** FNV-1a of a text: a stable number to derive a person's usual addresses from. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** One of the two addresses a person usually signs in from (home, office). */
function usualAddress(person: Person, which: number): string {
  const h = hashOf(`${person.uuid}#${which}`);
  return [1 + (h % 223), (h >>> 8) % 256, (h >>> 16) % 256, 1 + ((h >>> 24) % 254)].join('.');
}

/**
 * A sign-in's client: most come from one of the person's two usual addresses, about one in fifty
 * from somewhere new (what new-ip-successful-sign-in looks for). Decided from the drawn address, so
 * the sequence of random draws stays as it was.
 */
function signInClient(random: SeededRandom, person: Person): DemoEvent {
  const drawn = client(random);
  const h = hashOf(String(drawn.ip_address));
  return h % 50 === 0 ? drawn : { ...drawn, ip_address: usualAddress(person, h % 2) };
}

function userRef(random: SeededRandom, person: Person, account: DemoAccount): DemoEvent {
  if (!random.chance(0.15)) return { ...person };
  return { ...person, user_type: random.pick(['user', 'guest']), user_account_uuid: account.uuid };
}

function auditEvent(
  random: SeededRandom,
  account: DemoAccount,
  timestamp: string,
  epochMs: number,
): DemoEvent {
  const actor = random.pick(account.people);
  const objectType = random.pick(AUDIT_OBJECTS);
  const target = random.pick(account.people);
  const event: DemoEvent = {
    uuid: base32Id(random.bytes(17)),
    timestamp,
    actor_uuid: actor.uuid,
    actor_details: { ...actor },
    actor_type: random.chance(0.9) ? 'user' : random.pick(['service_account', 'scim_bridge', 'newactortype']),
    action: random.chance(0.85) ? random.pick(AUDIT_ACTIONS) : random.pick(AUDIT_ACTIONS_RARE),
    object_type: objectType,
    object_uuid: objectType === 'user' ? target.uuid : base32Id(random.bytes(17)),
  };
  if (objectType === 'user') event.object_details = { ...target };
  if (random.chance(0.3)) event.aux_id = random.int(1, 50_000);
  if (random.chance(0.3)) {
    const aux = random.pick(account.people);
    event.aux_uuid = aux.uuid;
    event.aux_details = { ...aux };
  }
  if (random.chance(0.2)) event.aux_info = random.pick(['A', 'R', '{"note":"json inside a string"}', '']);
  event.session = {
    uuid: base32Id(random.bytes(17)),
    login_time: timestampText(random, epochMs - random.int(1, 7_200) * 1000),
    device_uuid: base32Id(random.bytes(17)).toLowerCase(),
    ip: ipAddress(random),
  };
  if (random.chance(0.8)) {
    event.actor_account_uuid = account.uuid;
    event.account_uuid = account.uuid;
  }
  return withLocation(random, event);
}

function itemUsage(random: SeededRandom, account: DemoAccount, timestamp: string): DemoEvent {
  const event: DemoEvent = {
    uuid: base32Id(random.bytes(17)),
    timestamp,
    used_version: random.int(1, 40),
    vault_uuid: maybeLower(random, random.pick(account.vaults)),
    item_uuid: maybeLower(random, random.pick(account.items)),
  };
  // Clients older than 8.4.0 send no action.
  if (!random.chance(0.05)) {
    event.action = random.chance(0.9) ? random.pick(ITEM_ACTIONS) : random.pick(ITEM_ACTIONS_RARE);
  }
  event.user = userRef(random, random.pick(account.people), account);
  event.client = client(random);
  return { ...withLocation(random, event), account_uuid: account.uuid };
}

function signInAttempt(random: SeededRandom, account: DemoAccount, timestamp: string): DemoEvent {
  const outcome = random.chance(0.7) ? SIGN_IN_OUTCOMES[0] : random.pick(SIGN_IN_OUTCOMES);
  const category = outcome?.category ?? 'success';
  const type = random.pick(outcome?.types ?? ['credentials_ok']);
  const location = random.pick(LOCATIONS);
  const blocked: Record<string, string> = {
    country_blocked: String(location.country),
    continent_blocked: 'Europe',
    ip_blocked: ipAddress(random),
  };
  // Drawn in the order the fields always were, so the demo's other values stay as they were.
  const uuid = base32Id(random.bytes(17));
  const sessionUuid = base32Id(random.bytes(17));
  // Documented as ISO 3166, seen as full names too.
  const country = random.chance(0.8) ? location.country : 'France';
  const person = random.pick(account.people);
  const targetUser = userRef(random, person, account);
  const event: DemoEvent = {
    uuid,
    session_uuid: sessionUuid,
    timestamp,
    category,
    type,
    country,
    details: blocked[type] === undefined ? null : { value: blocked[type] },
    target_user: targetUser,
    client: signInClient(random, person),
  };
  if (!random.chance(0.15)) event.location = { ...location };
  event.account_uuid = account.uuid;
  return event;
}

/**
 * Fields seen with another JSON type than documented (as a string, a number as text): the demo
 * shows that queries survive them. Each rewrites one field of an event of its type.
 */
const DRIFTS: Readonly<Record<EventType, readonly ((event: DemoEvent) => void)[]>> = {
  auditevents: [
    (e) => {
      e.aux_id = String(e.aux_id ?? 1234);
    },
    (e) => {
      e.session = `session ${String(e.uuid)}`;
    },
    (e) => {
      e.actor_details = String(e.actor_uuid);
    },
  ],
  itemusages: [
    (e) => {
      e.used_version = String(e.used_version);
    },
    (e) => {
      e.user = 'user1@example.com';
    },
    (e) => {
      e.location = [43.64, -79.433];
    },
  ],
  signinattempts: [
    (e) => {
      e.client = '1Password CLI 2.30.1';
    },
    (e) => {
      e.location = { ...(e.location as object), latitude: '43.64' };
    },
    (e) => {
      e.details = 'Europe';
    },
  ],
};

/** Rewrites `count` events spread over the list, one field each, cycling through the type's drifts. */
function applyDrift(type: EventType, events: DemoEvent[], count: number): void {
  const drifts = DRIFTS[type];
  for (let n = 0; n < Math.min(count, events.length); n++) {
    const event = events[Math.floor(((n + 0.5) * events.length) / count)];
    if (event) drifts[n % drifts.length]?.(event);
  }
}

/**
 * Realistic v2 events for demos and benchmarks, deterministic for a seed. They come in insertion
 * order, mostly rising in time across [start, end) with a share of late arrivals, as the API
 * serves them; every timestamp is inside the range.
 */
export function generateDemoEvents(type: EventType, count: number, options: DemoEventOptions): DemoEvent[] {
  const startMs = toMillis(options.start);
  const endMs = toMillis(options.end);
  if (!(endMs > startMs)) throw new RangeError('end must be after start');
  const random = seededRandom((options.seed ^ typeSalt(type)) >>> 0);
  const account = demoAccount(seededRandom(options.accountSeed ?? options.seed));
  const lateShare = options.lateShare ?? 0.05;
  const events: DemoEvent[] = [];
  for (let index = 0; index < count; index++) {
    let epochMs = Math.floor(startMs + ((endMs - startMs) * (index + random.next())) / count);
    if (random.chance(lateShare)) epochMs = Math.max(startMs, epochMs - random.int(60, 6 * 3600) * 1000);
    const timestamp = timestampText(random, epochMs);
    if (type === 'auditevents') events.push(auditEvent(random, account, timestamp, epochMs));
    else if (type === 'itemusages') events.push(itemUsage(random, account, timestamp));
    else events.push(signInAttempt(random, account, timestamp));
  }
  applyDrift(type, events, options.drifted ?? 0);
  return events;
}
