import { garbledTokenMessage } from '../shared/collector/events-api/events-api-errors';
import { StackOutput } from '../shared/contracts/stack-outputs';
import type { SecretError } from '../shared/util/errors';
import { UsageError } from './exit-codes';

/**
 * The CLI's refusals of bad input (exit code 2), one named factory each, grouped by where they
 * arise: the logic says which refusal it makes, and the text (what is wrong, what to do) lives
 * here. Each says that nothing was changed where a command would have changed something. Errors
 * of other classes keep their texts beside the class: ReadOnlyQueryError (duckdb-sandbox.ts),
 * StateBusyError (state-lock.ts), and AWS's failures (aws-errors.ts).
 */

/** Any command: its name and its command line. */
export const commandLineRefusals = {
  unknownCommand: (name: string, commands: readonly string[]) =>
    new UsageError(
      `Unknown command ${JSON.stringify(name)}. Commands: ${commands.join(', ')}. Run ` +
        '"op-events --help".',
    ),
  /** `why`: what the parser found, as one sentence. */
  unparsable: (why: string, helpCommand: string) =>
    new UsageError(`${why} Run "${helpCommand}" for the options.`),
  unexpectedArguments: (quoted: readonly string[], helpCommand: string) =>
    new UsageError(`Unexpected argument ${quoted.join(' ')}. Run "${helpCommand}" for the options.`),
};

/** Where a command acts: the local state folder, or AWS (--stack, --table, --stream, --secret-id). */
export const targetRefusals = {
  stateDirWithAws: (awsOption: string) =>
    new UsageError(
      `--state-dir is for local state; it cannot be combined with --${awsOption} (AWS). Give one or ` +
        'the other.',
    ),
  emptyValue: (option: string) => new UsageError(`--${option} needs a non-empty value.`),
  pipelineWithoutStack: () =>
    new UsageError('--pipeline picks a pipeline of a stack: give --stack NAME with it.'),
  regionWithoutAws: () =>
    new UsageError('--region is for AWS resources: give it with --stack, --table, --stream or --secret-id.'),
  notARegion: (region: string) =>
    new UsageError(`--region ${JSON.stringify(region)} is not an AWS region name such as eu-west-1.`),
  goesWithStack: (option: string) => new UsageError(`--${option} goes with --stack NAME.`),
  noCursorTable: () => new UsageError('Give the cursor table: --table NAME or --stack NAME.'),
  noDeliveryStream: () => new UsageError('Give the delivery stream: --stream NAME or --stack NAME.'),
  /** `pipeline` in words (describePipeline); `outputKey`: the output its stream would have. */
  typeNotCollected: (pipeline: string, outputKey: string, collected: readonly string[], type: string) =>
    new UsageError(
      `${sentenceStart(pipeline)} has no output ${outputKey}: it collects ${collected.join(', ')}, ` +
        `not ${type}. Give --type one of those, or --stream NAME.`,
    ),
  demoWithAws: () =>
    new UsageError(
      '--demo uses the local simulator; it cannot be combined with --stack, --secret-id or --stream.',
    ),
};

function sentenceStart(text: string): string {
  return text.replace(/^./, (c) => c.toUpperCase());
}

/** The command that lists the stacks holding a pipeline (their outputs end in CursorTableName). */
const FIND_PIPELINE_STACKS =
  'aws cloudformation describe-stacks --query "Stacks[?Outputs[?ends_with(OutputKey, ' +
  `'${StackOutput.CursorTableName}')]].StackName" --output text`;

const NO_PIPELINE_ADVICE =
  `If the pipeline is in another stack, list the stacks that hold one: ${FIND_PIPELINE_STACKS}. A ` +
  'pipeline deployed with a version of the construct that published no outputs gets them on its next ' +
  'deploy (npx cdk deploy); meanwhile give the names directly (--table, --stream, --secret-id).';

