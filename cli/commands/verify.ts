import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CursorState } from '../../shared/cursor-store';
import type { EventType } from '../../shared/event-types';
import { UNIQUE_VIEW_NAMES } from '../../shared/sql/views';
import { pipelineOutputKey, StackOutput } from '../../shared/stack-outputs';
import { athenaProgressReporter } from '../athena-progress';
import type { Command, CommandContext } from '../command';
import { openCursorTable, resolveTarget, type Target } from '../context';
import { ExitCode, UsageError } from '../exit-codes';
import { formatTable } from '../format-table';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { STACK_OPTION } from '../shared-options';
import { describePipeline, type StackResources } from '../stack-resources';
import { alarmCheck } from '../verify/alarm-check';
import { errorObjectsCheck, eventsObjectsCheck } from '../verify/bucket-checks';
import { type CheckResult, couldNotCheck, fail } from '../verify/check-result';
import { collectorCheck } from '../verify/collector-check';
import { secretCheck } from '../verify/secret-check';
import { type CheckedView, viewCheck } from '../verify/view-checks';

const DEFAULT_MAX_AGE = '15m';
const AGE = /^(\d+)\s*([mh])$/i;

/** `--max-age 15m` / `2h` in milliseconds. */
export function parseMaxAge(value: string | undefined): number {
  const text = (value ?? DEFAULT_MAX_AGE).trim();
  const match = AGE.exec(text);
  const n = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(n) || n < 1 || n > 10_000) {
    throw new UsageError(
      `--max-age ${JSON.stringify(value)} is not a duration: give minutes or hours such as 15m or 2h.`,
    );
  }
  return n * ((match[2] ?? 'm').toLowerCase() === 'h' ? 3_600_000 : 60_000);
}

/** The views of a stack that collects `types`: the de-duplicating view of each. */
function stackViews(types: readonly EventType[]): CheckedView[] {
  return types.map((type) => ({ name: UNIQUE_VIEW_NAMES[type], eventTypes: [type] }));
}

function missingOutput(check: string, resources: StackResources, output: string): CheckResult {
  return fail(
    check,
    `${describePipeline(resources)} has no output ${pipelineOutputKey(resources.pipelineId, output)}.`,
    'Deploy it again with the current version of the construct (npx cdk deploy): it publishes every output the CLI reads.',
  );
}

/** The cursor rows of the stack's types, or the check that says why they could not be read. */
async function readCursorRows(
  target: Target,
  args: ParsedCommandLine,
  context: CommandContext,
  resources: StackResources,
): Promise<{ states: CursorState[] } | { failure: CheckResult }> {
  if (!resources.cursorTable) {
    return { failure: missingOutput('collectors', resources, StackOutput.CursorTableName) };
  }
  const table = await openCursorTable(target, args, { purpose: 'op-events verify', now: context.now });
  try {
    return { states: await Promise.all(resources.eventTypes.map((type) => table.store.read(type))) };
  } catch (error) {
    return {
      failure: couldNotCheck(
        'collectors',
        error,
        `reading cursor table ${resources.cursorTable}`,
        `dynamodb:GetItem on table ${resources.cursorTable}`,
      ),
    };
  } finally {
    await table.close();
  }
}

async function runChecks(
  target: Target,
  args: ParsedCommandLine,
  context: CommandContext,
  resources: StackResources,
  maxAgeMs: number,
): Promise<CheckResult[]> {
  const { out } = context;
  const results: CheckResult[] = [];
  const types = resources.eventTypes;
  const config = target.kind === 'aws' ? target.clientConfig : {};
  const cloudFormation = new CloudFormationClient(config);
  const secrets = new SecretsManagerClient(config);
  const s3 = new S3Client(config);
  const athena = new AthenaClient(config);
  const cloudWatch = new CloudWatchClient(config);
  try {
    out.status("Checking the collectors' last runs (cursor table)…");
    const rows = await readCursorRows(target, args, context, resources);
    const delivered: Partial<Record<EventType, number>> = {};
    if ('failure' in rows) results.push(rows.failure);
    else {
      for (const state of rows.states) {
        delivered[state.type] = state.totalEvents;
        results.push(collectorCheck(state, context.now(), maxAgeMs, resources.pipelineId));
      }
    }

    out.status('Checking the token secret…');
    results.push(
      resources.tokenSecretArn
        ? await secretCheck(
            secrets,
            resources.stackName,
            resources.tokenSecretArn,
            types,
            context.now(),
            (t) => out.hide(t),
          )
        : missingOutput('token secret', resources, StackOutput.TokenSecretArn),
    );

    const stored: Partial<Record<EventType, boolean | undefined>> = {};
    const storedDates: Partial<Record<EventType, string>> = {};
    const bucket = resources.eventsBucket;
    if (bucket) {
      out.status(`Listing the events bucket ${bucket}…`);
      for (const type of types) {
        // Unknown when the cursor rows could not be read: treat as delivered, so an empty prefix fails.
        const check = await eventsObjectsCheck(s3, bucket, type, delivered[type] ?? 1, resources.pipelineId);
        stored[type] = check.found;
        if (check.storedDate) storedDates[type] = check.storedDate;
        results.push(check.result);
      }
      results.push(await errorObjectsCheck(s3, bucket));
    } else {
      results.push(missingOutput('events bucket', resources, StackOutput.EventsBucketName));
    }

    const workGroup = resources.athenaWorkGroup;
    const database = resources.glueDatabase;
    if (workGroup && database) {
      for (const view of stackViews(types)) {
        const onProgress = athenaProgressReporter(out, `Querying view ${view.name} in Athena`);
        const known = view.eventTypes.map((type) => stored[type]);
        const eventsStored = known.includes(undefined) ? undefined : known.every(Boolean);
        // A day S3 holds (today's UTC date when none is known): the probe reads that day only.
        const date =
          view.eventTypes.map((type) => storedDates[type]).find((d) => d !== undefined) ??
          new Date(context.now()).toISOString().slice(0, 10);
        results.push(
          await viewCheck(
            athena,
            { stackName: resources.stackName, workGroup, database },
            view,
            date,
            eventsStored,
            onProgress,
          ),
        );
      }
    } else {
      const output = workGroup ? StackOutput.GlueDatabaseName : StackOutput.AthenaWorkGroupName;
      results.push(missingOutput('views', resources, output));
    }

    out.status("Reading the stack's alarms…");
    results.push(await alarmCheck(cloudFormation, cloudWatch, resources.stackName, resources.namePrefix));
    return results;
  } finally {
    out.clearStatus();
    for (const client of [cloudFormation, secrets, s3, athena, cloudWatch]) client.destroy();
  }
}

