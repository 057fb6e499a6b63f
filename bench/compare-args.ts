import { parseArgs } from 'node:util';

/** What `npm run bench:compare -- <git-ref> [--rounds N]` was asked to do. */
export interface CompareArgs {
  /** The git ref whose hot path this tree is compared with. */
  readonly ref: string;
  /** Fresh processes per side. */
  readonly rounds: number;
}

export const DEFAULT_ROUNDS = 4;
/** Each round costs two processes of several seconds: more than this is a mistake, not a wish. */
export const MAX_ROUNDS = 50;

export const USAGE = 'npm run bench:compare -- <git-ref> [--rounds N]';

/** A refusal of what bench:compare was asked: what is wrong and what to do. Nothing was changed. */
export class CompareRefusal extends Error {
  override readonly name = 'CompareRefusal';
}

export const compareRefusals = {
  noRef: () => new CompareRefusal(`Say which git ref to compare with (a commit, tag or branch): ${USAGE}.`),
  moreThanOneRef: (refs: readonly string[]) =>
    new CompareRefusal(`Give one git ref, not ${refs.length} (${refs.join(', ')}): ${USAGE}.`),
  badOption: (why: string) => new CompareRefusal(`${why}. Usage: ${USAGE}.`),
  badRounds: (value: string) =>
    new CompareRefusal(
      `--rounds must be a whole number from 1 to ${MAX_ROUNDS}, not ${JSON.stringify(value)} ` +
        `(default ${DEFAULT_ROUNDS}).`,
    ),
  unknownRef: (ref: string) =>
    new CompareRefusal(
      `${JSON.stringify(ref)} is not a commit of this repository: give a commit, tag or branch that ` +
        '`git rev-parse` knows (git fetch it first if it is only on a remote). Nothing was changed.',
    ),
  noHotPath: (ref: string, why: string) =>
    new CompareRefusal(
      `${ref} cannot be compared: ${why}, so it has no hot-path bench to measure. Give a later ref. ` +
        'Nothing was changed.',
    ),
};

/** Parses the arguments after `npm run bench:compare --`; throws a CompareRefusal on bad ones. */
export function parseCompareArgs(argv: readonly string[]): CompareArgs {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    // Node's text goes on about positionals after '--': the first sentence is what went wrong.
    const message = error instanceof Error ? error.message : String(error);
    throw compareRefusals.badOption(message.split('. ')[0] ?? message);
  }
  const refs = parsed.positionals;
  if (refs.length === 0) throw compareRefusals.noRef();
  if (refs.length > 1) throw compareRefusals.moreThanOneRef(refs);
  // git would read such a "ref" as one of its own options.
  if (refs[0]?.startsWith('-')) throw compareRefusals.unknownRef(refs[0]);
  return { ref: refs[0] as string, rounds: parseRounds(parsed.values.rounds) };
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: { rounds: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
}

function parseRounds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_ROUNDS;
  const rounds = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) throw compareRefusals.badRounds(value);
  return rounds;
}