/** --stack: the stack, its pipelines and their outputs. `pipelines`: each described with its types. */
export const stackRefusals = {
  notFound: (stack: string) =>
    new UsageError(`Stack ${stack} was not found. Check --stack and the AWS region.`),
  doesNotExist: (stack: string) =>
    new UsageError(
      `Stack ${stack} does not exist in this account and region. Check --stack and AWS_REGION ` +
        '(or --region, or your AWS profile). To list the stacks that hold a pipeline: ' +
        `${FIND_PIPELINE_STACKS}`,
    ),
  noPipeline: (stack: string) =>
    new UsageError(
      `Stack ${stack} holds no pipeline (no output ending in ${StackOutput.CursorTableName}). ` +
        `${NO_PIPELINE_ADVICE}`,
    ),
  noSuchPipeline: (stack: string, requested: string, pipelines: readonly string[]) =>
    new UsageError(
      `Stack ${stack} has no pipeline "${requested}"; it holds: ${pipelines.join(', ')}. ` +
        'Give one of these to --pipeline.',
    ),
  /** `ids`: the pipelines' ids, the stack's own ('') among them when it has one. */
  whichPipeline: (stack: string, pipelines: readonly string[], ids: readonly string[]) =>
    new UsageError(
      `Stack ${stack} holds ${pipelines.length} pipelines: ${pipelines.join(', ')}. Say which: add ` +
        `${ids
          .filter((id) => id !== '')
          .map((id) => `--pipeline ${id}`)
          .join(' or ')} to the command.`,
    ),
  /** `pipeline` in words (describePipeline). */
  missingOutput: (pipeline: string, outputKey: string) =>
    new UsageError(
      `${sentenceStart(pipeline)} has no output ${outputKey}. Deploy ` +
        'it again with the current version of the construct (npx cdk deploy), or give the name directly ' +
        'instead (see --help).',
    ),
};

/** The local state folder: which one, and what it already holds. Paths as displayPath shows them. */
export const stateDirRefusals = {
  empty: (variable: string) =>
    new UsageError(`The state folder is empty: give --state-dir <folder> or unset ${variable}.`),
  /** `holds` and `wanted`: the two sources in words (describeSource). */
  sourcesMix: (root: string, holds: string, wanted: string, variable: string) =>
    new UsageError(
      `${root} holds ${holds}, not ${wanted}: ` +
        'their cursors and files must not mix. Use another folder (--state-dir <folder> or ' +
        `${variable}), or delete ${root} to start over.`,
    ),
  noSourceRecord: (root: string, sourceFile: string) =>
    new UsageError(
      `${root} has a cursor table but no record of where its events came from ` +
        `(${sourceFile}). Use another folder (--state-dir), or delete ` +
        `${root} to start over.`,
    ),
  noCursorTable: (root: string, startCommand: string) =>
    new UsageError(
      `No local cursor table in ${root}: run "${startCommand}" first, or ` +
        'point at another folder (--state-dir) or a deployed stack (--stack).',
    ),
};

/** The Events API token of a command that reads the API. */
export const tokenRefusals = {
  noToken: (variable: string) =>
    new UsageError(
      `No token: set ${variable}=<your Events API token>, read it from Secrets Manager with ` +
        `--secret-id <secret> (or --stack <name>), or use the local simulator's demo data with --demo.`,
    ),
  /** The collector's own refusal of a token with a character no token has (checkedToken). */
  badCharacter: (why: SecretError) => new UsageError(why.message),
  /** `example`: how to set the variable from a file without stray whitespace. */
  notWhole: (variable: string, example: string) => new UsageError(garbledTokenMessage(variable, example)),
};

/** start: how often --watch runs. */
export const localRunRefusals = {
  intervalWithoutWatch: () =>
    new UsageError('--interval sets the pause of --watch; add --watch or leave --interval out.'),
};

/** reset, undo and accept-account: the cursor row refuses the change. */
export const cursorRowRefusals = {
  fromRequired: () =>
    new UsageError(
      '--from is required: the time the next run starts from (e.g. 2026-01-05T00:00:00Z or 7d).',
    ),
  nothingToUndo: (type: string, where: string) =>
    new UsageError(`There is no reset of ${type} to undo in ${where}. Nothing was changed.`),
  undoneMeanwhile: (type: string) =>
    new UsageError(`The reset of ${type} was undone meanwhile. Nothing was changed.`),
  noAccountRecorded: (type: string, where: string) =>
    new UsageError(
      `${type} in ${where} has no account recorded yet (the next run records the token's). Nothing was ` +
        'changed.',
    ),
};

