import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { EventType } from '../contracts/event-types';
import { untilDeadline } from '../util/aws-call';
import { describeError } from '../util/errors';
import { sleep } from '../util/retry-policy';
import { type AlertDetail, alertDetail } from './alert-event';
import { WINDOW_RULES } from './rules/window-rule-list';
import type { DetectionSettings } from './settings';
import { detectionsFromRows, windowRuleAthenaSql } from './window-query';
import type { WindowRule } from './window-rule';

/** The outbox of the scheduled rules (beside one per event type). */
export const SCHEDULED_RULES_SOURCE = 'scheduled-rules';

/**
 * How far behind now a window ends: an event reaches S3 within the collector's schedule (60 s) plus
 * Firehose's buffer (60 s, up to 1.5 times with dynamic partitioning) after it reaches the API.
 */
export const SETTLE_MS = 5 * 60_000;

/** The window a scheduled run covers: two periods, ending SETTLE_MS before the run, on period boundaries. */
export function scheduledWindow(nowMs: number, periodMs: number): { since: Date; until: Date } {
  const untilMs = Math.floor((nowMs - SETTLE_MS) / periodMs) * periodMs;
  // Each window overlaps the one before by a period: an event late by up to a period is still seen;
  // what both windows find is suppressed by its (rule, group key) or its alert id.
  return { since: new Date(untilMs - 2 * periodMs), until: new Date(untilMs) };
}

/** What a scheduled run's alerts came to (the collector's AlertDispatch counts them so). */
export interface ScheduledAlertCounts {
  readonly raised: number;
  readonly published: number;
  readonly suppressed: number;
  readonly publishFailures: number;
  readonly pending: number;
}

/**
 * Where the detections go: staged, then published, with what earlier runs left staged sent first
 * (shared/collector/run/alert-dispatch.ts is the one implementation: outbox, suppression, EventBridge).
 */
export interface ScheduledAlertSink {
  resumeStaged(deadlineMs: number): void;
  stage(alerts: readonly AlertDetail[], deadlineMs: number): Promise<void>;
  publishAfterCommit(alerts: readonly AlertDetail[], deadlineMs: number): void;
  settle(): Promise<ScheduledAlertCounts>;
}

/** Where a rule that could not run is reported. */
export interface RuleFailureLog {
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ScheduledRulesOptions {
  readonly athena: AthenaClient;
  readonly workGroup: string;
  readonly database: string;
  readonly settings: DetectionSettings;
  readonly periodMs: number;
  readonly dispatch: ScheduledAlertSink;
  readonly telemetry: RuleFailureLog;
  readonly deadlineMs: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default WINDOW_RULES */
  readonly rules?: readonly WindowRule[];
  /** The types the pipeline collects: a rule over another type has no table to read and is skipped. */
  readonly eventTypes?: readonly EventType[];
}

export interface ScheduledRulesReport extends ScheduledAlertCounts {
  readonly since: string;
  readonly until: string;
  readonly rules: number;
  /** Rules whose query failed (their detections wait for the next window that covers them). */
  readonly failedRules: readonly string[];
  /** Bytes Athena scanned for all the rules (what the run costs). */
  readonly bytesScanned: number;
}

/**
 * One scheduled run of the window rules: each enabled rule's Athena (Trino) text over the window,
 * all started at once in the workgroup, waited for, their rows turned into detections, staged in the
 * outbox and published (shared/detections/alert-dispatch.ts: suppression, retries next run). A rule
 * whose query fails is reported and does not stop the others.
 */
export async function runScheduledRules(options: ScheduledRulesOptions): Promise<ScheduledRulesReport> {
  const now = options.now ?? Date.now;
  const window = scheduledWindow(now(), options.periodMs);
  const collected = options.eventTypes;
  const rules = (options.rules ?? WINDOW_RULES).filter(
    (rule) =>
      !options.settings.disabledRules.includes(rule.id) &&
      (collected === undefined || rule.eventTypes.every((type) => collected.includes(type))),
  );
  options.dispatch.resumeStaged(options.deadlineMs);
  const results = await Promise.allSettled(rules.map((rule) => runRule(options, rule, window, now)));
  const failedRules: string[] = [];
  const alerts: AlertDetail[] = [];
  let bytesScanned = 0;
  results.forEach((result, i) => {
    const rule = rules[i] as WindowRule;
    if (result.status === 'rejected') {
      failedRules.push(rule.id);
      options.telemetry.error('A window rule could not run; the next window covers its time again', {
        ruleId: rule.id,
        error: describeError(result.reason),
      });
      return;
    }
    bytesScanned += result.value.bytesScanned;
    for (const detection of result.value.detections) alerts.push(alertDetail(detection));
  });
  await options.dispatch.stage(alerts, options.deadlineMs);
  options.dispatch.publishAfterCommit(alerts, options.deadlineMs);
  const counts = await options.dispatch.settle();
  return {
    ...counts,
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    rules: rules.length,
    failedRules,
    bytesScanned,
  };
}

async function runRule(
  options: ScheduledRulesOptions,
  rule: WindowRule,
  window: { since: Date; until: Date },
  now: () => number,
) {
  const sql = windowRuleAthenaSql(rule, window.since, window.until, options.settings);
  const call = () => untilDeadline(options.deadlineMs, now);
  const started = await options.athena.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: options.workGroup,
      QueryExecutionContext: { Database: options.database },
    }),
    call(),
  );
  const id = started.QueryExecutionId as string;
  const bytesScanned = await waitFor(options, id, now);
  const rows: Record<string, string | null>[] = [];
  let columns: string[] | undefined;
  let next: string | undefined;
  do {
    const page = await options.athena.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, ...(next ? { NextToken: next } : {}) }),
      call(),
    );
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
    const data = page.ResultSet?.Rows ?? [];
    // The first row of a SELECT's first page holds the column names.
    for (const row of next === undefined ? data.slice(1) : data) {
      const cells = row.Data ?? [];
      rows.push(Object.fromEntries(columns.map((name, i) => [name, cells[i]?.VarCharValue ?? null])));
    }
    next = page.NextToken;
  } while (next);
  return { detections: detectionsFromRows(rule, rows), bytesScanned };
}

/** Polls the query until it ends; its bytes scanned, or the reason it failed (thrown). */
async function waitFor(options: ScheduledRulesOptions, id: string, now: () => number): Promise<number> {
  const wait = options.sleep ?? sleep;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
    const answer = await options.athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: id }),
      untilDeadline(options.deadlineMs, now),
    );
    const status = answer.QueryExecution?.Status;
    if (status?.State === 'SUCCEEDED') return answer.QueryExecution?.Statistics?.DataScannedInBytes ?? 0;
    if (status?.State === 'FAILED' || status?.State === 'CANCELLED') {
      throw new Error(`Athena query ${id} ${status.State}: ${status.StateChangeReason ?? 'no reason given'}`);
    }
    if (now() + delay >= options.deadlineMs) throw new Error(`Athena query ${id} did not finish in time`);
    await wait(delay);
  }
}
