import type { EventType } from '../shared/contracts/event-types';

/** The columns `op-events get` shows per type: the fields an investigator looks at first. */
export interface EventField {
  readonly header: string;
  readonly pick: (event: Record<string, unknown>) => unknown;
}

function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The first of the values that is present. */
const first = (...values: unknown[]): unknown =>
  values.find((v) => v !== undefined && v !== null && v !== '');

const person = (event: Record<string, unknown>, key: string) =>
  first(at(event, key, 'email'), at(event, key, 'name'), at(event, key, 'uuid'));

const COMMON: readonly EventField[] = [
  // The timestamp as the API wrote it: never re-formatted through Date.
  { header: 'time', pick: (e) => e.timestamp },
  { header: 'uuid', pick: (e) => e.uuid },
];

export const EVENT_FIELDS: Readonly<Record<EventType, readonly EventField[]>> = {
  signinattempts: [
    ...COMMON,
    { header: 'category', pick: (e) => e.category },
    { header: 'type', pick: (e) => e.type },
    { header: 'user', pick: (e) => person(e, 'target_user') },
    { header: 'country', pick: (e) => first(at(e, 'location', 'country'), e.country) },
    { header: 'ip', pick: (e) => at(e, 'client', 'ip_address') },
  ],
  itemusages: [
    ...COMMON,
    { header: 'action', pick: (e) => e.action },
    { header: 'user', pick: (e) => person(e, 'user') },
    { header: 'vault', pick: (e) => e.vault_uuid },
    { header: 'item', pick: (e) => e.item_uuid },
    { header: 'app', pick: (e) => at(e, 'client', 'app_name') },
  ],
  auditevents: [
    ...COMMON,
    { header: 'action', pick: (e) => e.action },
    { header: 'actor', pick: (e) => first(at(e, 'actor_details', 'email'), e.actor_uuid) },
    {
      header: 'object',
      pick: (e) =>
        [
          e.object_type,
          first(at(e, 'object_details', 'email'), at(e, 'object_details', 'name'), e.object_uuid),
        ]
          .filter(Boolean)
          .join(' '),
    },
  ],
};
