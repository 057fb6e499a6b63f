import type { Command, CommandContext } from '../command';
import { resolveStackTarget } from '../context';
import { ExitCode } from '../exit-codes';
import { type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import { STACK_OPTION } from '../shared-options';
import { verifyRefusals } from '../usage-errors';
import { runStackChecks } from '../verify/stack-checks';
import { type StackVerification, verifyView } from './verify-view';

const DEFAULT_MAX_AGE = '15m';
const AGE = /^(\d+)\s*([mh])$/i;

/** `--max-age 15m` / `2h` in milliseconds. */
export function parseMaxAge(value: string | undefined): number {
  const text = (value ?? DEFAULT_MAX_AGE).trim();
  const match = AGE.exec(text);
  const n = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(n) || n < 1 || n > 10_000) {
    throw verifyRefusals.maxAgeNotADuration(value);
  }
  return n * ((match[2] ?? 'm').toLowerCase() === 'h' ? 3_600_000 : 60_000);
}

/** Every check of the stack's pipeline; progress on the status line, nothing printed. */
async function verifyStack(args: ParsedCommandLine, context: CommandContext): Promise<StackVerification> {
  const stackName = stringValue(args, 'stack');
  if (stackName === undefined) {
    throw verifyRefusals.noStack();
  }
  const maxAgeMs = parseMaxAge(stringValue(args, 'max-age'));
  const target = resolveStackTarget(args, stackName);
  context.out.status(`Reading the outputs of stack ${stackName}…`);
  const resources = await target.stack();
  const checks = await runStackChecks(target, args, context, resources, maxAgeMs);
  const passed = checks.every((c) => c.status !== 'fail');
  return { resources, checks, passed, exitCode: passed ? ExitCode.Ok : ExitCode.Failure };
}

export const verifyCommand: Command = resultCommand(
  {
    name: 'verify',
    brief: 'After a deploy: runs, objects, no errors/, views, alarms and token of a stack.',
    usage: 'op-events verify --stack NAME [--pipeline ID] [--region REGION] [--max-age 15m] [--json]',
    summary:
      'Checks a deployed stack end to end: every collector ran within --max-age and its last run ' +
      'succeeded; ' +
      'objects exist under events/<type>/ and none under errors/ in the events bucket; each ' +
      'de-duplicating view ' +
      "answers an Athena query in the stack's workgroup; none of the stack's alarms is in ALARM; the token " +
      'secret holds a token (never shown), not the placeholder. Prints PASS, WARN or FAIL per check ' +
      'with what to do.',
    options: {
      ...STACK_OPTION,
      'max-age': {
        type: 'string',
        value: 'AGE',
        description:
          `A collector whose last run is older than this fails (default ${DEFAULT_MAX_AGE}; minutes or ` +
          'hours: 15m, 2h).',
      },
      json: { type: 'boolean', description: 'Print one JSON object: the checks and whether all passed.' },
    },
    details:
      'Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 no such stack or ' +
      'output,\n' +
      "3 AWS credentials refused. The view checks run one Athena query per type, which reads that type's\n" +
      'table through its view: billed per data scanned ($5 per TB, 10 MB minimum), never beyond the\n' +
      "workgroup's per-query scan limit (10 GiB by default, $0.05).",
    examples: [
      { args: '--stack OnePasswordEvents', does: 'Check a deployed stack end to end.' },
      {
        args: '--stack OnePasswordEvents --max-age 2h --json',
        does: 'Allow collectors two hours since their last run; the checks as one JSON object.',
      },
    ],
  },
  verifyStack,
  verifyView,
);
