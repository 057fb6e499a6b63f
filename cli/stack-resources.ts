import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EVENT_TYPES, type EventType, isEventType } from '../shared/contracts/event-types';
import { deliveryStreamOutputKey, pipelineOutputKey, StackOutput } from '../shared/contracts/stack-outputs';
import { explainAwsError } from './aws-errors';
import { stackRefusals } from './usage-errors';

/**
 * The resource names one pipeline of a deployed stack publishes as CloudFormation outputs
 * (shared/contracts/stack-outputs.ts).
 */
export interface StackResources {
  readonly stackName: string;
  /** The pipeline's id ('' for the app stack's one pipeline, whose outputs have bare names). */
  readonly pipelineId: string;
  readonly cursorTable: string | undefined;
  readonly tokenSecretArn: string | undefined;
  readonly deliveryStreams: Readonly<Partial<Record<EventType, string>>>;
  /** Event types the pipeline collects (output EventTypes); all three when the output is absent. */
  readonly eventTypes: readonly EventType[];
  readonly athenaWorkGroup: string | undefined;
  readonly glueDatabase: string | undefined;
  readonly eventsBucket: string | undefined;
  /** Prefix of the pipeline's alarm names; undefined for stacks deployed before it was published. */
  readonly namePrefix: string | undefined;
}

/** Finds the stacks that hold a pipeline: a command that works in any account and region. */
/**
 * The ids of the pipelines whose outputs a stack has: each prefix of a `<id>CursorTableName` key; or,
 * in a stack with none, the empty id when it has any bare output name of a pipeline (a stack deployed
 * from this repository, whose outputs the CLI then reports one by one as missing).
 */
export function pipelineIdsIn(outputs: Readonly<Record<string, string>>): string[] {
  const suffix = StackOutput.CursorTableName;
  const keys = Object.keys(outputs);
  const ids = keys.filter((key) => key.endsWith(suffix)).map((key) => key.slice(0, -suffix.length));
  if (ids.length > 0) return ids.sort();
  const names: readonly string[] = Object.values(StackOutput);
  return keys.some((key) => names.includes(key)) ? [''] : [];
}

/** The outputs of a stack, by key, with DescribeStacks; fails clearly when the stack does not exist. */
async function readOutputs(client: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = answer.Stacks?.[0];
    if (!stack) throw stackRefusals.notFound(stackName);
    return Object.fromEntries(
      (stack.Outputs ?? [])
        .filter((o) => o.OutputKey && o.OutputValue !== undefined)
        .map((o) => [o.OutputKey as string, o.OutputValue as string]),
    );
  } catch (error) {
    if (
      error instanceof Error &&
      error.name === 'ValidationException' &&
      /does not exist/i.test(error.message)
    ) {
      throw stackRefusals.doesNotExist(stackName);
    }
    throw explainAwsError(error, `reading the outputs of stack ${stackName}`);
  }
}

function eventTypesOf(outputs: Readonly<Record<string, string>>, pipelineId: string): EventType[] {
  return (outputs[pipelineOutputKey(pipelineId, StackOutput.EventTypes)] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(isEventType);
}

/** Which pipeline of the stack: `--pipeline`, or the only one; otherwise an error that lists them. */
function choosePipeline(
  stackName: string,
  outputs: Readonly<Record<string, string>>,
  requested: string | undefined,
): string {
  const ids = pipelineIdsIn(outputs);
  const describe = (id: string) => {
    const types = eventTypesOf(outputs, id);
    const name = id === '' ? '(the stack\'s own, --pipeline "")' : id;
    return types.length > 0 ? `${name} (${types.join(', ')})` : name;
  };
  if (requested !== undefined) {
    if (ids.includes(requested)) return requested;
    throw ids.length === 0
      ? stackRefusals.noPipeline(stackName)
      : stackRefusals.noSuchPipeline(stackName, requested, ids.map(describe));
  }
  const [only, ...others] = ids;
  if (only !== undefined && others.length === 0) return only;
  if (only === undefined) {
    throw stackRefusals.noPipeline(stackName);
  }
  throw stackRefusals.whichPipeline(stackName, ids.map(describe), ids);
}

/**
 * Reads one pipeline's resource names from the stack's outputs: the one named by `pipelineId`
 * (`--pipeline`), or the stack's only pipeline.
 */
export async function readStackResources(
  client: CloudFormationClient,
  stackName: string,
  pipelineId?: string,
): Promise<StackResources> {
  const outputs = await readOutputs(client, stackName);
  const id = choosePipeline(stackName, outputs, pipelineId);
  const output = (key: string) => outputs[pipelineOutputKey(id, key)];
  const listed = eventTypesOf(outputs, id);
  const eventTypes = listed.length > 0 ? listed : [...EVENT_TYPES];
  const deliveryStreams: Partial<Record<EventType, string>> = {};
  for (const type of EVENT_TYPES) {
    const name = output(deliveryStreamOutputKey(type));
    if (name) deliveryStreams[type] = name;
  }
  return {
    stackName,
    pipelineId: id,
    cursorTable: output(StackOutput.CursorTableName),
    tokenSecretArn: output(StackOutput.TokenSecretArn),
    deliveryStreams,
    eventTypes,
    athenaWorkGroup: output(StackOutput.AthenaWorkGroupName),
    glueDatabase: output(StackOutput.GlueDatabaseName),
    eventsBucket: output(StackOutput.EventsBucketName),
    namePrefix: output(StackOutput.NamePrefix),
  };
}

/** "stack X" or "pipeline P of stack X", for messages. */
export function describePipeline(resources: Pick<StackResources, 'stackName' | 'pipelineId'>): string {
  return resources.pipelineId === ''
    ? `stack ${resources.stackName}`
    : `pipeline ${resources.pipelineId} of stack ${resources.stackName}`;
}

/** A resource name the command needs from the stack, or a message naming the missing output. */
export function requireOutput(
  resources: StackResources,
  value: string | undefined,
  outputKey: string,
): string {
  if (value) return value;
  const key = pipelineOutputKey(resources.pipelineId, outputKey);
  throw stackRefusals.missingOutput(describePipeline(resources), key);
}
