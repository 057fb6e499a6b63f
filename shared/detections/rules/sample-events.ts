import type { EventType } from '../../contracts/event-types';
import type { RawEvent } from '../event-fields';
import type { EventRuleCase } from '../rule';
import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from '../settings';
import type { CaseEvent, WindowRuleCase } from '../window-rule';

/**
 * Test events of the rules, in the shapes the Events API sends: each starts from a sample body of
 * test/fixtures/samples (PROVENANCE.md names the source) and changes only values the rule reads.
 *
 * - audit: docs_v2_auditevents_response_example.json, with `action`, `object_type` and `actor_type`,
 *   which that example leaves out and demisto_v2_auditevents_response_1.json shows.
 * - item usage: docs_v2_itemusages_response_example.json.
 * - sign-in: elastic_mock_v1_signinattempts_page1.json's first item, with docs' `location` and
 *   `account_uuid`.
 */

export const ADMIN = {
  uuid: 'PPQYFXGORNDIRHFJ43QNOEKZ6A',
  name: 'Insights Test',
  email: 'admin@example.com',
};
export const MEMBER = { uuid: 'X3TLF2JNIVDKJAXU67SNSHCFBU', name: 'Member 7', email: 'member7@example.com' };
export const VAULT_UUID = 'GJV5OUZ6QHCSNQQ3PRTJBEI2CE';
export const GROUP_UUID = 'OVBZ4FBHLTE3R6QOXTTJGUWFXI';
export const ITEM_UUID = 'FNI3RSIAGUB25XOEMSXYOSFYZU';
const ACCOUNT_UUID = '56YE2TYN2VFYRLNSHKPW5NVT5E';

type Person = { readonly uuid: string; readonly name: string; readonly email: string };

export interface AuditFields {
  readonly action: string;
  readonly object_type: string;
  readonly actor?: Person;
  /** The object acted on (a vault, group, user...). */
  readonly object?: { readonly uuid: string; readonly name?: string; readonly email?: string };
  /** The user or group a grant or membership is about. */
  readonly aux?: Person;
  readonly timestamp?: string;
  readonly uuid?: string;
  readonly actor_type?: string;
}

export function auditEvent(fields: AuditFields): RawEvent {
  const actor = fields.actor ?? ADMIN;
  return {
    uuid: fields.uuid ?? '56YE2TYN2VFYRLNSHKPW5NVT5E',
    timestamp: fields.timestamp ?? '2020-06-11T16:32:50-03:00',
    actor_uuid: actor.uuid,
    actor_details: { uuid: actor.uuid, name: actor.name, email: actor.email },
    actor_type: fields.actor_type ?? 'user',
    actor_account_uuid: ACCOUNT_UUID,
    account_uuid: ACCOUNT_UUID,
    action: fields.action,
    object_type: fields.object_type,
    ...(fields.object ? { object_uuid: fields.object.uuid, object_details: fields.object } : {}),
    ...(fields.aux
      ? { aux_id: 123, aux_uuid: fields.aux.uuid, aux_details: fields.aux, aux_info: '<string>' }
      : {}),
    session: {
      uuid: '56YE2TYN2VFYRLNSHKPW5NVT5E',
      login_time: '2020-06-11T16:32:50-03:00',
      device_uuid: '56YE2TYN2VFYRLNSHKPW5NVT5E',
      ip: '13.227.95.22',
    },
    location: { country: 'CA', region: 'Ontario', city: 'Toronto', longitude: 43.64, latitude: -79.433 },
  };
}

export interface ItemUsageFields {
  readonly action: string;
  readonly item_uuid?: string;
  readonly vault_uuid?: string;
  readonly user?: Person;
  readonly timestamp?: string;
  readonly uuid?: string;
}

