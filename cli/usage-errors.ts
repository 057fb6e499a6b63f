import { UsageError } from './exit-codes';

/**
 * The CLI's refusals of bad input (exit code 2), one named factory each: the logic says which
 * refusal it makes, and the text (what is wrong, what to do) lives here. Each says that nothing
 * was changed where a command would have changed something.
 */

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
  notAStack: () => new UsageError('Give --stack NAME.'),
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
  noStack: () => new UsageError('--stack NAME names the stack to read.'),
  stateDirWithStack: () =>
    new UsageError('--state-dir is for the local store; --stack reads Athena. Give one or the other.'),
};
