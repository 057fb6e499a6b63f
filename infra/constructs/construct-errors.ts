import type { IConstruct } from 'constructs';
import { ConfigurationError } from '../props/validation';

/**
 * The constructs' errors, one named factory each: the logic says which error it raises, and the
 * text lives here. A refusal of props is a ConfigurationError (infra/props/validation.ts) that names
 * the prop and, where the construct is known, the construct's path first, as aws-cdk-lib does.
 */

/** EventTypeCollector: the collector's function. */
export const collectorRefusals = {
  /** A function timeout too short for one page would fail every run (shared/contracts/run-timing.ts). */
  timeoutTooShortForAPage: (collector: IConstruct, minSeconds: number, gotSeconds: number) =>
    new ConfigurationError(
      'collector.functionProps.timeout',
      `must be at least ${minSeconds} s (got ${gotSeconds} s): a run keeps 5 s for delivering and ` +
        'committing its last page and needs time for the token check and one request before it',
      collector,
    ),
};

/** OnePasswordEventsPipeline: its id among the stack's pipelines, the types it collects. */
export const pipelineRefusals = {
  notCollected: (pipeline: IConstruct, type: string, collected: readonly string[]) =>
    new ConfigurationError(
      'type',
      `event type ${type} is not collected by this pipeline (it collects ${collected.join(', ')})`,
      pipeline,
    ),
  pipelineIdMalformed: (pipelineId: string) =>
    new ConfigurationError(
      'pipelineId',
      `must hold letters and digits only, at most 64 (got "${pipelineId}"); it prefixes the pipeline's ` +
        'CloudFormation output keys',
    ),
  pipelineIdTaken: (pipelineId: string, pipeline: IConstruct, other: IConstruct) =>
    new ConfigurationError(
      'pipelineId',
      `is "${pipelineId}" for ${pipeline.node.path} and for ${other.node.path}, in the same stack; ` +
        'give each pipeline its own pipelineId',
    ),
};

/**
 * Faults of the package's own wiring, which no props can cause: a plain Error that says which part
 * is out of step.
 */
export const constructFaults = {
  alarmWithoutRunbookEntry: (suffix: string) => new Error(`alarm ${suffix} has no runbook entry`),
  notAPrestoViewText: (text: string) => new Error(`not a Presto view text: ${text.slice(0, 40)}`),
  viewDatabaseNameUnresolved: () =>
    new Error('AthenaViews needs the Glue database name as a plain string: it is part of each view'),
};
