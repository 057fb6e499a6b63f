/**
 * The one place secrets are taken out of text bound for a log line, an error, the cursor row or
 * the terminal. Two rules apply:
 * - every token the process has read (`rememberSecret`) is removed wherever any piece of
 *   SECRET_PIECE_LENGTH characters of it appears: the whole token, each of its three JWT parts, or a
 *   server's echo of only a slice of the signature;
 * - anything shaped like a JWT, or like its header or payload alone, is removed even when it is not
 *   a token this process knows.
 * Both rules look at the text as it reads once escapes are undone and letters are lower-cased, so a
 * token survives neither URL parsing (which lower-cases a host), percent-encoding (`%2B`, `%65`),
 * JSON escapes (`\u0065`, `\/`) nor both at once. What is removed is always the whole written form.
 * Redact before cutting text to a length: a cut first leaves fragments too short to recognise.
 */

/** Pieces this long of a known secret are removed; shorter ones are too common to tell apart. */
export const SECRET_PIECE_LENGTH = 12;
/** Tokens kept for redaction (a rotated token stays secret after the rotation). */
const MAX_REMEMBERED = 8;

export const REDACTED = '[REDACTED TOKEN]';

/**
 * JWT shapes, matched on lower-cased text. A JWT's header and payload are base64url JSON objects:
 * `{"` followed by a letter encodes as `eyJ`, followed by a digit or punctuation as `eyI`
 * (1Password's payloads start `{"1password.com/...`, so `eyIx`). A long run from either, or a short
 * one followed by a dot, is a JWT or one of its parts.
 */
const JWT_LIKE =
  /ey[ij][a-z0-9_-]{16,}(?:\.[a-z0-9_-]*){0,2}|ey[ij][a-z0-9_-]{4,}\.[a-z0-9_-]*\.?[a-z0-9_-]*/g;

/**
 * How the JSON of a token's header and payload starts as 1Password issues it (ES256 headers name
 * `alg`, `kid`, `typ`; payloads open with `1password.com/` claims or registered ones), base64url
 * encoded: recognised however short the rest, so a cut-off header is removed too.
 */
const TOKEN_PREFIXES = ['{"alg"', '{"kid"', '{"typ"', '{"1password.com', '{"aud"', '{"iss"', '{"sub"'].map(
  (json) => {
    // Characters that do not depend on what follows.
    const whole = Math.floor(Buffer.byteLength(json) / 3) * 4;
    return Buffer.from(json).toString('base64url').slice(0, whole).toLowerCase();
  },
);
const TOKEN_PREFIX_LIKE = new RegExp(
  `(?:${TOKEN_PREFIXES.join('|')})[a-z0-9_-]*(?:\\.[a-z0-9_-]*){0,2}`,
  'g',
);

const remembered: string[] = [];
/** Lower-cased pieces of every remembered secret. */
let pieces = new Set<string>();

/**
 * Registers a secret (a bearer token) so that no piece of it is ever written anywhere. A value
 * shorter than a piece is not remembered: it is no token (the token check refuses it), and removing
 * it, an ordinary word perhaps, would shred every later line.
 */
export function rememberSecret(value: string | undefined): void {
  if (value === undefined || value.length < SECRET_PIECE_LENGTH || remembered.includes(value)) return;
  remembered.push(value);
  if (remembered.length > MAX_REMEMBERED) remembered.shift();
  pieces = new Set();
  for (const secret of remembered) {
    for (const part of [secret, ...secret.split('.')]) {
      const lower = lowerAscii(part);
      for (let i = 0; i + SECRET_PIECE_LENGTH <= lower.length; i++) {
        pieces.add(lower.slice(i, i + SECRET_PIECE_LENGTH));
      }
    }
  }
}

/** Forgets every remembered secret (tests). */
export function forgetSecrets(): void {
  remembered.length = 0;
  pieces = new Set();
}

/** Removes every piece of a remembered secret, leaving other text as it is (exact data output). */
export function redactKnownSecrets(text: string): string {
  if (pieces.size === 0) return text;
  return redactWith(text, false);
}

/** Text safe for a log line, an error or the cursor row: no known secret, nothing shaped like a JWT. */
export function redactSecrets(text: string): string {
  return redactWith(text, true);
}

