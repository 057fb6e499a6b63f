import type { AthenaClient } from '@aws-sdk/client-athena';
import type { EventType } from '../../shared/contracts/event-types';
import { eventsPrefixFor } from '../../shared/contracts/s3-layout';
import { athenaCostUsd, formatBytes, formatUsd } from '../athena-cost';
import { type AthenaProgress, AthenaQueryError, type PollTiming, runAthenaQuery } from '../athena-runner';
import { type CheckResult, couldNotCheck, fail, pass, warn } from './check-result';

export interface ViewCheckTarget {
  readonly stackName: string;
  readonly workGroup: string;
  readonly database: string;
}

/** A view the stack has: its name and the event types whose tables it reads. */
export interface CheckedView {
  readonly name: string;
  readonly eventTypes: readonly EventType[];
}

/**
 * The query each view must answer: one row of one day, read through the view (any columns it has).
 * The `dt` filter reaches the table scan, so Athena reads that day's objects only, however long the
 * history (without it a view check read every partition and hit the workgroup's scan cutoff).
 */
export function viewProbeSql(view: string, date: string): string {
  return `SELECT * FROM ${view} WHERE dt = '${date}' LIMIT 1`;
}

/**
 * A view answers a query in the stack's workgroup, on the day `date` (YYYY-MM-DD). `eventsStored`
 * says whether S3 holds objects of that day for the types it reads: a view that returns nothing over
 * stored events is a warning.
 */
export async function viewCheck(
  athena: AthenaClient,
  target: ViewCheckTarget,
  definition: CheckedView,
  date: string,
  eventsStored: boolean | undefined,
  onProgress?: (progress: AthenaProgress) => void,
  timing?: PollTiming,
): Promise<CheckResult> {
  const view = definition.name;
  const check = `view ${view}`;
  try {
    const result = await runAthenaQuery(
      athena,
      {
        sql: viewProbeSql(view, date),
        workGroup: target.workGroup,
        database: target.database,
        maxRows: 1,
        onProgress,
      },
      timing,
    );
    const stats = result.statistics;
    const seconds = stats.totalMs !== undefined ? ` in ${(stats.totalMs / 1000).toFixed(1)} s` : '';
    const { statementType } = result;
    const usd = athenaCostUsd({ scannedBytes: stats.scannedBytes, state: 'SUCCEEDED', statementType });
    const cost = `${formatBytes(stats.scannedBytes)} scanned, ${formatUsd(usd)}`;
    if (result.rows.length > 0) return pass(check, `answered${seconds} with a row (${cost}).`);
    if (eventsStored) {
      return warn(
        check,
        `answered${seconds} with no rows, although S3 has objects under ` +
          `${definition.eventTypes.map(eventsPrefixFor).join(', ')} (${cost}).`,
        "The table does not see the stored events: check the Glue table's location and its dt " +
          "partition projection (docs/deploy.md), and whether the events' dates lie in the future.",
      );
    }
    return pass(check, `answered${seconds}, no rows yet (${cost}).`);
  } catch (error) {
    if (error instanceof AthenaQueryError) {
      const missing = /does not exist|TABLE_NOT_FOUND/i.test(error.message);
      return fail(
        check,
        error.message,
        missing
          ? `The deploy creates the view (a Glue view of the stack): deploy stack ${target.stackName} ` +
              'again to re-create it.'
          : `Athena's reason is above; run the query yourself to see more: op-events query --stack ` +
              `${target.stackName} "${viewProbeSql(view, date)}"`,
      );
    }
    return couldNotCheck(
      check,
      error,
      `querying ${view} in Athena workgroup ${target.workGroup}`,
      'athena:StartQueryExecution, GetQueryExecution and GetQueryResults on workgroup ' +
        `${target.workGroup}, glue:GetTable on ${target.database}, and s3:GetObject on the events and ` +
        'results buckets',
    );
  }
}
