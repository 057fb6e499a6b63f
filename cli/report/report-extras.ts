import { existsSync, readFileSync } from 'node:fs';
import type { CursorState } from '../../shared/collector/state/cursor-store';
import type { EventType } from '../../shared/contracts/event-types';
import { describeError } from '../../shared/util/errors';
import { secondsSince } from '../../shared/util/timestamp';
import { lastRunPath } from '../detections/settings-file';
import type { StateDir } from '../state-dir';

/** The report's two sections that are not queries of events: detections and the collector's health. */

export interface RuleCount {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: string;
  readonly detections: number;
}

export type DetectionsSection =
  | { readonly status: 'recorded'; readonly where: string; readonly byRule: readonly RuleCount[] }
  | { readonly status: 'none'; readonly why: string };

/** Severities as AWS Security Hub labels them, highest first (shared/detections' Severity). */
const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];

interface StoredDetection {
  readonly rule_id?: unknown;
  readonly title?: unknown;
  readonly severity?: unknown;
  readonly last_seen?: unknown;
}

/**
 * What the last `op-events detections run` kept (<state>/detections/detections.ndjson, one
 * detection a line) whose last event is on or after `firstDay`, counted per rule, highest severity
 * first. Lines that are not a detection are skipped.
 */
export function readDetections(state: StateDir, firstDay: string): DetectionsSection {
  const file = lastRunPath(state);
  if (!existsSync(file)) {
    return {
      status: 'none',
      why: 'No detections recorded: "op-events detections run" has not kept any in this state folder.',
    };
  }
  const counts = new Map<string, { title: string; severity: string; detections: number }>();
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const detection = parseLine(line);
      if (!detection || typeof detection.rule_id !== 'string') continue;
      const lastSeen = typeof detection.last_seen === 'string' ? detection.last_seen : '';
      if (lastSeen.slice(0, 10) < firstDay) continue;
      const entry = counts.get(detection.rule_id) ?? {
        title: typeof detection.title === 'string' ? detection.title : detection.rule_id,
        severity: typeof detection.severity === 'string' ? detection.severity : 'UNKNOWN',
        detections: 0,
      };
      entry.detections += 1;
      counts.set(detection.rule_id, entry);
    }
  } catch (error) {
    return { status: 'none', why: `The detections in ${file} could not be read: ${describeError(error)}` };
  }
  if (counts.size === 0) {
    return {
      status: 'none',
      why: 'No detections recorded in this period (by the last op-events detections run).',
    };
  }
  const rank = (severity: string) => {
    const i = SEVERITY_ORDER.indexOf(severity);
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  const byRule = [...counts.entries()]
    .map(([ruleId, c]) => ({ ruleId, ...c }))
    .sort(
      (a, b) =>
        rank(a.severity) - rank(b.severity) ||
        b.detections - a.detections ||
        a.ruleId.localeCompare(b.ruleId),
    );
  return { status: 'recorded', where: file, byRule };
}

function parseLine(line: string): StoredDetection | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as StoredDetection)
      : undefined;
  } catch {
    return undefined;
  }
}

export interface TypeHealth {
  readonly type: EventType;
  /** When the last run finished (ISO 8601), null before the first. */
  readonly lastRunAt: string | null;
  readonly result: string | null;
  readonly events: number | null;
  readonly stopReason: string | null;
  readonly error: string | null;
  readonly newestEvent: string | null;
  /** Seconds from the newest event delivered to the report's time. */
  readonly lagSeconds: number | null;
  readonly totalEvents: number;
}

export type CollectorHealth =
  | { readonly status: 'read'; readonly where: string; readonly types: readonly TypeHealth[] }
  | { readonly status: 'unavailable'; readonly why: string };

/** What `op-events status` shows of each type, for the page. */
export function typeHealth(state: CursorState, now: number): TypeHealth {
  const run = state.lastRun;
  return {
    type: state.type,
    lastRunAt: run?.finishedAt ?? null,
    result: run?.result ?? null,
    events: run?.events ?? null,
    stopReason: run?.stopReason ?? null,
    error: run?.error ?? null,
    newestEvent: state.newestEventTime ?? null,
    lagSeconds: secondsSince(state.newestEventTime, now) ?? null,
    totalEvents: state.totalEvents,
  };
}