export function itemUsageEvent(fields: ItemUsageFields): RawEvent {
  const user = fields.user ?? MEMBER;
  return {
    uuid: fields.uuid ?? '56YE2TYN2VFYRLNSHKPW5NVT5E',
    timestamp: fields.timestamp ?? '2020-06-11T16:32:50-03:00',
    used_version: 123,
    vault_uuid: fields.vault_uuid ?? VAULT_UUID,
    item_uuid: fields.item_uuid ?? ITEM_UUID,
    action: fields.action,
    user: { ...user, user_type: 'user', user_account_uuid: ACCOUNT_UUID },
    client: {
      app_name: '1Password Extension',
      app_version: '20127',
      platform_name: 'Chrome',
      platform_version: '<string>',
      os_name: 'MacOSX',
      os_version: '10.15.6',
      ip_address: '13.227.95.22',
    },
    location: { country: 'CA', region: 'Ontario', city: 'Toronto', longitude: 43.64, latitude: -79.433 },
    account_uuid: ACCOUNT_UUID,
  };
}

export interface SignInFields {
  readonly category: string;
  readonly type: string;
  readonly app_name?: string;
  readonly ip?: string;
  readonly user?: Person;
  readonly timestamp?: string;
  readonly uuid?: string;
}

export function signInEvent(fields: SignInFields): RawEvent {
  const user = fields.user ?? MEMBER;
  return {
    uuid: fields.uuid ?? 'HGIF4OEWXDTVWKEQDIWTKV26HU',
    session_uuid: 'UED4KFZ5BH37IQWTJ7LG4VPWK7',
    timestamp: fields.timestamp ?? '2021-08-11T14:28:03Z',
    country: 'AR',
    category: fields.category,
    type: fields.type,
    details: null,
    target_user: user,
    client: {
      app_name: fields.app_name ?? '1Password Browser Extension',
      app_version: '1109',
      platform_name: 'Chrome',
      platform_version: '93.0.4577.62',
      os_name: 'Android',
      os_version: '10',
      ip_address: fields.ip ?? '1.1.1.1',
    },
    location: {
      country: 'AR',
      region: 'Buenos Aires',
      city: 'Buenos Aires',
      longitude: -58.38,
      latitude: -34.6,
    },
    account_uuid: ACCOUNT_UUID,
  };
}

/** Minutes in a day, for cases placed days before their window's end. */
export const DAY_MINUTES = 1_440;

/** An audit event of a person exporting the sample vault. */
export function vaultExportEvent(person: Person, uuid: string): RawEvent {
  return auditEvent({
    action: 'export',
    object_type: 'vault',
    object: { uuid: VAULT_UUID, name: 'Finance' },
    actor: person,
    uuid,
  });
}

/** A case of an audit-event rule: its name, the event's fields and, where it needs them, settings. */
export function auditCase(name: string, fields: AuditFields, settings?: DetectionSettings): EventRuleCase {
  return { name, event: auditEvent(fields), ...(settings ? { settings } : {}) };
}

/** The default settings with these watchlists set. */
export function watching(watchlists: Partial<DetectionSettings['watchlists']>): DetectionSettings {
  return {
    ...DEFAULT_DETECTION_SETTINGS,
    watchlists: { ...DEFAULT_DETECTION_SETTINGS.watchlists, ...watchlists },
  };
}

/** A window case's event, this many minutes before the window's end. */
export const at = (minutesBeforeEnd: number, event: RawEvent): CaseEvent => ({ minutesBeforeEnd, event });

/** `count` events, the first `firstMinutesBeforeEnd` before the window's end, `minutesApart` apart. */
export function series(
  count: number,
  firstMinutesBeforeEnd: number,
  minutesApart: number,
  eventOf: (n: number) => RawEvent,
): CaseEvent[] {
  return Array.from({ length: count }, (_, n) => at(firstMinutesBeforeEnd - n * minutesApart, eventOf(n)));
}

/**
 * A case of a window rule over a window of `windowMinutes` (60 unless given): the group keys it must
 * report, none for a case that must stay quiet.
 */
export function windowCase(
  name: string,
  events: Partial<Record<EventType, readonly CaseEvent[]>>,
  groupKeys: readonly string[] = [],
  windowMinutes = 60,
): WindowRuleCase {
  return { name, windowMinutes, events, groupKeys };
}
