import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EventType } from '../shared/event-types';
import { StackOutput } from '../shared/stack-outputs';
import { describeCost } from './athena-cost';
import { athenaProgressReporter } from './athena-progress';
import { AthenaQueryError, type AthenaResult, rowObject, runAthenaQuery } from './athena-runner';
import type { AwsClientConfig } from './aws-config';
import type { CommandContext } from './command';
import { ExitCode, UsageError } from './exit-codes';
import { cellText, formatTable } from './format-table';
import { describePipeline, readStackResources, requireOutput } from './stack-resources';

export interface AthenaQueryChoice {
  readonly stackName: string;
  /** --pipeline: which pipeline of the stack, when it holds several. */
  readonly pipelineId: string | undefined;
  readonly clientConfig: AwsClientConfig;
  readonly sql: string;
  /** The named query the SQL is the Athena text of, if it is one. */
  readonly named: { readonly name: string; readonly eventTypes: readonly EventType[] } | undefined;
  readonly json: boolean;
  /** Rows to print; undefined prints them all (--json without --max-rows). */
  readonly maxRows: number | undefined;
}

/** Athena ErrorCategory 2: the query itself is wrong (syntax, a missing table or column). */
const USER_ERROR = 2;

/**
 * `op-events query --stack NAME`: the SQL (or a named query) in the stack's Athena workgroup and
 * Glue database, with progress on stderr, the rows as a table or JSON on stdout, and what the query
 * scanned and cost on stderr. Ctrl-C stops the query in Athena.
 */
export async function queryOnAthena(choice: AthenaQueryChoice, context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const cloudFormation = new CloudFormationClient(choice.clientConfig);
  const resources = await readStackResources(cloudFormation, choice.stackName, choice.pipelineId).finally(
    () => cloudFormation.destroy(),
  );
  const workGroup = requireOutput(resources, resources.athenaWorkGroup, StackOutput.AthenaWorkGroupName);
  const database = requireOutput(resources, resources.glueDatabase, StackOutput.GlueDatabaseName);
  const { named } = choice;
  if (named) {
    const missing = named.eventTypes.filter((type) => !resources.eventTypes.includes(type));
    if (missing.length > 0) {
      throw new UsageError(
        `"${named.name}" reads ${missing.join(', ')}, which ${describePipeline(resources)} does not collect (it collects ${resources.eventTypes.join(', ')}).`,
      );
    }
  }
  const client = new AthenaClient(choice.clientConfig);
  const controller = new AbortController();
  // The first Ctrl-C cancels the query in Athena (exit 130 once it has stopped); a second leaves at once.
  const giveBackCtrlC = context.interrupts.take(() => {
    giveBackCtrlC();
    out.note('Stopping the query in Athena (Ctrl-C again to leave without waiting)…');
    controller.abort();
  });
  let result: AthenaResult;
  try {
    result = await runAthenaQuery(client, {
      sql: choice.sql,
      workGroup,
      database,
      maxRows: choice.maxRows,
      onProgress: athenaProgressReporter(out, `Athena workgroup ${workGroup}`),
      signal: controller.signal,
    });
  } catch (error) {
    if (!(error instanceof AthenaQueryError)) throw error;
    out.note(error.message);
    out.note(
      describeCost({
        scannedBytes: error.statistics.scannedBytes,
        state: error.state,
        statementType: undefined,
      }),
    );
    if (controller.signal.aborted) return ExitCode.Interrupted;
    return error.errorCategory === USER_ERROR && !named ? ExitCode.Usage : ExitCode.Failure;
  } finally {
    giveBackCtrlC();
    out.clearStatus();
    client.destroy();
  }
  printRows(result, choice, context);
  out.note(
    `${describeCost({ scannedBytes: result.statistics.scannedBytes, state: 'SUCCEEDED', statementType: result.statementType })} Query ${result.queryExecutionId}${result.outputLocation ? `, full result in ${result.outputLocation}` : ''}.`,
  );
  return ExitCode.Ok;
}

function printRows(result: AthenaResult, choice: AthenaQueryChoice, context: CommandContext): void {
  const { out } = context;
  const { columns, rows } = result;
  if (choice.json) {
    for (const row of rows) out.line(JSON.stringify(rowObject(columns, row)));
    if (result.truncated) out.note(`Printed the first ${rows.length} rows (--max-rows); more exist.`);
    return;
  }
  if (choice.named) out.line(`-- ${choice.named.name}`);
  if (columns.length === 0) {
    out.line('ok');
    return;
  }
  out.line(
    formatTable(
      columns.map((c) => c.name),
      rows.map((row) => row.map(cellText)),
      { maxCellWidth: 60 },
    ),
  );
  const count = `${rows.length} row${rows.length === 1 ? '' : 's'}`;
  out.line(
    result.truncated ? `(${count} shown; more exist: --max-rows to see more, --json for all)` : `(${count})`,
  );
}
