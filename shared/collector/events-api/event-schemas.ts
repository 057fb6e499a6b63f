import * as z from 'zod/mini';
import type { EventType } from '../../contracts/event-types';
import { compileMismatchFinder, type MismatchFinder } from './schema-check';

/**
 * Schemas of the v2 events, used to CHECK events, never to rewrite them: every field is optional
 * (the API omits fields freely), objects are loose (new fields pass), enums are plain strings (the
 * API adds values). An event that fails is still delivered unchanged; the failure is counted and
 * logged with the field's path.
 */
const text = z.optional(z.string());
const whole = z.optional(z.int());
const num = z.optional(z.number());

const person = z.optional(
  z.nullable(
    z.looseObject({
      uuid: text,
      name: text,
      email: text,
      user_type: text,
      user_account_uuid: text,
    }),
  ),
);

const location = z.optional(
  z.nullable(
    z.looseObject({
      country: text,
      region: text,
      city: text,
      latitude: num,
      longitude: num,
    }),
  ),
);

const client = z.optional(
  z.nullable(
    z.looseObject({
      app_name: text,
      app_version: text,
      platform_name: text,
      platform_version: text,
      os_name: text,
      os_version: text,
      ip_address: text,
    }),
  ),
);

const common = { uuid: text, timestamp: text, account_uuid: text, location };

const auditEvent = z.looseObject({
  ...common,
  actor_uuid: text,
  actor_details: person,
  actor_type: text,
  actor_account_uuid: text,
  action: text,
  object_type: text,
  object_uuid: text,
  object_details: person,
  aux_id: whole,
  aux_uuid: text,
  aux_details: person,
  aux_info: text,
  session: z.optional(
    z.nullable(z.looseObject({ uuid: text, login_time: text, device_uuid: text, ip: text })),
  ),
});

const itemUsage = z.looseObject({
  ...common,
  used_version: whole,
  vault_uuid: text,
  item_uuid: text,
  action: text,
  user: person,
  client,
});

const signInAttempt = z.looseObject({
  ...common,
  session_uuid: text,
  category: text,
  type: text,
  country: text,
  details: z.optional(z.nullable(z.looseObject({ value: text }))),
  target_user: person,
  client,
});

export const EVENT_SCHEMAS: Readonly<Record<EventType, z.ZodMiniType<unknown>>> = {
  auditevents: auditEvent,
  itemusages: itemUsage,
  signinattempts: signInAttempt,
};

/**
 * The same schemas as generated functions that name the fields zod would name: nothing is allocated
 * for a matching event, and an event that does not match costs as little (zod runs only for schemas
 * these cannot express).
 */
const MISMATCH_FINDERS: Readonly<Record<EventType, MismatchFinder | undefined>> = {
  auditevents: compileMismatchFinder(auditEvent),
  itemusages: compileMismatchFinder(itemUsage),
  signinattempts: compileMismatchFinder(signInAttempt),
};

/**
 * Checks one event; returns the dotted paths of the fields that do not match (empty when it matches).
 * A non-object event is reported as the path "(event)".
 */
export function findSchemaMismatches(type: EventType, event: unknown): string[] {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return ['(event)'];
  const finder = MISMATCH_FINDERS[type];
  if (finder) return finder(event) ?? [];
  return zodMismatches(type, event);
}

/** The dotted paths of the fields zod finds at fault ("(event)" for the event itself). */
function zodMismatches(type: EventType, event: unknown): string[] {
  const result = EVENT_SCHEMAS[type].safeParse(event);
  if (result.success) return [];
  return result.error.issues.map((issue) => issue.path.map(String).join('.') || '(event)');
}
