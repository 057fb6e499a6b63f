import type { AlertDetail } from '../../shared/detections/alert-event';
import { CollectorError } from '../../shared/util/errors';
import type { TypeOutcome } from '../collect-locally';
import { formatDuration, formatTable } from '../format-table';
import { commandLine } from '../install-kind';
import type { CommandResult, ResultView } from '../render';
import { displayPath } from '../state-dir';

/**
 * What a person is told while `start` works (the demo banner, what it collects, how long it took):
 * lines of the report on stdout, or with --json, where stdout carries only JSON, notes on stderr.
 */
export const narrationView: ResultView<readonly string[]> = {
  text: (lines) => ({ lines }),
  json: (lines) => ({ lines: [], notes: lines }),
};

/** One collection of every chosen type: how each ended. */
export interface CollectionRound extends CommandResult {
  readonly outcomes: readonly TypeOutcome[];
  /** What the one-event rules published to the local EventBridge. */
  readonly alerts: readonly AlertDetail[];
  readonly stateRoot: string;
  /** The one-line note on fields that arrived in another form than documented, if any did. */
  readonly driftNote: string | undefined;
}

function errorText(outcome: TypeOutcome): string | undefined {
  const { error } = outcome;
  return error?.cause instanceof CollectorError ? error.cause.message : error?.message;
}

/** A type that failed, and one that stopped with more events waiting (--max-runs). */
function outcomeNotes(outcomes: readonly TypeOutcome[]): string[] {
  return outcomes.flatMap((o) => [
    ...(o.error ? [`${o.type} failed: ${errorText(o)}`] : []),
    ...(o.stopReason === 'max_runs'
      ? [`${o.type}: more events are waiting; run "${commandLine('start')}" again (or raise --max-runs).`]
      : []),
  ]);
}

function summaryTable(outcomes: readonly TypeOutcome[]): string {
  const rows = outcomes.map((o) => [
    o.type,
    o.events,
    o.pages,
    o.hasMore,
    o.stopReason,
    formatDuration(o.lagSeconds),
    o.runs,
    o.error ? 'FAILED' : 'ok',
  ]);
  const headers = ['type', 'collected', 'pages', 'has_more', 'stop reason', 'lag', 'runs', 'result'];
  return formatTable(headers, rows, { alignRight: ['collected', 'pages', 'runs'] });
}

/** One line per alert the collectors published (stderr with --json). */
function alertLines(alerts: readonly AlertDetail[]): string[] {
  if (alerts.length === 0) return [];
  return [
    '',
    `Alerts published (${alerts.length}, local EventBridge default bus):`,
    ...alerts.map((alert) => {
      const who = [alert.user?.email ?? alert.user?.uuid, alert.ip].filter((x) => x).join(' from ');
      const events = `${alert.event_count} event${alert.event_count === 1 ? '' : 's'}`;
      return (
        `  ${alert.severity.padEnd(8)} ${alert.rule_id}: ${alert.title}${who ? ` (${who})` : ''}, ` +
        `${events}, last ${alert.last_seen}`
      );
    }),
  ];
}

function text({ outcomes, alerts, stateRoot, driftNote }: CollectionRound) {
  const root = displayPath(stateRoot);
  return {
    lines: [
      '',
      summaryTable(outcomes),
      '',
      `Events: ${root}/s3/events/<type>/dt=YYYY-MM-DD/*.gz   Cursors: ${root}/dynamodb`,
      ...alertLines(alerts),
    ],
    notes: [...outcomeNotes(outcomes), ...(driftNote ? [driftNote] : [])],
  };
}

/** One JSON object per type: how its collection ended. */
function json({ outcomes, alerts, driftNote }: CollectionRound) {
  const lines = outcomes.map((o) => ({
    type: o.type,
    result: o.error ? 'failed' : 'ok',
    events: o.events,
    pages: o.pages,
    hasMore: o.hasMore,
    stopReason: o.stopReason,
    lagSeconds: o.lagSeconds,
    runs: o.runs,
    error: errorText(o),
  }));
  return { lines, notes: [...alertLines(alerts), ...(driftNote ? [driftNote] : [])] };
}

export const collectionRoundView: ResultView<CollectionRound> = { text, json };
