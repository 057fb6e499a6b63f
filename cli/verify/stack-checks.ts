import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CursorState } from '../../shared/collector/state/cursor-store';
import type { EventType } from '../../shared/contracts/event-types';
import { pipelineOutputKey, StackOutput } from '../../shared/contracts/stack-outputs';
import { UNIQUE_VIEW_NAMES } from '../../shared/sql/views';
import { athenaProgressReporter } from '../athena-progress';
import type { CommandContext } from '../command';
import { openCursorTable, type Target } from '../context';
import type { ParsedCommandLine } from '../options';
import { describePipeline, type StackResources } from '../stack-resources';
import { alarmCheck } from './alarm-check';
import { errorObjectsCheck, eventsObjectsCheck } from './bucket-checks';
import { type CheckResult, couldNotCheck, fail } from './check-result';
import { collectorCheck } from './collector-check';
import { secretCheck } from './secret-check';
import { type CheckedView, viewCheck } from './view-checks';

/** What every check of one `verify` shares: the stack, the command line, and the AWS clients. */
interface CheckRun {
  readonly target: Target;
  readonly args: ParsedCommandLine;
  readonly context: CommandContext;
  readonly resources: StackResources;
  readonly maxAgeMs: number;
  readonly aws: AwsClients;
}

interface AwsClients {
  readonly cloudFormation: CloudFormationClient;
  readonly secrets: SecretsManagerClient;
  readonly s3: S3Client;
  readonly athena: AthenaClient;
  readonly cloudWatch: CloudWatchClient;
}

function awsClients(target: Target): AwsClients {
  const config = target.kind === 'aws' ? target.clientConfig : {};
  return {
    cloudFormation: new CloudFormationClient(config),
    secrets: new SecretsManagerClient(config),
    s3: new S3Client(config),
    athena: new AthenaClient(config),
    cloudWatch: new CloudWatchClient(config),
  };
}

/** What the objects check learned per type, which the view checks build on. */
interface Stored {
  /** Objects exist under the type's prefix (undefined when unknown). */
  readonly found: Partial<Record<EventType, boolean | undefined>>;
  /** A day S3 holds for the type. */
  readonly dates: Partial<Record<EventType, string>>;
}

export const REDEPLOY_FOR_OUTPUTS =
  'Deploy it again with the current version of the construct (npx cdk deploy): it publishes every ' +
  'output the CLI reads.';

function missingOutput(check: string, resources: StackResources, output: string): CheckResult {
  const key = pipelineOutputKey(resources.pipelineId, output);
  return fail(check, `${describePipeline(resources)} has no output ${key}.`, REDEPLOY_FOR_OUTPUTS);
}

/** The cursor rows of the stack's types, or the check that says why they could not be read. */
async function readCursorRows(run: CheckRun): Promise<{ states: CursorState[] } | { failure: CheckResult }> {
  const { resources, context } = run;
  const tableName = resources.cursorTable;
  if (!tableName) return { failure: missingOutput('collectors', resources, StackOutput.CursorTableName) };
  const table = await openCursorTable(run.target, run.args, {
    purpose: 'op-events verify',
    now: context.now,
  });
  try {
    return { states: await Promise.all(resources.eventTypes.map((type) => table.store.read(type))) };
  } catch (error) {
    const doing = `reading cursor table ${tableName}`;
    return {
      failure: couldNotCheck('collectors', error, doing, `dynamodb:GetItem on table ${tableName}`),
    };
  } finally {
    await table.close();
  }
}

/** Each collector's last run; with the events each has delivered in all (unknown when unread). */
async function collectorChecks(run: CheckRun) {
  run.context.out.status("Checking the collectors' last runs (cursor table)…");
  const rows = await readCursorRows(run);
  const delivered: Partial<Record<EventType, number>> = {};
  if ('failure' in rows) return { results: [rows.failure], delivered };
  const { context, maxAgeMs, resources } = run;
  const results = rows.states.map((state) => {
    delivered[state.type] = state.totalEvents;
    return collectorCheck(state, context.now(), maxAgeMs, resources.pipelineId);
  });
  return { results, delivered };
}

