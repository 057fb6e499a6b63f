import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { type EventSink, FirehoseSink, SINK_CLIENT_CONFIG } from '../shared/collector/delivery/firehose-sink';
import { CursorStore } from '../shared/collector/state/cursor-store';
import type { EventType } from '../shared/contracts/event-types';
import { deliveryStreamOutputKey, pipelineOutputKey, StackOutput } from '../shared/contracts/stack-outputs';
import { type AwsClientConfig, awsClientConfig } from './aws-config';
import { explainAwsError } from './aws-errors';
import { LOCAL_NAMES, openLocalCursorTable, startLocalFirehose } from './local-services';
import { type ParsedCommandLine, stringValue } from './options';
import { describePipeline, readStackResources, requireOutput, type StackResources } from './stack-resources';
import {
  checkSource,
  displayPath,
  recordSource,
  resolveStateDir,
  type StateDir,
  type StateSource,
} from './state-dir';
import { lockState } from './state-lock';
import { targetRefusals } from './usage-errors';

/**
 * Where a command acts: the local state folder (default) or a deployed stack on AWS, chosen by the
 * options `--state-dir` / `--stack`, `--table`, `--stream`, `--secret-id`. AWS clients use the SDK's
 * default configuration (AWS_PROFILE, AWS_REGION, ...); local ones talk to loopback stand-ins only.
 */
export type Target =
  | { readonly kind: 'local'; readonly state: StateDir }
  | {
      readonly kind: 'aws';
      readonly stack: (() => Promise<StackResources>) | undefined;
      /** What the command's AWS clients are created with (--region). */
      readonly clientConfig: AwsClientConfig;
    };

/** A target on AWS read from a deployed stack: what a command given `--stack NAME` acts on. */
export type StackTarget = Extract<Target, { kind: 'aws' }> & {
  readonly stack: () => Promise<StackResources>;
};

const AWS_OPTIONS = ['stack', 'table', 'stream', 'secret-id'] as const;

/** Refuses target options that contradict each other or are empty; returns the AWS ones given. */
function checkTargetOptions(args: ParsedCommandLine): readonly string[] {
  const awsGiven = AWS_OPTIONS.filter((name) => stringValue(args, name) !== undefined);
  if (awsGiven.length > 0 && stringValue(args, 'state-dir') !== undefined) {
    throw targetRefusals.stateDirWithAws(awsGiven[0] as string);
  }
  for (const name of AWS_OPTIONS) {
    const value = stringValue(args, name);
    if (value !== undefined && value.trim() === '') throw targetRefusals.emptyValue(name);
  }
  if (stringValue(args, 'pipeline') !== undefined && stringValue(args, 'stack') === undefined) {
    throw targetRefusals.pipelineWithoutStack();
  }
  return awsGiven;
}

/** The stack's resources, read from its outputs once, when first asked for. */
function stackReader(args: ParsedCommandLine, clientConfig: AwsClientConfig, stackName: string) {
  const pipeline = stringValue(args, 'pipeline');
  let cached: Promise<StackResources> | undefined;
  return (): Promise<StackResources> => {
    cached ??= readStackResources(new CloudFormationClient(clientConfig), stackName, pipeline);
    return cached;
  };
}

/**
 * The target of a command given `--stack NAME` (`stackName`, its value), checked as resolveTarget
 * checks it: typed as the stack's, so the command needs no guard for a target without one.
 */
export function resolveStackTarget(args: ParsedCommandLine, stackName: string): StackTarget {
  checkTargetOptions(args);
  const clientConfig = awsClientConfig(args);
  return { kind: 'aws', stack: stackReader(args, clientConfig, stackName), clientConfig };
}

export function resolveTarget(
  args: ParsedCommandLine,
  env: Readonly<Record<string, string | undefined>>,
): Target {
  const awsGiven = checkTargetOptions(args);
  const stateDir = stringValue(args, 'state-dir');
  const stackName = stringValue(args, 'stack');
  if (awsGiven.length === 0) {
    if (stringValue(args, 'region') !== undefined) {
      throw targetRefusals.regionWithoutAws();
    }
    return { kind: 'local', state: resolveStateDir(stateDir, env) };
  }
  const clientConfig = awsClientConfig(args);
  const stack = stackName ? stackReader(args, clientConfig, stackName) : undefined;
  return { kind: 'aws', stack, clientConfig };
}

