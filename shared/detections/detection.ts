import type { EventType } from '../contracts/event-types';

/** AWS Security Hub's severity labels (ASFF `Severity.Label`), so a finding takes the label as it is. */
export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

export type Severity = (typeof SEVERITIES)[number];

/**
 * One alert: what a rule found, in the shape published as the `detail` of the EventBridge event
 * (serialised as it is) and printed by `op-events detections run --json`.
 */
export interface Detection {
  readonly rule_id: string;
  readonly severity: Severity;
  readonly title: string;
  /** What groups repeats (e.g. the actor's uuid); suppression keys on (rule_id, group_key). */
  readonly group_key: string;
  readonly event_types: EventType[];
  readonly event_uuids: string[];
  /** RFC 3339 (UTC), the earliest and latest of the events' own timestamps. */
  readonly first_seen: string;
  readonly last_seen: string;
  readonly user?: { uuid?: string; email?: string; name?: string };
  readonly ip?: string;
  /** The few fields a responder reads first (action, object, vault, client...). */
  readonly key_fields: Record<string, string | number | boolean | null>;
  /** Athena SQL (pruned by `dt`) that shows the events. */
  readonly query: string;
}
