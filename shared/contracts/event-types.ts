/**
 * The three event types the 1Password Events API serves. They differ only in data:
 * every piece of logic takes an `EventTypeSpec` instead of branching on the type.
 */
export const EVENT_TYPES = ['auditevents', 'itemusages', 'signinattempts'] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface EventTypeSpec {
  /** The API's own name; also the value of the EVENT_TYPE variable. */
  readonly type: EventType;
  /** Path of the v2 POST endpoint. */
  readonly path: string;
  /** Feature a token must be granted (introspect `features`, JWT claim `1password.com/fts`). */
  readonly feature: string;
  /** Human label for logs, the CLI and the dashboard. */
  readonly label: string;
}

export const EVENT_TYPE_SPECS: Readonly<Record<EventType, EventTypeSpec>> = {
  auditevents: {
    type: 'auditevents',
    path: '/api/v2/auditevents',
    feature: 'auditevents',
    label: 'Audit events',
  },
  itemusages: {
    type: 'itemusages',
    path: '/api/v2/itemusages',
    feature: 'itemusages',
    label: 'Item usages',
  },
  signinattempts: {
    type: 'signinattempts',
    path: '/api/v2/signinattempts',
    feature: 'signinattempts',
    label: 'Sign-in attempts',
  },
};

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

export function specFor(type: EventType): EventTypeSpec {
  return EVENT_TYPE_SPECS[type];
}

/** Partition key (`pk`) of an event type's row in the cursor table: lease, cursor, run bookkeeping. */
export function cursorKeyFor(type: EventType): string {
  return `cursor#${type}`;
}

/** Partition key of the row holding the request budget the three types share (one API account). */
export const REQUEST_BUDGET_KEY = 'budget#requests';
