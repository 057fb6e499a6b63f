import type { Detection } from './detection';
import { actorKey, type RawEvent, scalarAt, textAt } from './event-fields';
import type { EventRule, RuleDescription } from './rule';
import type { DetectionSettings } from './settings';

/** An audit-event rule: an action on an object type, and whatever else the rule asks of the event. */
export interface AuditRuleSpec extends Omit<RuleDescription, 'eventTypes' | 'groupKeyText'> {
  readonly objectTypes: readonly string[];
  readonly actions: readonly string[];
  /** A further condition on an event of those actions and object types. */
  readonly also?: (event: RawEvent, settings: DetectionSettings) => boolean;
  /** Defaults to the actor (uuid, else e-mail). */
  readonly groupKey?: { readonly text: string; readonly of: (event: RawEvent) => string };
}

/** What a responder reads first in an audit event: who did what to which object, for whom. */
export function auditKeyFields(event: RawEvent): Detection['key_fields'] {
  return {
    action: scalarAt(event, 'action'),
    object_type: scalarAt(event, 'object_type'),
    object_uuid: scalarAt(event, 'object_uuid'),
    object_name: textAt(event, 'object_details', 'name') ?? textAt(event, 'object_details', 'email') ?? null,
    aux_uuid: scalarAt(event, 'aux_uuid'),
    aux_email: scalarAt(event, 'aux_details', 'email'),
    aux_info: scalarAt(event, 'aux_info'),
    actor_email: scalarAt(event, 'actor_details', 'email'),
    actor_type: scalarAt(event, 'actor_type'),
  };
}

export function auditRule(spec: AuditRuleSpec): EventRule {
  const { objectTypes, actions, also, groupKey, ...description } = spec;
  return {
    ...description,
    kind: 'event',
    eventType: 'auditevents',
    eventTypes: ['auditevents'],
    groupKeyText: groupKey?.text ?? 'the actor (actor_uuid, else actor_details.email)',
    matches: (event, settings) =>
      typeof event.action === 'string' &&
      actions.includes(event.action) &&
      typeof event.object_type === 'string' &&
      objectTypes.includes(event.object_type) &&
      (also === undefined || also(event, settings)),
    groupKey: groupKey?.of ?? actorKey,
    keyFields: auditKeyFields,
  };
}

/** The watchlists of audit objects, and what one of their objects is called. */
const WATCHED_OBJECTS = { vaults: 'vault', groups: 'group' } as const;

/**
 * An audit rule about objects on a watchlist: it fires only where the event's object
 * (`object_uuid`) is on `watchlist`, and repeats are grouped by that object.
 */
export function watchlistRule(
  spec: Omit<AuditRuleSpec, 'groupKey'> & { readonly watchlist: keyof typeof WATCHED_OBJECTS },
): EventRule {
  const { watchlist, also, ...rest } = spec;
  const object = WATCHED_OBJECTS[watchlist];
  return auditRule({
    ...rest,
    also: (event, settings) =>
      listed(settings.watchlists[watchlist], textAt(event, 'object_uuid')) &&
      (also === undefined || also(event, settings)),
    groupKey: {
      text: `the ${object} (object_uuid)`,
      of: (event) => textAt(event, 'object_uuid') ?? `unknown-${object}`,
    },
  });
}

/** Membership of a watchlist, ignoring case (uuids are sometimes sent in lower case). */
export function listed(list: readonly string[], value: string | undefined): boolean {
  if (value === undefined) return false;
  const wanted = value.toLowerCase();
  return list.some((entry) => entry.toLowerCase() === wanted);
}
