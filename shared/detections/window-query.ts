import type { EventType } from '../contracts/event-types';
import { ATHENA_DIALECT, DUCKDB_DIALECT, type SqlEngine } from '../sql/dialect';
import { TYPED_VIEWS } from '../sql/typed-events';
import { VIEW_DEFINITIONS, type ViewDefinition } from '../sql/views';
import type { Detection } from './detection';
import { detectionEventsQuery } from './event-query';
import type { DetectionSettings } from './settings';
import type { DetectionWindow, WindowRule } from './window-rule';

/** The views the window rules read (the de-duplicated views), each after those it reads. */
export const WINDOW_RULE_VIEWS: readonly ViewDefinition[] = [...TYPED_VIEWS, ...VIEW_DEFINITIONS];

/** A window rule's SQL for one engine and window. */
export function windowRuleSql(
  rule: WindowRule,
  window: DetectionWindow,
  settings: DetectionSettings,
  engine: SqlEngine,
): string {
  if (!(window.untilMs > window.sinceMs)) {
    throw new RangeError(
      `A detection window must end after it starts (since ${window.sinceMs}, until ${window.untilMs}).`,
    );
  }
  return rule.render(engine === 'athena' ? ATHENA_DIALECT : DUCKDB_DIALECT, window, settings);
}

/**
 * The Athena (Trino) text of a window rule over [since, until): what a schedule runs. Its rows
 * become detections through detectionsFromRows.
 */
export function windowRuleAthenaSql(
  rule: WindowRule,
  since: Date,
  until: Date,
  settings: DetectionSettings,
): string {
  return windowRuleSql(rule, { sinceMs: since.getTime(), untilMs: until.getTime() }, settings, 'athena');
}

type Cell = string | number | bigint | boolean | null | undefined;

const text = (value: Cell): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : String(value);

/** Epoch milliseconds as Athena (text) or DuckDB (number, bigint) returns them. */
function millis(value: Cell, column: string, rule: WindowRule): number {
  const ms = Number(value);
  if (value === null || value === undefined || !Number.isFinite(ms)) {
    throw new Error(
      `Rule ${rule.id} returned no ${column} (${String(value)}): its SQL must give epoch milliseconds.`,
    );
  }
  return ms;
}

function keyValue(value: Cell): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value) && value.length < 16) return Number(value);
  return value;
}

/** A window rule's result rows (column name to value, either engine) as detections. */
export function detectionsFromRows(
  rule: WindowRule,
  rows: readonly Readonly<Record<string, Cell>>[],
): Detection[] {
  return rows.map((row) => {
    const uuidsByType = new Map<EventType, string[]>();
    for (const type of rule.eventTypes) {
      uuidsByType.set(
        type,
        (text(row[`uuids_${type}`]) ?? '').split(',').filter((uuid) => uuid !== ''),
      );
    }
    const first = new Date(millis(row.first_seen_ms, 'first_seen_ms', rule)).toISOString();
    const last = new Date(millis(row.last_seen_ms, 'last_seen_ms', rule)).toISOString();
    const user = {
      ...(text(row.user_uuid) ? { uuid: text(row.user_uuid) } : {}),
      ...(text(row.user_email) ? { email: text(row.user_email) } : {}),
      ...(text(row.user_name) ? { name: text(row.user_name) } : {}),
    };
    const ip = text(row.ip);
    return {
      rule_id: rule.id,
      severity: rule.severity,
      title: rule.title,
      group_key: text(row.group_key) ?? '',
      event_types: [...rule.eventTypes],
      event_uuids: [...uuidsByType.values()].flat(),
      first_seen: first,
      last_seen: last,
      ...(Object.keys(user).length > 0 ? { user } : {}),
      ...(ip ? { ip } : {}),
      key_fields: Object.fromEntries(rule.keyColumns.map((column) => [column, keyValue(row[column])])),
      query: detectionEventsQuery(uuidsByType, { from: first.slice(0, 10), to: last.slice(0, 10) }),
    };
  });
}
