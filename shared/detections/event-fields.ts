import type { EventType } from '../contracts/event-types';
import type { Detection } from './detection';

/** An event as the API sent it: fields are read, never trusted to have a type. */
export type RawEvent = Readonly<Record<string, unknown>>;

/** The value at a path of nested objects, undefined where a step is missing or not an object. */
export function fieldAt(event: RawEvent, ...path: string[]): unknown {
  let value: unknown = event;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A non-empty string at the path, else undefined. */
export function textAt(event: RawEvent, ...path: string[]): string | undefined {
  const value = fieldAt(event, ...path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A string, number, boolean or null at the path (for key fields), else null. */
export function scalarAt(event: RawEvent, ...path: string[]): string | number | boolean | null {
  const value = fieldAt(event, ...path);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
}

/** Identifiers are base32, sometimes lower case; e-mails compare without case too. */
export function sameIdentity(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** Where the person an event is about sits in each type: the actor, the item's user, the sign-in's target. */
const PERSON_FIELD: Readonly<Record<EventType, string>> = {
  auditevents: 'actor_details',
  itemusages: 'user',
  signinattempts: 'target_user',
};

/** The person an event is about (uuid, e-mail, name as sent), undefined when none is given. */
export function personOf(type: EventType, event: RawEvent): Detection['user'] {
  const field = PERSON_FIELD[type];
  const uuid =
    textAt(event, field, 'uuid') ?? (type === 'auditevents' ? textAt(event, 'actor_uuid') : undefined);
  const email = textAt(event, field, 'email');
  const name = textAt(event, field, 'name');
  if (uuid === undefined && email === undefined && name === undefined) return undefined;
  return {
    ...(uuid !== undefined ? { uuid } : {}),
    ...(email !== undefined ? { email } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

/** The actor of an audit event: uuid, else e-mail (some accounts send only details' e-mail). */
export function actorKey(event: RawEvent): string {
  return (
    textAt(event, 'actor_uuid') ??
    textAt(event, 'actor_details', 'uuid') ??
    textAt(event, 'actor_details', 'email') ??
    'unknown-actor'
  );
}

/** The person an event of any type is about, as a group key: uuid, else e-mail. */
export function personKey(type: EventType, event: RawEvent): string {
  const person = personOf(type, event);
  return person?.uuid ?? person?.email ?? 'unknown-user';
}

/** The IP address an event came from: the audit session's, else the client's. */
export function ipOf(type: EventType, event: RawEvent): string | undefined {
  return type === 'auditevents' ? textAt(event, 'session', 'ip') : textAt(event, 'client', 'ip_address');
}

/** True when the audit event's actor is the user or member it acts on (aux), by uuid or e-mail. */
export function actorIsAux(event: RawEvent): boolean {
  const actorUuid = textAt(event, 'actor_uuid') ?? textAt(event, 'actor_details', 'uuid');
  const auxUuid = textAt(event, 'aux_uuid') ?? textAt(event, 'aux_details', 'uuid');
  if (actorUuid !== undefined && auxUuid !== undefined) return sameIdentity(actorUuid, auxUuid);
  return sameIdentity(textAt(event, 'actor_details', 'email'), textAt(event, 'aux_details', 'email'));
}
