import type { Context } from 'aws-lambda';
import type { RunSummary } from '../shared/collector/run/collect-run';
import {
  type CollectorRuntime,
  createRuntime,
  runCollector,
} from '../shared/collector/run/collector-runtime';
import { describeError } from '../shared/util/errors';
import { redactedError } from '../shared/util/redaction';

/** Kept across warm invocations: parsed configuration, AWS clients, cached token. */
let runtime: CollectorRuntime | undefined;

/**
 * Lambda entry point, invoked by EventBridge Scheduler once a minute per event type (EVENT_TYPE).
 * Returns the run's summary; throws when the run failed, so Lambda counts an error. What it throws is
 * a token-free copy: the runtime logs the error's message and stack as they are.
 */
export async function handler(
  _event: unknown,
  context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'> & Partial<Context>,
): Promise<RunSummary> {
  const deadlineMs = Date.now() + context.getRemainingTimeInMillis();
  try {
    runtime ??= createRuntime(process.env);
  } catch (error) {
    // Configuration errors come before the logger exists: one JSON line for CloudWatch, then fail.
    console.error(
      JSON.stringify({
        level: 'ERROR',
        message: 'Collector configuration is invalid',
        error: describeError(error),
      }),
    );
    throw redactedError(error);
  }
  runtime.telemetry.startInvocation?.(context);
  try {
    return await runCollector(runtime, { runId: context.awsRequestId, deadlineMs });
  } catch (error) {
    throw redactedError(error);
  }
}

/** Drops the cached runtime (tests; a new environment). */
export function resetRuntimeForTests(): void {
  runtime = undefined;
}