const LABEL: Record<CheckResult['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

function report(
  context: CommandContext,
  resources: StackResources,
  results: readonly CheckResult[],
  json: boolean,
) {
  const { out } = context;
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  const passed = count('fail') === 0;
  if (json) {
    out.line(
      JSON.stringify({
        stack: resources.stackName,
        pipeline: resources.pipelineId,
        passed,
        counts: { pass: count('pass'), warn: count('warn'), fail: count('fail') },
        checks: results,
      }),
    );
    return passed;
  }
  out.line(`Verifying ${describePipeline(resources)} (collects ${resources.eventTypes.join(', ')})`);
  out.line();
  out.line(
    formatTable(
      ['result', 'check', 'detail'],
      results.map((r) => [LABEL[r.status], r.check, r.detail]),
      { maxCellWidth: 400 },
    ),
  );
  const todo = results.filter((r) => r.fix);
  if (todo.length > 0) {
    out.line();
    out.line('What to do:');
    for (const r of todo) out.line(`  ${LABEL[r.status]} ${r.check}: ${r.fix}`);
  }
  out.line();
  const summary = `${count('pass')} passed, ${count('warn')} warning${count('warn') === 1 ? '' : 's'}, ${count('fail')} failed.`;
  out.line(passed ? `${summary} The stack works.` : `${summary} The stack is not working yet: see above.`);
  return passed;
}

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const stackName = stringValue(args, 'stack');
  if (stackName === undefined) {
    throw new UsageError(
      'verify checks a deployed stack: give --stack NAME (the CloudFormation stack name).',
    );
  }
  const maxAgeMs = parseMaxAge(stringValue(args, 'max-age'));
  const target = resolveTarget(args, context.env);
  if (target.kind !== 'aws' || !target.stack) throw new UsageError('Give --stack NAME.');
  context.out.status(`Reading the outputs of stack ${stackName}…`);
  const resources = await target.stack();
  const results = await runChecks(target, args, context, resources, maxAgeMs);
  return report(context, resources, results, flag(args, 'json')) ? ExitCode.Ok : ExitCode.Failure;
}

export const verifyCommand: Command = {
  spec: {
    name: 'verify',
    brief: 'After a deploy: runs, objects, no errors/, views, alarms and token of a stack.',
    usage: 'op-events verify --stack NAME [--pipeline ID] [--region REGION] [--max-age 15m] [--json]',
    summary:
      'Checks a deployed stack end to end: every collector ran within --max-age and its last run succeeded; ' +
      'objects exist under events/<type>/ and none under errors/ in the events bucket; each de-duplicating view ' +
      "answers an Athena query in the stack's workgroup; none of the stack's alarms is in ALARM; the token " +
      'secret holds a token (never shown), not the placeholder. Prints PASS, WARN or FAIL per check with what to do.',
    options: {
      ...STACK_OPTION,
      'max-age': {
        type: 'string',
        value: 'AGE',
        description: `A collector whose last run is older than this fails (default ${DEFAULT_MAX_AGE}; minutes or hours: 15m, 2h).`,
      },
      json: { type: 'boolean', description: 'Print one JSON object: the checks and whether all passed.' },
    },
    details: `Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 no such stack or output,
3 AWS credentials refused. The view checks run one Athena query per type, which reads that type's
table through its view: billed per data scanned ($5 per TB, 10 MB minimum), never beyond the
workgroup's per-query scan limit (10 GiB by default, $0.05).`,
    examples: [
      { args: '--stack OnePasswordEvents', does: 'Check a deployed stack end to end.' },
      {
        args: '--stack OnePasswordEvents --max-age 2h --json',
        does: 'Allow collectors two hours since their last run; the checks as one JSON object.',
      },
    ],
  },
  run,
};
