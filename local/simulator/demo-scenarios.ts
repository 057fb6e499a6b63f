import type { EventType } from '../../shared/contracts/event-types';
import { seededRandom } from '../seeded-random';
import type { DemoAccount, DemoEvent, Person } from './demo-events';
import { base32Id } from './ids';

/**
 * What the detection rules look for, acted out once in the demo account's first batch, so that
 * `op-events detections run` has something of every rule to show (docs/detections.md). The events
 * have the generator's shapes (demo-events.ts); their times are fixed offsets before the first
 * start. The watchlists they need are the demo's detection settings (demoDetectionSettings).
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The demo's watched vault, group and item: the first vault, and a group and item only these events use. */
function demoWatchlists(account: DemoAccount, seed: number) {
  const random = seededRandom((seed ^ 0x5ce9a210) >>> 0);
  return {
    vaults: [account.vaults[0] as string],
    groups: [base32Id(random.bytes(17))],
    items: [base32Id(random.bytes(17))],
  };
}

/** The demo's detection settings: the defaults, with the watchlists the scenarios use. */
export function demoDetectionSettings(account: DemoAccount, seed: number) {
  return { watchlists: demoWatchlists(account, seed) };
}

interface Scene {
  readonly account: DemoAccount;
  readonly now: number;
  readonly nextUuid: () => string;
}

const SESSION_IP = '198.51.100.23';

function audit(
  scene: Scene,
  ago: number,
  actor: Person,
  action: string,
  objectType: string,
  fields: DemoEvent = {},
): DemoEvent {
  const timestamp = new Date(scene.now - ago).toISOString();
  return {
    uuid: scene.nextUuid(),
    timestamp,
    actor_uuid: actor.uuid,
    actor_details: { ...actor },
    actor_type: 'user',
    action,
    object_type: objectType,
    ...fields,
    session: {
      uuid: scene.nextUuid(),
      login_time: new Date(scene.now - ago - 20 * MINUTE).toISOString(),
      device_uuid: scene.nextUuid().toLowerCase(),
      ip: SESSION_IP,
    },
    actor_account_uuid: scene.account.uuid,
    account_uuid: scene.account.uuid,
    location: { country: 'CA', region: 'Ontario', city: 'Toronto', latitude: 43.64, longitude: -79.433 },
  };
}

const WEB_CLIENT = {
  app_name: '1Password for Web',
  app_version: '1817',
  platform_name: 'Chrome',
  platform_version: '127.0.6533.99',
  os_name: 'MacOSX',
  os_version: '14.5',
};

function usage(
  scene: Scene,
  ago: number,
  user: Person,
  action: string,
  vault: string,
  item: string,
): DemoEvent {
  return {
    uuid: scene.nextUuid(),
    timestamp: new Date(scene.now - ago).toISOString(),
    used_version: 3,
    vault_uuid: vault,
    item_uuid: item,
    action,
    user: { ...user },
    client: { ...WEB_CLIENT, ip_address: '203.0.113.77' },
    location: { country: 'FR', region: 'Brittany', city: 'Rennes', latitude: 48.11, longitude: -1.6744 },
    account_uuid: scene.account.uuid,
  };
}

function signIn(
  scene: Scene,
  ago: number,
  user: Person,
  category: string,
  type: string,
  client: DemoEvent,
): DemoEvent {
  return {
    uuid: scene.nextUuid(),
    session_uuid: scene.nextUuid(),
    timestamp: new Date(scene.now - ago).toISOString(),
    category,
    type,
    country: 'US',
    details: null,
    target_user: { ...user },
    client,
    location: {
      country: 'US',
      region: 'California',
      city: 'San Francisco',
      latitude: 37.7749,
      longitude: -122.4194,
    },
    account_uuid: scene.account.uuid,
  };
}

/** Who and what the scenarios involve: people of the demo account by role, its vaults and items. */
function castOf(account: DemoAccount, seed: number, scene: Scene) {
  const person = (index: number) => account.people[index % account.people.length] as Person;
  const watched = demoWatchlists(account, seed);
  return {
    account,
    admin: person(0),
    granter: person(1),
    traveller: person(2),
    target: person(3),
    hoarder: person(4),
    newHire: person(5),
    leaver: person(6),
    scripter: person(7),
    watcher: person(8),
    watched,
    vault: (i: number) => account.vaults[i % account.vaults.length] as string,
    item: (i: number) => account.items[i % account.items.length] as string,
    group: { uuid: watched.groups[0] as string, name: 'Administrators' },
    serviceAccount: { uuid: scene.nextUuid(), name: 'ci-deploy' },
    token: { uuid: scene.nextUuid(), name: 'ci-deploy token' },
  };
}

type Cast = ReturnType<typeof castOf>;

const aux = (p: Person) => ({ aux_uuid: p.uuid, aux_details: { ...p } });
const objectOf = (uuid: string, details: DemoEvent = {}) => ({
  object_uuid: uuid,
  object_details: { uuid, ...details },
});