export interface OpenCursorTable {
  readonly store: CursorStore;
  /** Where the table is, for the report. */
  readonly where: string;
  close(): Promise<void>;
}

/**
 * The cursor table: local dynalite over `<state>/dynamodb` (must exist), `--table`, or the stack's output.
 */
export async function openCursorTable(
  target: Target,
  args: ParsedCommandLine,
  options: { purpose: string; now: () => number },
): Promise<OpenCursorTable> {
  if (target.kind === 'local') {
    const table = await openLocalCursorTable(target.state, { create: false, ...options });
    return {
      store: table.store,
      where: `local table in ${displayPath(target.state.dynamodb)}`,
      close: table.close,
    };
  }
  let name = stringValue(args, 'table');
  if (!name) {
    // An AWS target given neither --table nor --stack: only --stream or --secret-id, which no command
    // that opens the cursor table takes today (the options a command takes, not a type, rule it out).
    if (!target.stack) throw targetRefusals.noCursorTable();
    const resources = await target.stack();
    name = requireOutput(resources, resources.cursorTable, StackOutput.CursorTableName);
  }
  const client = new DynamoDBClient(target.clientConfig);
  const tableName = name;
  return {
    store: guardedStore(new CursorStore(client, tableName, options.now), `table ${tableName}`),
    where: `DynamoDB table ${tableName}`,
    close: async () => client.destroy(),
  };
}

/** A cursor store whose AWS errors come out explained (credentials: exit 3, missing table: exit 2). */
function guardedStore(store: CursorStore, what: string): CursorStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (error) {
          throw explainAwsError(error, `using ${what}`);
        }
      };
    },
  });
}

export interface OpenSink {
  readonly sink: EventSink;
  readonly where: string;
  close(): Promise<void>;
}

/**
 * The delivery stream for a type: on AWS `--stream` or the stack's output; locally the Firehose
 * stand-in writing under `<state>/s3` (refused when the folder holds events of another source).
 */
export async function openSink(
  target: Target,
  args: ParsedCommandLine,
  type: EventType,
  source: StateSource,
): Promise<OpenSink> {
  if (target.kind === 'local') {
    checkSource(target.state, source);
    const unlock = await lockState(target.state, `op-events get --push --type ${type}`);
    try {
      recordSource(target.state, source);
      const firehose = await startLocalFirehose(target.state);
      const streamName = LOCAL_NAMES.deliveryStream(type);
      return {
        sink: new FirehoseSink({ client: firehose.client(), streamName }),
        where: `local Firehose stand-in (stream ${streamName}) writing to ${displayPath(target.state.s3)}`,
        close: async () => {
          await firehose.close();
          unlock();
        },
      };
    } catch (error) {
      unlock();
      throw error;
    }
  }
  let streamName = stringValue(args, 'stream');
  if (!streamName) {
    if (!target.stack) throw targetRefusals.noDeliveryStream();
    const resources = await target.stack();
    if (!resources.eventTypes.includes(type)) {
      throw targetRefusals.typeNotCollected(
        describePipeline(resources),
        pipelineOutputKey(resources.pipelineId, deliveryStreamOutputKey(type)),
        resources.eventTypes,
        type,
      );
    }
    streamName = requireOutput(resources, resources.deliveryStreams[type], deliveryStreamOutputKey(type));
  }
  const client = new FirehoseClient({ ...SINK_CLIENT_CONFIG, ...target.clientConfig });
  const name = streamName;
  const sink = new FirehoseSink({ client, streamName: name });
  return {
    sink: {
      deliver: async (lines, deadlineMs) => {
        try {
          return await sink.deliver(lines, deadlineMs);
        } catch (error) {
          throw explainAwsError(error, `writing to Firehose stream ${name}`);
        }
      },
    },
    where: `Firehose stream ${name}`,
    close: async () => client.destroy(),
  };
}

/** The token's secret on AWS: `--secret-id`, or the stack's TokenSecretArn output; undefined locally. */
export async function tokenSecretId(target: Target, args: ParsedCommandLine): Promise<string | undefined> {
  const explicit = stringValue(args, 'secret-id');
  if (explicit) return explicit;
  if (target.kind !== 'aws' || !target.stack) return undefined;
  const resources = await target.stack();
  return requireOutput(resources, resources.tokenSecretArn, StackOutput.TokenSecretArn);
}
