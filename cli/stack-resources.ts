import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EVENT_TYPES, type EventType, isEventType } from '../shared/event-types';
import { deliveryStreamOutputKey, StackOutput } from '../shared/stack-outputs';
import { explainAwsError } from './aws-errors';
import { UsageError } from './exit-codes';

/** The resource names a deployed stack publishes as CloudFormation outputs (shared/stack-outputs.ts). */
export interface StackResources {
  readonly stackName: string;
  readonly cursorTable: string | undefined;
  readonly tokenSecretArn: string | undefined;
  readonly deliveryStreams: Readonly<Partial<Record<EventType, string>>>;
  /** Event types the stack collects (output EventTypes); all three when the output is absent. */
  readonly eventTypes: readonly EventType[];
  readonly athenaWorkGroup: string | undefined;
  readonly glueDatabase: string | undefined;
  readonly eventsBucket: string | undefined;
}

/** Reads the stack's outputs with DescribeStacks; fails clearly when the stack does not exist. */
export async function readStackResources(
  client: CloudFormationClient,
  stackName: string,
): Promise<StackResources> {
  let outputs: Record<string, string>;
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const stack = answer.Stacks?.[0];
    if (!stack) throw new UsageError(`Stack ${stackName} was not found. Check --stack and the AWS region.`);
    outputs = Object.fromEntries(
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
      throw new UsageError(
        `Stack ${stackName} does not exist in this account and region. Check --stack and AWS_REGION (or your AWS profile).`,
      );
    }
    throw explainAwsError(error, `reading the outputs of stack ${stackName}`);
  }
  const listed = (outputs[StackOutput.EventTypes] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(isEventType);
  const eventTypes = listed.length > 0 ? listed : [...EVENT_TYPES];
  const deliveryStreams: Partial<Record<EventType, string>> = {};
  for (const type of EVENT_TYPES) {
    const name = outputs[deliveryStreamOutputKey(type)];
    if (name) deliveryStreams[type] = name;
  }
  return {
    stackName,
    cursorTable: outputs[StackOutput.CursorTableName],
    tokenSecretArn: outputs[StackOutput.TokenSecretArn],
    deliveryStreams,
    eventTypes,
    athenaWorkGroup: outputs[StackOutput.AthenaWorkGroupName],
    glueDatabase: outputs[StackOutput.GlueDatabaseName],
    eventsBucket: outputs[StackOutput.EventsBucketName],
  };
}

/** A resource name the command needs from the stack, or a message naming the missing output. */
export function requireOutput(
  resources: StackResources,
  value: string | undefined,
  outputKey: string,
): string {
  if (value) return value;
  throw new UsageError(
    `Stack ${resources.stackName} has no output ${outputKey}. Is it a stack deployed from this repository? Give the name directly instead (see --help).`,
  );
}
