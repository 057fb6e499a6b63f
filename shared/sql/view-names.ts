import { EVENT_TYPES, type EventType } from '../contracts/event-types';

/** `<type><suffix>` for each event type: the names of one family of per-type tables or views. */
export function namesPerType(suffix: string): Readonly<Record<EventType, string>> {
  return Object.fromEntries(EVENT_TYPES.map((type) => [type, `${type}${suffix}`])) as Record<
    EventType,
    string
  >;
}