/** lookups: which lookup, from which file, doing what. */
export const lookupRefusals = {
  noKind: (kinds: string) => new UsageError(`Say which lookup to load: one of ${kinds}.`),
  unknownKind: (value: string, kinds: string) =>
    new UsageError(`Unknown lookup ${JSON.stringify(value)}: use one of ${kinds}.`),
  noFile: (kind: string, cliCommand: string) =>
    new UsageError(
      `Give the file holding the output of "${cliCommand}", e.g. op-events lookups load ${kind} ` +
        `${kind}.json.`,
    ),
  fileMissing: (file: string) => new UsageError(`${file} does not exist. Nothing was changed.`),
  fileUnreadable: (file: string, why: string) =>
    new UsageError(`${file} cannot be read (${why}). Nothing was changed.`),
  listTakesNoArgument: () => new UsageError('lookups list takes no other argument.'),
  listIsLocal: () =>
    new UsageError('lookups list shows the local state folder; on AWS, query the lookup_* tables in Athena.'),
  unknownAction: (action: string | undefined) =>
    new UsageError(
      `${action === undefined ? 'Say what to do' : `Unknown action ${JSON.stringify(action)}`}: ` +
        'op-events lookups load KIND FILE, or op-events lookups list.',
    ),
};

/** A lookup file as `parseLookupInput` reads it: its name, the lookup, and the op command that makes it. */
export interface LookupInput {
  readonly source: string;
  readonly kind: string;
  readonly cliCommand: string;
}

function lookupInputFix(input: LookupInput): string {
  return (
    `Give the output of "${input.cliCommand}" (for example: ${input.cliCommand} > ${input.kind}.json). ` +
    'Nothing was changed.'
  );
}

/** lookups load: a file that is not the list the op command prints. */
export const lookupInputRefusals = {
  empty: (input: LookupInput) => new UsageError(`${input.source} is empty. ${lookupInputFix(input)}`),
  notJson: (input: LookupInput, why: string) =>
    new UsageError(`${input.source} is not JSON (${why}). ${lookupInputFix(input)}`),
  /** `holds`: what the JSON is instead, in words ("an object"). */
  notAList: (input: LookupInput, holds: string) =>
    new UsageError(
      `${input.source} holds ${holds}, not the list of ${input.kind} that "${input.cliCommand}" ` +
        `prints. ${lookupInputFix(input)}`,
    ),
  emptyList: (input: LookupInput) =>
    new UsageError(
      `${input.source} is an empty list: there are no ${input.kind} to load. ${lookupInputFix(input)}`,
    ),
  /** `other`: the one other lookup whose op command prints this list, if there is one. */
  notTheList: (input: LookupInput, problem: string, other?: { kind: string; cliCommand: string }) =>
    new UsageError(
      `${input.source} is not the list "${input.cliCommand}" prints: ${problem}.` +
        (other
          ? ` It looks like the output of "${other.cliCommand}": load it with "op-events lookups ` +
            `load ${other.kind} ${input.source}".`
          : '') +
        ` ${lookupInputFix(input)}`,
    ),
};

/** get: the window and where --push sends. */
export const getRefusals = {
  toBeforeFrom: (to: string, from: string) => new UsageError(`--to ${to} must be after --from ${from}.`),
  streamWithoutPush: () =>
    new UsageError('--stream names where --push sends events; add --push or leave --stream out.'),
};

/** query --stack: what Athena is asked. */
export const athenaRefusals = {
  /** `pipeline` in words (describePipeline); `collected`: the types it collects. */
  namedReadsUncollected: (
    name: string,
    missing: readonly string[],
    pipeline: string,
    collected: readonly string[],
  ) =>
    new UsageError(
      `"${name}" reads ${missing.join(', ')}, which ${pipeline} does not collect ` +
        `(it collects ${collected.join(', ')}).`,
    ),
};

/** query --stack and report --stack: what Athena is sent. */
export const athenaSqlRefusals = {
  refusedByAthena: (workGroup: string, why: string) =>
    new UsageError(`Athena refused the query in workgroup ${workGroup}: ${why}`),
  notReadOnly: (why: string) =>
    new UsageError(
      'op-events query --stack is read-only unless --allow-write is given, and this SQL was not sent to ' +
        `Athena: ${why}. It runs SELECT, WITH, VALUES, TABLE, SHOW, DESCRIBE and EXPLAIN of those; give ` +
        '--allow-write to run anything else with your own AWS permissions.',
    ),
};

/** query: which SQL, where. */
export const queryRefusals = {
  stateDirWithStack: () =>
    new UsageError(
      '--state-dir is for local files; --stack runs the query in Athena. Give one or the other.',
    ),
  allowWriteLocally: () =>
    new UsageError(
      '--allow-write is for --stack (Athena): op-events query over local files is always read-only.',
    ),
  sqlAndNamed: () => new UsageError('Give either SQL or --named NAME, not both.'),
  noSql: () =>
    new UsageError('Give the SQL to run (in quotes), --named NAME, or --list. Run "op-events query --help".'),
  ambiguousName: (wanted: string, names: readonly string[]) =>
    new UsageError(
      `--named ${JSON.stringify(wanted)} matches ${names.length} queries ` +
        `(${names.map((n) => JSON.stringify(n)).join(', ')}): give more of the name.`,
    ),
  noSuchName: (wanted: string) =>
    new UsageError(
      `No named query matches ${JSON.stringify(wanted)}. Run "op-events query --list" to see them.`,
    ),
  duckdbRejected: (why: string) => new UsageError(`DuckDB could not run the query: ${why}`),
};

