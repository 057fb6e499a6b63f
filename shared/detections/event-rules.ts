import type { EventType } from '../contracts/event-types';
import type { Detection } from './detection';
import { dateRange, spanOf, utcRfc3339 } from './detection-time';
import { ipOf, personOf, type RawEvent, textAt } from './event-fields';
import { eventsQuery } from './event-query';
import type { EventRule } from './rule';
import { EVENT_RULES } from './rules/event-rule-list';
import type { DetectionSettings } from './settings';

export { EVENT_RULES };

/** The one-event rules of each type, computed once (the collector calls per page). */
const RULES_BY_TYPE: Readonly<Record<EventType, readonly EventRule[]>> = {
  auditevents: EVENT_RULES.filter((rule) => rule.eventType === 'auditevents'),
  itemusages: EVENT_RULES.filter((rule) => rule.eventType === 'itemusages'),
  signinattempts: EVENT_RULES.filter((rule) => rule.eventType === 'signinattempts'),
};

interface Group {
  readonly rule: EventRule;
  readonly key: string;
  readonly events: RawEvent[];
}

/**
 * Every one-event rule over one delivered page of one type. The events of one page that fire one
 * rule for one group key make one detection (its uuids all listed); the first event gives the user,
 * IP and key fields. Rules in `settings.disabledRules` are skipped. An event without a uuid cannot
 * be shown by a query and is still reported (its uuid left out).
 *
 * Imported by the collector: this module and its imports hold no SQL builder, CLI or CDK code.
 */
export function evaluateEventRules(
  eventType: EventType,
  events: readonly Record<string, unknown>[],
  settings: DetectionSettings,
): Detection[] {
  const rules = RULES_BY_TYPE[eventType].filter((rule) => !settings.disabledRules.includes(rule.id));
  if (rules.length === 0) return [];
  const groups = new Map<string, Group>();
  for (const event of events) {
    for (const rule of rules) {
      if (!rule.matches(event, settings)) continue;
      const key = rule.groupKey(event);
      const id = `${rule.id}\u0000${key}`;
      const group = groups.get(id);
      if (group) group.events.push(event);
      else groups.set(id, { rule, key, events: [event] });
    }
  }
  return [...groups.values()].map((group) => toDetection(eventType, group));
}

function toDetection(type: EventType, { rule, key, events }: Group): Detection {
  const first = events[0] as RawEvent;
  const uuids = events.map((event) => textAt(event, 'uuid')).filter((uuid) => uuid !== undefined);
  const span = spanOf(events.map((event) => event.timestamp));
  // Events without a readable timestamp are filed under the day they arrive
  // (shared/collector/delivery/event-date.ts).
  const now = new Date().toISOString();
  const dates = span ? dateRange(span) : { from: now.slice(0, 10), to: now.slice(0, 10) };
  const seen = span
    ? { first: utcRfc3339(span.first), last: utcRfc3339(span.last) }
    : { first: now, last: now };
  const user = personOf(type, first);
  const ip = ipOf(type, first);
  return {
    rule_id: rule.id,
    severity: rule.severity,
    title: rule.title,
    group_key: key,
    event_types: [type],
    event_uuids: uuids,
    first_seen: seen.first,
    last_seen: seen.last,
    ...(user ? { user } : {}),
    ...(ip ? { ip } : {}),
    key_fields: rule.keyFields(first),
    query: eventsQuery(type, uuids, dates),
  };
}