async function tokenSecretCheck({ context, resources, aws }: CheckRun): Promise<CheckResult> {
  const { out } = context;
  out.status('Checking the token secret…');
  if (!resources.tokenSecretArn) {
    return missingOutput('token secret', resources, StackOutput.TokenSecretArn);
  }
  const { stackName, tokenSecretArn, eventTypes } = resources;
  return secretCheck(aws.secrets, stackName, tokenSecretArn, eventTypes, context.now(), (t) => out.hide(t));
}

/** Objects under each type's prefix, and none under errors/. */
async function bucketChecks(run: CheckRun, delivered: Partial<Record<EventType, number>>) {
  const { resources, aws } = run;
  const stored: Stored = { found: {}, dates: {} };
  const bucket = resources.eventsBucket;
  if (!bucket) {
    return { results: [missingOutput('events bucket', resources, StackOutput.EventsBucketName)], stored };
  }
  run.context.out.status(`Listing the events bucket ${bucket}…`);
  const results: CheckResult[] = [];
  for (const type of resources.eventTypes) {
    // Unknown when the cursor rows could not be read: treat as delivered, so an empty prefix fails.
    const check = await eventsObjectsCheck(aws.s3, bucket, type, delivered[type] ?? 1, resources.pipelineId);
    stored.found[type] = check.found;
    if (check.storedDate) stored.dates[type] = check.storedDate;
    results.push(check.result);
  }
  results.push(await errorObjectsCheck(aws.s3, bucket));
  return { results, stored };
}

/** Each type's de-duplicating view answers in Athena, probed on a day S3 holds. */
async function viewChecks(run: CheckRun, stored: Stored): Promise<CheckResult[]> {
  const { resources, context } = run;
  const { athenaWorkGroup: workGroup, glueDatabase: database, stackName } = resources;
  if (!workGroup || !database) {
    const output = workGroup ? StackOutput.GlueDatabaseName : StackOutput.AthenaWorkGroupName;
    return [missingOutput('views', resources, output)];
  }
  const results: CheckResult[] = [];
  for (const type of resources.eventTypes) {
    const view: CheckedView = { name: UNIQUE_VIEW_NAMES[type], eventTypes: [type] };
    const onProgress = athenaProgressReporter(context.out, `Querying view ${view.name} in Athena`);
    const target = { stackName, workGroup, database };
    // A day S3 holds (today's UTC date when none is known): the probe reads that day only.
    const date = stored.dates[type] ?? new Date(context.now()).toISOString().slice(0, 10);
    results.push(await viewCheck(run.aws.athena, target, view, date, stored.found[type], onProgress));
  }
  return results;
}

/** Every check of `op-events verify`, in the order they are printed; progress on the status line. */
export async function runStackChecks(
  target: Target,
  args: ParsedCommandLine,
  context: CommandContext,
  resources: StackResources,
  maxAgeMs: number,
): Promise<CheckResult[]> {
  const aws = awsClients(target);
  const run: CheckRun = { target, args, context, resources, maxAgeMs, aws };
  try {
    const collectors = await collectorChecks(run);
    const secret = await tokenSecretCheck(run);
    const bucket = await bucketChecks(run, collectors.delivered);
    const views = await viewChecks(run, bucket.stored);
    context.out.status("Reading the stack's alarms…");
    const { stackName, namePrefix } = resources;
    const alarms = await alarmCheck(aws.cloudFormation, aws.cloudWatch, stackName, namePrefix);
    return [...collectors.results, secret, ...bucket.results, ...views, alarms];
  } finally {
    context.out.clearStatus();
    for (const client of Object.values(aws)) client.destroy();
  }
}