/** verify: which stack, and how old a run may be. */
export const verifyRefusals = {
  noStack: () =>
    new UsageError('verify checks a deployed stack: give --stack NAME (the CloudFormation stack name).'),
  maxAgeNotADuration: (value: string | undefined) =>
    new UsageError(
      `--max-age ${JSON.stringify(value)} is not a duration: give minutes or hours such as 15m or 2h.`,
    ),
};

/** Event types, counts and times on the command line. */
export const inputRefusals = {
  typeRequired: (option: string, types: string) => new UsageError(`${option} is required: one of ${types}.`),
  unknownType: (type: string, option: string, types: string) =>
    new UsageError(`Unknown event type ${JSON.stringify(type)} in ${option}: use one of ${types}.`),
  noTypes: (option: string, types: string) =>
    new UsageError(`${option} is empty: give one or more of ${types}.`),
  countOutOfRange: (option: string, value: string, min: number, max: number) =>
    new UsageError(`${option} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)}).`),
  notATime: (option: string, value: string, hint: string) =>
    new UsageError(
      `${option} ${JSON.stringify(value)} is not a time.${hint} Use RFC 3339 such as ` +
        '2026-01-05T08:00:00Z, a UTC date such as 2026-01-05, or an age such as 12h or 7d.',
    ),
  /** A start time the Events API cannot serve: `problem` says why (in the future, or too old). */
  startOutOfReach: (problem: { readonly message: string; readonly kind: string }) =>
    new UsageError(`${problem.message}${problem.kind === 'future' ? '' : ' Give a later time.'}`),
};

/** detections: which action, which rules, from when, and the settings file. */
export const detectionsRefusals = {
  extraArgument: (what: string, got: string | undefined) =>
    new UsageError(`${what} takes no other argument (got ${JSON.stringify(got)}).`),
  unknownRule: (id: string, ruleIds: readonly string[]) =>
    new UsageError(`--rule ${JSON.stringify(id)} is no rule id. The rules: ${ruleIds.join(', ')}.`),
  sinceNotPast: () => new UsageError('--since must be in the past, e.g. 30d, 12h or 2026-01-05.'),
  noSettingsFile: () =>
    new UsageError(
      'Give the settings file: op-events detections settings load FILE (docs/detections.md shows its ' +
        'shape).',
    ),
  unknownSettingsAction: (verb: string | undefined) =>
    new UsageError(
      `${verb === undefined ? 'Say what to do' : `Unknown action ${JSON.stringify(verb)}`}: ` +
        'op-events detections settings load FILE, or op-events detections settings show.',
    ),
  unknownAction: (action: string | undefined, actions: string) =>
    new UsageError(
      `${action === undefined ? 'Say what to do' : `Unknown action ${JSON.stringify(action)}`}: ` +
        `op-events detections ${actions}.`,
    ),
  settingsFileMissing: (path: string) => new UsageError(`${path} does not exist. Nothing was changed.`),
  settingsNotJson: (shownPath: string, why: string) =>
    new UsageError(`${shownPath} is not JSON (${why}). Nothing was changed.`),
  settingsRejected: (shownPath: string, why: string) =>
    new UsageError(`${shownPath}: ${why}. Nothing was changed.`),
};

/** report: how many days, and which file the page goes to. */
export const reportRefusals = {
  sinceNotDays: (value: string | undefined, maxDays: number) =>
    new UsageError(
      `--since ${JSON.stringify(value)}: give a number of days from 1d to ${maxDays}d, such as ` +
        '--since 30d (today, UTC, counts as one).',
    ),
  outEmpty: () => new UsageError('--out needs a file name.'),
  outIsFolder: (value: string | undefined, suggested: string) =>
    new UsageError(`--out ${JSON.stringify(value)} is a folder: give a file name, such as ${suggested}.`),
  outFolderMissing: (value: string | undefined, folder: string) =>
    new UsageError(`--out ${JSON.stringify(value)}: the folder ${folder} does not exist.`),
  stateDirWithStack: () =>
    new UsageError('--state-dir is for the local store; --stack reads Athena. Give one or the other.'),
};
