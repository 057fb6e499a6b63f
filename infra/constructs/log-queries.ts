import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** A CloudWatch Logs Insights query saved with the stack, over every collector's log group. */
export interface SavedLogQuery {
  readonly id: string;
  readonly name: string;
  readonly query: string;
}

/**
 * The questions an operator asks first, as Logs Insights queries over the collectors' JSON log lines
 * (the fields of the "Run finished" / "Run failed" summary: shared/collector/run/collect-run.ts RunSummary).
 * Only documented Logs Insights QL: fields, filter (with `in`), stats with aliases in `by`, sort, limit
 * (CloudWatch Logs user guide, "CloudWatch Logs Insights language query syntax" and "Use aliases").
 */
export const SAVED_LOG_QUERIES: readonly SavedLogQuery[] = [
  {
    id: 'FailedRunsQuery',
    name: 'failed runs and why',
    query: [
      'fields @timestamp, type, error, events, pages',
      'filter message = "Run failed"',
      'sort @timestamp desc',
      'limit 100',
    ].join('\n| '),
  },
  {
    id: 'EventsPerRunQuery',
    name: 'events per run',
    query: [
      'filter message = "Run finished"',
      'stats count(*) as runs, sum(events) as events, avg(events) as eventsPerRun, max(events) as ' +
        'mostInARun by type, bin(1h) as hour',
      'sort hour desc',
    ].join('\n| '),
  },
  {
    id: 'ThrottlingQuery',
    name: 'throttling',
    query: [
      'filter message in ["Run finished", "Run failed"] and (stopReason = "throttled" or throttles > 0)',
      'stats count(*) as runs, sum(throttles) as answers429 by type, stopReason, bin(15m) as period',
      'sort period desc',
    ].join('\n| '),
  },
  {
    id: 'SlowestRunsQuery',
    name: 'slowest runs',
    query: [
      'fields @timestamp, type, durationMs, events, pages, stopReason, status',
      'filter message in ["Run finished", "Run failed"]',
      'sort durationMs desc',
      'limit 50',
    ].join('\n| '),
  },
];

/** Saves the queries in a folder of the Logs Insights console named by the pipeline's name prefix. */
export function createSavedLogQueries(
  scope: Construct,
  folder: string,
  logGroups: readonly logs.ILogGroup[],
): logs.CfnQueryDefinition[] {
  // The L1 resource takes the query text as written; the L2 QueryString builds it from clauses.
  return SAVED_LOG_QUERIES.map(
    (saved) =>
      new logs.CfnQueryDefinition(scope, saved.id, {
        name: `${folder}/${saved.name}`,
        queryString: saved.query,
        logGroupNames: logGroups.map((group) => group.logGroupName),
      }),
  );
}
