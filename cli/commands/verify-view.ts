import { formatTable } from '../format-table';
import type { CommandResult, ResultView } from '../render';
import { describePipeline, type StackResources } from '../stack-resources';
import type { CheckResult, CheckStatus } from '../verify/check-result';

/** What `op-events verify` found: every check of one pipeline of a deployed stack. */
export interface StackVerification extends CommandResult {
  readonly resources: StackResources;
  readonly checks: readonly CheckResult[];
  /** No check failed (warnings allowed). */
  readonly passed: boolean;
}

const LABEL: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' };

function counts(checks: readonly CheckResult[]): Record<CheckStatus, number> {
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  return { pass: count('pass'), warn: count('warn'), fail: count('fail') };
}

function summary({ checks, passed }: StackVerification): string {
  const n = counts(checks);
  const tally = `${n.pass} passed, ${n.warn} warning${n.warn === 1 ? '' : 's'}, ${n.fail} failed.`;
  return passed ? `${tally} The stack works.` : `${tally} The stack is not working yet: see above.`;
}

/** The checks that did not pass, each with what to do (empty when there is nothing to do). */
function whatToDo(checks: readonly CheckResult[]): string[] {
  const todo = checks.filter((c) => c.fix);
  if (todo.length === 0) return [];
  return ['', 'What to do:', ...todo.map((c) => `  ${LABEL[c.status]} ${c.check}: ${c.fix}`)];
}

function text(result: StackVerification) {
  const { resources, checks } = result;
  const rows = checks.map((c) => [LABEL[c.status], c.check, c.detail]);
  return {
    lines: [
      `Verifying ${describePipeline(resources)} (collects ${resources.eventTypes.join(', ')})`,
      '',
      formatTable(['result', 'check', 'detail'], rows, { maxCellWidth: 400 }),
      ...whatToDo(checks),
      '',
      summary(result),
    ],
  };
}

function json({ resources, checks, passed }: StackVerification) {
  const object = {
    stack: resources.stackName,
    pipeline: resources.pipelineId,
    passed,
    counts: counts(checks),
    checks,
  };
  return { lines: [object] };
}

export const verifyView: ResultView<StackVerification> = { text, json };
