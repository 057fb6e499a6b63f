import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EventType } from '../shared/contracts/event-types';
import { StackOutput } from '../shared/contracts/stack-outputs';
import { describeCost } from './athena-cost';
import { athenaProgressReporter } from './athena-progress';
import { AthenaQueryError, type AthenaResult, runAthenaQuery } from './athena-runner';
import type { AwsClientConfig } from './aws-config';
import type { CommandContext } from './command';
import { ExitCode } from './exit-codes';
import type { CommandResult } from './render';
import { describePipeline, readStackResources, requireOutput } from './stack-resources';
import { athenaRefusals } from './usage-errors';

export interface AthenaQueryChoice {
  readonly stackName: string;
  /** --pipeline: which pipeline of the stack, when it holds several. */
  readonly pipelineId: string | undefined;
  readonly clientConfig: AwsClientConfig;
  readonly sql: string;
  /** The named query the SQL is the Athena text of, if it is one. */
  readonly named: { readonly name: string; readonly eventTypes: readonly EventType[] } | undefined;
  /** Rows to print; undefined prints them all (--json without --max-rows). */
  readonly maxRows: number | undefined;
}

/** Athena ErrorCategory 2: the query itself is wrong (syntax, a missing table or column). */
const USER_ERROR = 2;

/** What Athena answered: the rows (absent when it failed or cancelled the query), then notes. */
export interface AthenaAnswer extends CommandResult {
  readonly kind: 'athena';
  readonly namedQuery: string | undefined;
  readonly result?: AthenaResult;
  /** After the rows: Athena's reason when it failed, and what the query scanned and cost. */
  readonly notes: readonly string[];
}

/** The stack's workgroup and database; a named query must read only types the stack collects. */
async function queryTarget(choice: AthenaQueryChoice) {
  const cloudFormation = new CloudFormationClient(choice.clientConfig);
  const resources = await readStackResources(cloudFormation, choice.stackName, choice.pipelineId).finally(
    () => cloudFormation.destroy(),
  );
  const workGroup = requireOutput(resources, resources.athenaWorkGroup, StackOutput.AthenaWorkGroupName);
  const database = requireOutput(resources, resources.glueDatabase, StackOutput.GlueDatabaseName);
  const { named } = choice;
  const missing = named?.eventTypes.filter((type) => !resources.eventTypes.includes(type)) ?? [];
  if (named && missing.length > 0)
    throw athenaRefusals.namedReadsUncollected(
      named.name,
      missing,
      describePipeline(resources),
      resources.eventTypes,
    );
  return { workGroup, database };
}

function costNote(result: AthenaResult): string {
  const { statistics, statementType, queryExecutionId, outputLocation } = result;
  const cost = describeCost({ scannedBytes: statistics.scannedBytes, state: 'SUCCEEDED', statementType });
  return `${cost} Query ${queryExecutionId}${outputLocation ? `, full result in ${outputLocation}` : ''}.`;
}

/** Athena's reason for a failed or cancelled query, its cost, and the exit code it means. */
function failedAnswer(error: AthenaQueryError, choice: AthenaQueryChoice, stopped: boolean): AthenaAnswer {
  const cost = describeCost({
    scannedBytes: error.statistics.scannedBytes,
    state: error.state,
    statementType: undefined,
  });
  const exitCode = stopped
    ? ExitCode.Interrupted
    : error.errorCategory === USER_ERROR && !choice.named
      ? ExitCode.Usage
      : ExitCode.Failure;
  return { kind: 'athena', namedQuery: choice.named?.name, notes: [error.message, cost], exitCode };
}

/**
 * `op-events query --stack NAME`: the SQL (or a named query) in the stack's Athena workgroup and
 * Glue database, with progress on stderr. Ctrl-C stops the query in Athena.
 */
export async function queryOnAthena(
  choice: AthenaQueryChoice,
  context: CommandContext,
): Promise<AthenaAnswer> {
  const { out } = context;
  const { workGroup, database } = await queryTarget(choice);
  const client = new AthenaClient(choice.clientConfig);
  const controller = new AbortController();
  // The first Ctrl-C cancels the query in Athena (exit 130 once it has stopped); a second leaves at once.
  const giveBackCtrlC = context.interrupts.take(() => {
    giveBackCtrlC();
    out.note('Stopping the query in Athena (Ctrl-C again to leave without waiting)…');
    controller.abort();
  });
  try {
    const result = await runAthenaQuery(client, {
      sql: choice.sql,
      workGroup,
      database,
      maxRows: choice.maxRows,
      onProgress: athenaProgressReporter(out, `Athena workgroup ${workGroup}`),
      signal: controller.signal,
    });
    return {
      kind: 'athena',
      namedQuery: choice.named?.name,
      result,
      notes: [costNote(result)],
      exitCode: ExitCode.Ok,
    };
  } catch (error) {
    if (!(error instanceof AthenaQueryError)) throw error;
    return failedAnswer(error, choice, controller.signal.aborted);
  } finally {
    giveBackCtrlC();
    out.clearStatus();
    client.destroy();
  }
}
