import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { METADATA_KEY, PARTITION_COLUMN } from '../../shared/contracts/s3-layout';
import type { Detection } from '../../shared/detections/detection';
import { EVENT_RULES, evaluateEventRules } from '../../shared/detections/event-rules';
import { WINDOW_RULES } from '../../shared/detections/rules/window-rule-list';
import type { DetectionSettings } from '../../shared/detections/settings';
import { detectionsFromRows, WINDOW_RULE_VIEWS, windowRuleSql } from '../../shared/detections/window-query';
import { RAW_LINE_COLUMN, RAW_TABLE_NAMES } from '../../shared/sql/typed-events';
import { instantToMillis, parseTimestamp } from '../../shared/util/timestamp';
import { type EventDatabase, openEventDatabase } from '../event-database';

/**
 * As many events as the collector's pages hold: one-event rules group a page's repeats into one
 * detection.
 */
const PAGE_EVENTS = 1_000;

export interface LocalDetectionRun {
  readonly sinceMs: number;
  readonly untilMs: number;
  /** Rules to run (all when absent); rules switched off in the settings are skipped either way. */
  readonly ruleIds?: readonly string[];
  readonly settings: DetectionSettings;
}

type RawEvent = Record<string, unknown>;

/**
 * Every rule over the local store (the state folder's s3/): the one-event rules over the events of
 * the window, in time order and pages of the collector's size, as the collector runs them; the
 * window rules' DuckDB text over the window. Sorted by last event, then rule.
 */
export async function detectLocally(s3Dir: string, run: LocalDetectionRun): Promise<Detection[]> {
  const chosen = (id: string) =>
    (run.ruleIds ? run.ruleIds.includes(id) : true) && !run.settings.disabledRules.includes(id);
  const db = await openEventDatabase(s3Dir, WINDOW_RULE_VIEWS);
  try {
    const found: Detection[] = [];
    const eventRuleIds = EVENT_RULES.filter((rule) => chosen(rule.id)).map((rule) => rule.id);
    // Only the chosen one-event rules: the others are switched off for this evaluation.
    const eventSettings = {
      ...run.settings,
      disabledRules: EVENT_RULES.map((rule) => rule.id).filter((id) => !eventRuleIds.includes(id)),
    };
    for (const type of EVENT_TYPES) {
      if (!EVENT_RULES.some((rule) => rule.eventType === type && eventRuleIds.includes(rule.id))) continue;
      const events = await eventsOf(db, type, run);
      for (let start = 0; start < events.length; start += PAGE_EVENTS) {
        found.push(...evaluateEventRules(type, events.slice(start, start + PAGE_EVENTS), eventSettings));
      }
    }
    const window = { sinceMs: run.sinceMs, untilMs: run.untilMs };
    for (const rule of WINDOW_RULES.filter((r) => chosen(r.id))) {
      const reader = await db.connection.runAndReadAll(windowRuleSql(rule, window, run.settings, 'duckdb'));
      found.push(
        ...detectionsFromRows(rule, reader.getRowObjectsJson() as Record<string, string | number | null>[]),
      );
    }
    return found.sort(
      (a, b) =>
        a.last_seen.localeCompare(b.last_seen) ||
        a.rule_id.localeCompare(b.rule_id) ||
        a.group_key.localeCompare(b.group_key),
    );
  } finally {
    db.close();
  }
}

/**
 * One type's events of the window as the API sent them (the lines with the collector's metadata key
 * left on, which no rule reads), each uuid once, in time order. Chunk lines of an oversized event are
 * left out (their text is a slice of the event, not the event).
 */
async function eventsOf(db: EventDatabase, type: EventType, run: LocalDetectionRun): Promise<RawEvent[]> {
  const since = new Date(run.sinceMs).toISOString().slice(0, 10);
  const until = new Date(run.untilMs).toISOString().slice(0, 10);
  const reader = await db.connection.runAndReadAll(
    `SELECT ${RAW_LINE_COLUMN} AS line FROM ${RAW_TABLE_NAMES[type]} ` +
      `WHERE ${PARTITION_COLUMN} >= '${since}' AND ${PARTITION_COLUMN} <= '${until}'`,
  );
  const seen = new Set<string>();
  const timed: { ms: number; event: RawEvent }[] = [];
  for (const row of reader.getRowObjectsJson()) {
    let event: unknown;
    try {
      event = JSON.parse(String(row.line));
    } catch {
      continue;
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) continue;
    const record = event as RawEvent;
    const metadata = record[METADATA_KEY] as { chunk?: unknown } | undefined;
    if (metadata?.chunk) continue;
    const uuid = typeof record.uuid === 'string' ? record.uuid : undefined;
    if (uuid !== undefined) {
      if (seen.has(uuid)) continue;
      seen.add(uuid);
    }
    const at = parseTimestamp(record.timestamp);
    const ms = at ? instantToMillis(at) : run.untilMs;
    if (at && (ms < run.sinceMs || ms >= run.untilMs)) continue;
    timed.push({ ms, event: record });
  }
  return timed.sort((a, b) => a.ms - b.ms).map((t) => t.event);
}
