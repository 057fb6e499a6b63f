/**
 * The one place secrets are taken out of text bound for a log line, an error, the cursor row or
 * the terminal. Two rules apply:
 * - every token the process has read (`rememberSecret`) is removed wherever any piece of
 *   SECRET_PIECE_LENGTH characters of it appears: the whole token, each of its three JWT parts, or a
 *   server's echo of only a slice of the signature;
 * - anything shaped like a JWT, or like its header or payload alone, is removed even when it is not
 *   a token this process knows.
 */

/** Pieces this long of a known secret are removed; shorter ones are too common to tell apart. */
export const SECRET_PIECE_LENGTH = 12;
/** Tokens kept for redaction (a rotated token stays secret after the rotation). */
const MAX_REMEMBERED = 8;
/** Shorter values are not remembered: removing them would shred ordinary text. */
const MIN_SECRET_LENGTH = 8;

export const REDACTED = '[REDACTED TOKEN]';

/** A JWT, or one of its first two parts alone: base64url JSON objects start with "eyJ" (`{"`). */
const JWT_LIKE =
  /eyJ[A-Za-z0-9_-]{16,}(?:\.[A-Za-z0-9_-]*){0,2}|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.?[A-Za-z0-9_-]*/g;

const remembered: string[] = [];
let pieces = new Set<string>();
/** Whole secrets and parts shorter than a piece (test tokens), removed as exact strings. */
let shortValues: string[] = [];

/** Registers a secret (a bearer token) so that no piece of it is ever written anywhere. */
export function rememberSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH || remembered.includes(value)) return;
  remembered.push(value);
  if (remembered.length > MAX_REMEMBERED) remembered.shift();
  pieces = new Set();
  shortValues = [];
  for (const secret of remembered) {
    for (const part of [secret, ...secret.split('.')]) {
      if (part.length < SECRET_PIECE_LENGTH) {
        if (part.length >= MIN_SECRET_LENGTH) shortValues.push(part);
        continue;
      }
      for (let i = 0; i + SECRET_PIECE_LENGTH <= part.length; i++) {
        pieces.add(part.slice(i, i + SECRET_PIECE_LENGTH));
      }
    }
  }
}

/** Forgets every remembered secret (tests). */
export function forgetSecrets(): void {
  remembered.length = 0;
  pieces = new Set();
  shortValues = [];
}

/** Removes every piece of a remembered secret, leaving other text as it is (exact data output). */
export function redactKnownSecrets(text: string): string {
  let out = text;
  for (const value of shortValues) if (out.includes(value)) out = out.split(value).join(REDACTED);
  if (pieces.size === 0 || out.length < SECRET_PIECE_LENGTH) return out;
  let result = '';
  let copiedUntil = 0;
  let runStart = -1;
  let runEnd = -1;
  for (let i = 0; i + SECRET_PIECE_LENGTH <= out.length; i++) {
    if (!pieces.has(out.slice(i, i + SECRET_PIECE_LENGTH))) continue;
    if (i > runEnd) {
      if (runStart >= 0) {
        result += out.slice(copiedUntil, runStart) + REDACTED;
        copiedUntil = runEnd;
      }
      runStart = i;
    }
    runEnd = i + SECRET_PIECE_LENGTH;
  }
  if (runStart < 0) return out;
  return result + out.slice(copiedUntil, runStart) + REDACTED + out.slice(runEnd);
}

/** Text safe for a log line, an error or the cursor row: no known secret, nothing shaped like a JWT. */
export function redactSecrets(text: string): string {
  return redactKnownSecrets(text.replace(JWT_LIKE, REDACTED));
}

/** Log fields with every string in them redacted (tokens and JWT parts hold no quote or backslash). */
export function redactFields<T extends object>(fields: T): T {
  const text = JSON.stringify(fields);
  const redacted = redactSecrets(text);
  return redacted === text ? fields : (JSON.parse(redacted) as T);
}

/**
 * A token-free copy of any thrown value, for what leaves the process (the Lambda runtime logs the
 * error it is handed, with its stack). The copy keeps the name and has no cause.
 */
export function redactedError(error: unknown): Error {
  const source = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(redactSecrets(source.message));
  copy.name = source.name;
  copy.stack = redactSecrets(source.stack ?? `${source.name}: ${source.message}`);
  return copy;
}

/** Runs of this many letters, digits, "-" or "_" with both letters and digits look like key material. */
const OPAQUE_RUN = /[A-Za-z0-9_-]{16,}/g;
const SHOWN_VALUE_MAX_LENGTH = 40;

/**
 * A value someone typed, quoted for an error message unless it could be a secret (long, or holding
 * a long opaque run such as a piece of a token): a misplaced token must not be repeated in the error.
 */
export function quoteValue(value: string): string {
  const opaque = (value.match(OPAQUE_RUN) ?? []).some((run) => /\d/.test(run) && /[A-Za-z]/.test(run));
  if (value.length <= SHOWN_VALUE_MAX_LENGTH && !opaque && redactSecrets(value) === value) {
    return JSON.stringify(value);
  }
  return `a value of ${value.length} characters, not repeated here in case it is a secret`;
}