function redactWith(text: string, shapes: boolean): string {
  const view = decodedView(text);
  const found: Array<[number, number]> = [...knownSecretRanges(view.text)];
  if (shapes) {
    for (const shape of [JWT_LIKE, TOKEN_PREFIX_LIKE]) {
      for (const match of view.text.matchAll(shape)) found.push([match.index, match.index + match[0].length]);
    }
  }
  if (found.length === 0) return text;
  // In the original text's places, sorted; overlapping or touching ranges become one REDACTED.
  const spans = found.map(([start, end]) => [view.from(start), view.to(end - 1)] as const);
  spans.sort((a, b) => a[0] - b[0]);
  let result = '';
  let copiedUntil = 0;
  for (const [index, [from, to]] of spans.entries()) {
    if (index > 0 && from <= copiedUntil) {
      copiedUntil = Math.max(copiedUntil, to);
      continue;
    }
    result += text.slice(copiedUntil, from) + REDACTED;
    copiedUntil = to;
  }
  return result + text.slice(copiedUntil);
}

/** Ranges of the (decoded, lower-cased) text that hold a piece of a remembered secret. */
function* knownSecretRanges(lower: string): Generator<[number, number]> {
  if (pieces.size === 0) return;
  for (let i = 0; i + SECRET_PIECE_LENGTH <= lower.length; i++) {
    if (pieces.has(lower.slice(i, i + SECRET_PIECE_LENGTH))) yield [i, i + SECRET_PIECE_LENGTH];
  }
}

/**
 * The text with percent-encoding and JSON escapes undone (twice, for a value encoded twice) and
 * ASCII letters lower-cased, and for each of its characters the span of the original text it came
 * from (`from(i)` its first character, `to(i)` one past its last).
 */
interface DecodedView {
  readonly text: string;
  from(index: number): number;
  to(index: number): number;
}

function decodedView(text: string): DecodedView {
  let view: DecodedView = { text: lowerAscii(text), from: (i) => i, to: (i) => i + 1 };
  for (let pass = 0; pass < 2 && /[%\\]/.test(view.text); pass++) {
    const outer = view;
    const inner = decodeOnce(outer.text);
    if (inner === undefined) break;
    view = {
      text: inner.text,
      from: (i) => outer.from(inner.starts[i] ?? 0),
      to: (i) => outer.to((inner.starts[i + 1] ?? outer.text.length) - 1),
    };
  }
  return view;
}

const JSON_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const HEX2 = /^[0-9a-f]{2}$/;
const HEX4 = /^[0-9a-f]{4}$/;

/** One pass of decoding over lower-cased text; undefined when there was nothing to decode. */
function decodeOnce(text: string): { text: string; starts: number[] } | undefined {
  const decodedChars: string[] = [];
  const starts: number[] = [];
  let changed = false;
  for (let i = 0; i < text.length; ) {
    const c = text[i] as string;
    let decoded = c;
    let width = 1;
    if (c === '%' && HEX2.test(text.slice(i + 1, i + 3))) {
      decoded = String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 3), 16));
      width = 3;
    } else if (c === '\\' && text[i + 1] === 'u' && HEX4.test(text.slice(i + 2, i + 6))) {
      decoded = String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
      width = 6;
    } else if (c === '\\' && (text[i + 1] ?? '') in JSON_ESCAPES) {
      decoded = JSON_ESCAPES[text[i + 1] as string] as string;
      width = 2;
    }
    if (width > 1) changed = true;
    starts.push(i);
    decodedChars.push(decoded);
    i += width;
  }
  // Decoded letters (%41) are lower-cased with the rest, in one pass that keeps every place.
  return changed ? { text: lowerAscii(decodedChars.join('')), starts } : undefined;
}

/** Lower-cases A-Z only, so that every character keeps its place (toLowerCase can change lengths). */
function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/**
 * Log fields with every string in them (keys, values, error messages) redacted; unchanged fields are returned
 * as they are.
 */
export function redactFields<T extends object>(fields: T): T {
  return redactValue(fields) as T;
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value instanceof Error) {
    const copy = redactedError(value);
    return copy.message === value.message && copy.stack === value.stack ? value : copy;
  }
  if (Array.isArray(value)) {
    const items = value.map(redactValue);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) {
    return value;
  }
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const entry = [redactSecrets(key), redactValue(item)] as const;
    if (entry[0] !== key || entry[1] !== item) changed = true;
    return entry;
  });
  return changed ? Object.fromEntries(entries) : value;
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
 * Use it for anything derived from such a value too (a URL's host or path).
 */
export function quoteValue(value: string): string {
  const opaque = (value.match(OPAQUE_RUN) ?? []).some((run) => /\d/.test(run) && /[A-Za-z]/.test(run));
  if (value.length <= SHOWN_VALUE_MAX_LENGTH && !opaque && redactSecrets(value) === value) {
    return JSON.stringify(value);
  }
  return `a value of ${value.length} characters, not repeated here in case it is a secret`;
}
