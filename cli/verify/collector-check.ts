import type { CursorState } from '../../shared/collector/state/cursor-store';
import { collectorFunctionOutputKey, pipelineOutputKey } from '../../shared/contracts/stack-outputs';
import { formatDuration } from '../format-table';
import { type CheckResult, fail, pass } from './check-result';

/**
 * Did this type's collector run recently, and did its last run succeed? Read from the type's row in
 * the cursor table, where every run records how it ended (shared/collector/state/cursor-store.ts,
 * `last_run`).
 */
export function collectorCheck(
  state: CursorState,
  now: number,
  maxAgeMs: number,
  pipelineId = '',
): CheckResult {
  const check = `collector ${state.type}`;
  const output = pipelineOutputKey(pipelineId, collectorFunctionOutputKey(state.type));
  const logs = `the logs of the function in stack output ${output}`;
  const run = state.lastRun;
  if (!run) {
    return fail(
      check,
      'has never run (no run recorded in the cursor table).',
      'Runs start within a minute of the deploy. If it has been longer, check that its EventBridge ' +
        `Scheduler schedule is enabled and read ${logs}.`,
    );
  }
  const finished = Date.parse(run.finishedAt);
  const ago = Number.isFinite(finished)
    ? `${formatDuration((now - finished) / 1000)} ago`
    : 'at an unknown time';
  if (run.result === 'failed') {
    return fail(
      check,
      `last run (${ago}) failed: ${run.error ?? 'no error recorded'}`,
      `Read the error and ${logs}. Until the token is set every run fails (docs/deploy.md, step 3); ` +
        'the Alarms table of docs/deploy.md says what each failure needs.',
    );
  }
  if (!Number.isFinite(finished) || now - finished > maxAgeMs) {
    return fail(
      check,
      `last run finished ${ago}, longer ago than ${formatDuration(maxAgeMs / 1000)}.`,
      'The schedule runs every minute by default: check that its EventBridge Scheduler schedule is ' +
        `enabled and read ${logs} for crashes or timeouts. With a slower schedule, give --max-age.`,
    );
  }
  const pages = `${run.pages} page${run.pages === 1 ? '' : 's'}`;
  return pass(
    check,
    `last run ${ago}: ok, ${run.events} events, ${pages}, stop ${run.stopReason || 'unknown'}.`,
  );
}
