import type { EventType } from '../contracts/event-types';
import type { SqlDialect } from '../sql/dialect';
import type { RawEvent } from './event-fields';
import type { RuleDescription } from './rule';
import type { DetectionSettings } from './settings';

/** The time a scheduled or local run of a window rule covers: detections whose events end in it. */
export interface DetectionWindow {
  /** Epoch milliseconds, inclusive. */
  readonly sinceMs: number;
  /** Epoch milliseconds, exclusive. */
  readonly untilMs: number;
}

/**
 * A test case of a window rule: events of each type (times relative to the window's end), the
 * settings, and the group keys the rule must report (none for a case that must stay quiet).
 */
export interface WindowRuleCase {
  readonly name: string;
  /** Events per type; their `timestamp`s are made from `minutesBeforeEnd` by the case runner. */
  readonly events: Readonly<Partial<Record<EventType, readonly CaseEvent[]>>>;
  /** The window: this many minutes before its end (the end is the run's clock). */
  readonly windowMinutes: number;
  readonly settings?: DetectionSettings;
  readonly groupKeys: readonly string[];
}

/** An event of a window case, placed this many minutes before the window's end. */
export interface CaseEvent {
  readonly minutesBeforeEnd: number;
  readonly event: RawEvent;
}

/**
 * A rule over a window, a baseline or several types: SQL over the de-duplicated views, pruned by
 * `dt`, written once for Athena (the stack's schedule) and DuckDB (`op-events detections run`).
 *
 * Its SELECT gives one row per detection with these columns: `group_key`, `user_uuid`,
 * `user_email`, `user_name`, `ip` (text or NULL), `first_seen_ms` and `last_seen_ms` (epoch
 * milliseconds), `uuids_<type>` for each of its event types (the uuids, sorted, comma-separated),
 * and the columns named in `keyColumns` (numbers or text).
 */
export interface WindowRule extends RuleDescription {
  readonly kind: 'window';
  /** Columns of the SELECT that become the detection's key_fields. */
  readonly keyColumns: readonly string[];
  /** How far before the window's start the query reads (a baseline, a lead-up), in milliseconds. */
  lookbackMs(settings: DetectionSettings): number;
  /** The SELECT; the dt range and window bounds are given as literals. */
  render(dialect: SqlDialect, window: DetectionWindow, settings: DetectionSettings): string;
}

/** What a window rule's SQL is written from: the thresholds, and the look-back they give. */
export interface WindowSqlInputs {
  readonly thresholds: DetectionSettings['thresholds'];
  /** The rule's `lookbackMs` for these thresholds. */
  readonly lookbackMs: number;
}

/** A window rule as its file states it. */
export interface WindowRuleSpec extends RuleDescription {
  readonly keyColumns: readonly string[];
  /** How far before the window's start the query reads (a baseline, a lead-up), in milliseconds. */
  readonly lookbackMs: (thresholds: DetectionSettings['thresholds']) => number;
  /** The SELECT; the dt range and window bounds are given as literals. */
  readonly sql: (dialect: SqlDialect, window: DetectionWindow, inputs: WindowSqlInputs) => string;
}

export function windowRule(spec: WindowRuleSpec): WindowRule {
  const { lookbackMs, sql, ...description } = spec;
  return {
    ...description,
    kind: 'window',
    lookbackMs: ({ thresholds }) => lookbackMs(thresholds),
    render: (dialect, window, { thresholds }) =>
      sql(dialect, window, { thresholds, lookbackMs: lookbackMs(thresholds) }),
  };
}
