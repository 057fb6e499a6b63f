import type { EventType } from '../../shared/contracts/event-types';
import { COLLECTOR_COLUMNS, EVENT_COLUMNS } from '../../shared/contracts/table-schema';
import { type FieldPath, fieldPaths } from '../../shared/sql/typed-events';

/** One event whose field at `path` carries `value` (of the wrong type), all else well typed. */
export interface DriftedEvent {
  readonly path: FieldPath;
  readonly arrivedAs: string;
  readonly event: Record<string, unknown>;
}

const COLLECTOR_NAMES = new Set(COLLECTOR_COLUMNS.map((c) => c.name));

/** The API's fields of a type (not the collector's), nested ones included. */
export function apiFieldPaths(type: EventType): FieldPath[] {
  return fieldPaths(EVENT_COLUMNS[type].filter((c) => !COLLECTOR_NAMES.has(c.name)));
}

function setAt(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

/**
 * For every nested object and every numeric field of a type: an event where that field arrived with
 * another JSON type (an object as a string, a number as text, a whole number as a fraction).
 */
export function driftedEvents(
  type: EventType,
  base: (uuid: string) => Record<string, unknown>,
): DriftedEvent[] {
  const out: DriftedEvent[] = [];
  for (const path of apiFieldPaths(type)) {
    const wrong: [unknown, string][] =
      typeof path.type !== 'string'
        ? [['not an object', 'string']]
        : path.type === 'bigint' || path.type === 'int'
          ? [
              ['12', 'string'],
              [2.5, 'number'],
            ]
          : path.type === 'double'
            ? [[{ value: 1 }, 'object']]
            : [];
    for (const [value, arrivedAs] of wrong) {
      const event = base(`DRIFT-${path.dotted}-${arrivedAs}`.toUpperCase());
      setAt(event, path.keys, value);
      out.push({ path, arrivedAs, event });
    }
  }
  return out;
}