function scenarioAuditEvents(scene: Scene, cast: Cast): DemoEvent[] {
  const { account, admin, granter, traveller, target, hoarder, newHire, leaver } = cast;
  const { vault, group, serviceAccount, token } = cast;
  return [
    audit(scene, 4 * DAY, admin, 'updatfw', 'account', objectOf(account.uuid)),
    audit(scene, 4 * DAY - HOUR, admin, 'enblsso', 'sso'),
    audit(
      scene,
      4 * DAY - 2 * HOUR,
      admin,
      'create',
      'sa',
      objectOf(serviceAccount.uuid, { name: serviceAccount.name }),
    ),
    audit(
      scene,
      4 * DAY - 2 * HOUR + MINUTE,
      admin,
      'create',
      'satoken',
      objectOf(token.uuid, { name: token.name }),
    ),
    // A leaver exports a vault, and is suspended two days later.
    audit(scene, 4 * DAY - 3 * HOUR, leaver, 'export', 'vault', objectOf(vault(2))),
    audit(
      scene,
      2 * DAY,
      admin,
      'suspend',
      'user',
      objectOf(leaver.uuid, { name: leaver.name, email: leaver.email }),
    ),
    // A new hire, invited by hand and activated three days ago, exports a vault the day after.
    audit(scene, 3 * DAY + HOUR, admin, 'create', 'invite', objectOf(newHire.uuid, { email: newHire.email })),
    audit(
      scene,
      3 * DAY,
      newHire,
      'activate',
      'user',
      objectOf(newHire.uuid, { name: newHire.name, email: newHire.email }),
    ),
    audit(scene, 2 * DAY, newHire, 'export', 'vault', objectOf(vault(3))),
    // Someone grants themselves a vault, then reveals its items (below).
    audit(scene, 30 * HOUR, granter, 'grant', 'uva', { ...objectOf(vault(1)), ...aux(granter) }),
    audit(scene, 28 * HOUR, granter, 'join', 'gm', {
      ...objectOf(scene.nextUuid(), { name: 'Finance' }),
      ...aux(granter),
    }),
    audit(scene, 26 * HOUR, admin, 'grant', 'uva', { ...objectOf(vault(0)), ...aux(target) }),
    audit(scene, 25 * HOUR, admin, 'join', 'gm', {
      ...objectOf(group.uuid, { name: group.name }),
      ...aux(hoarder),
    }),
    audit(
      scene,
      20 * HOUR,
      traveller,
      'disblmfa',
      'user',
      objectOf(traveller.uuid, { name: traveller.name, email: traveller.email }),
    ),
    audit(scene, 6 * HOUR, admin, 'disblmfa', 'account', objectOf(account.uuid)),
  ];
}

function scenarioItemUsages(scene: Scene, cast: Cast): DemoEvent[] {
  const { granter, hoarder, watcher, watched, vault, item } = cast;
  return [
    ...[1, 2, 3].map((n) =>
      usage(scene, 30 * HOUR - 15 * MINUTE - n * MINUTE, granter, 'reveal', vault(1), item(n)),
    ),
    // Twenty-five items revealed or copied in eight minutes.
    ...Array.from({ length: 25 }, (_, n) =>
      usage(
        scene,
        10 * HOUR - n * 20_000,
        hoarder,
        n % 3 === 0 ? 'secure-copy' : 'reveal',
        vault(n),
        item(n),
      ),
    ),
    usage(scene, 5 * HOUR, watcher, 'reveal', vault(0), watched.items[0] as string),
  ];
}

function scenarioSignIns(scene: Scene, cast: Cast): DemoEvent[] {
  const { target, traveller, scripter } = cast;
  const failing = { ...WEB_CLIENT, ip_address: '192.0.2.201' };
  return [
    // Twelve failed sign-ins for one user in six minutes, from one address.
    ...Array.from({ length: 12 }, (_, n) =>
      signIn(scene, 8 * HOUR - n * 30_000, target, 'credentials_failed', 'password_secret_bad', failing),
    ),
    signIn(scene, 3 * HOUR, traveller, 'success', 'credentials_ok', {
      ...WEB_CLIENT,
      ip_address: '203.0.113.50',
    }),
    signIn(scene, 2 * HOUR, scripter, 'success', 'credentials_ok', {
      app_name: 'python-requests',
      app_version: '2.31.0',
      platform_name: '',
      platform_version: '',
      os_name: 'linux',
      os_version: '',
      ip_address: '192.0.2.99',
    }),
  ];
}

/** The scenarios' events per type, at fixed offsets before `now` (all within the demo's five days). */
export function detectionScenarioEvents(
  account: DemoAccount,
  seed: number,
  now: number,
): Record<EventType, DemoEvent[]> {
  const random = seededRandom((seed ^ 0x0de7ec75) >>> 0);
  const scene: Scene = { account, now, nextUuid: () => base32Id(random.bytes(17)) };
  const cast = castOf(account, seed, scene);
  // In this order: each takes the uuids it makes from the one seeded sequence.
  const auditevents = scenarioAuditEvents(scene, cast);
  const itemusages = scenarioItemUsages(scene, cast);
  const signinattempts = scenarioSignIns(scene, cast);
  return { auditevents, itemusages, signinattempts };
}
