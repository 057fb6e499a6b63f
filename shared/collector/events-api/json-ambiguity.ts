/**
 * JSON that readers do not all read alike, and one reading of it every reader shares.
 *
 * - A key repeated within one object: JSON.parse and jq keep the last value, DuckDB's JSON functions
 *   the first (RFC 8259 section 4 leaves it to the reader). An event with its `timestamp` twice would
 *   be filed under one date and shown under another, and de-duplication by `uuid` would split it.
 * - A `\u` escape of a lone UTF-16 surrogate (`"\ud800"`): valid JSON text, but not a Unicode string.
 *   DuckDB's `json_valid` is false for such a line, so the typed views leave the whole event out.
 *   Athena's engine reads it through Jackson, which accepts the escape and writes the lone surrogate
 *   as U+FFFD when it encodes UTF-8 (no Trino page documents this; maintainers describe it in
 *   apache/spark pull request 55661 and, for Presto's json_parse, facebookincubator/velox pull
 *   request 12086), so U+FFFD is the value Athena read already.
 *
 * `unambiguousText` rewrites an event's text so that every reader reads the same values: of a
 * repeated key only the last member is kept (what the collector read for its date and uuid, and what
 * the Firehose partition key's jq reads), and each lone surrogate escape becomes `\ufffd` (U+FFFD,
 * the replacement character). The caller keeps the text as sent beside it (`_collector.as_sent`).
 * It runs only for the events page-body.ts flags, never on the hot path.
 */
export interface UnambiguousText {
  /** The event's text with one member per key and no lone surrogate escape. */
  readonly text: string;
  /** JSON Pointers (RFC 6901) of the keys that were repeated (an inner object's before its parent's). */
  readonly repeatedKeys: readonly string[];
  /** Lone surrogate escapes replaced by `\ufffd`. */
  readonly loneSurrogates: number;
}

/** The rewritten text, or undefined when the text has neither (nothing to rewrite). */
export function unambiguousText(text: string): UnambiguousText | undefined {
  const rewriter = new Rewriter(text);
  const rewritten = rewriter.value('');
  if (rewriter.repeatedKeys.length === 0 && rewriter.loneSurrogates === 0) return undefined;
  return { text: rewritten, repeatedKeys: rewriter.repeatedKeys, loneSurrogates: rewriter.loneSurrogates };
}

const QUOTE = 34;
const BACKSLASH = 92;

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

/** A comma, a closing bracket or whitespace ends a number, true, false or null. */
function endsScalar(code: number): boolean {
  return code === 44 || code === 93 || code === 125 || isWhitespace(code);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** RFC 6901: `~` as `~0`, `/` as `~1`. */
function pointerToken(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A recursive descent over text already known to be valid JSON; whitespace outside strings is dropped. */
class Rewriter {
  private i = 0;
  readonly repeatedKeys: string[] = [];
  loneSurrogates = 0;

  constructor(private readonly text: string) {}

  value(pointer: string): string {
    this.skipWhitespace();
    const code = this.text.charCodeAt(this.i);
    if (code === QUOTE) return this.string();
    if (code === 123) return this.object(pointer);
    if (code === 91) return this.array(pointer);
    const start = this.i;
    while (this.i < this.text.length && !endsScalar(this.text.charCodeAt(this.i))) this.i++;
    return this.text.slice(start, this.i);
  }

  private skipWhitespace(): void {
    while (isWhitespace(this.text.charCodeAt(this.i))) this.i++;
  }

  /** A string token, its lone surrogate escapes replaced. */
  private string(): string {
    const start = this.i;
    let out = '';
    let copiedFrom = start;
    this.i++;
    for (;;) {
      const code = this.text.charCodeAt(this.i);
      if (code === QUOTE) break;
      if (code !== BACKSLASH) {
        this.i++;
        continue;
      }
      if (this.text[this.i + 1] !== 'u') {
        this.i += 2;
        continue;
      }
      const unit = this.escapedUnit(this.i);
      if (isHighSurrogate(unit) && isLowSurrogate(this.escapedUnit(this.i + 6))) {
        this.i += 12;
        continue;
      }
      if (isHighSurrogate(unit) || isLowSurrogate(unit)) {
        out += `${this.text.slice(copiedFrom, this.i)}\\ufffd`;
        this.loneSurrogates++;
        copiedFrom = this.i + 6;
      }
      this.i += 6;
    }
    this.i++;
    return out + this.text.slice(copiedFrom, this.i);
  }

  /** The UTF-16 unit of a `\uXXXX` escape at `at`, or -1 if there is none. */
  private escapedUnit(at: number): number {
    if (this.text.charCodeAt(at) !== BACKSLASH || this.text[at + 1] !== 'u') return -1;
    return Number.parseInt(this.text.slice(at + 2, at + 6), 16);
  }

  private array(pointer: string): string {
    const elements: string[] = [];
    this.i++;
    this.skipWhitespace();
    while (this.text.charCodeAt(this.i) !== 93) {
      elements.push(this.value(`${pointer}/${elements.length}`));
      this.skipWhitespace();
      if (this.text.charCodeAt(this.i) === 44) this.i++;
      this.skipWhitespace();
    }
    this.i++;
    return `[${elements.join(',')}]`;
  }

  /** An object with one member per key: a repeated key keeps its last member, in that member's place. */
  private object(pointer: string): string {
    const members: { name: string; text: string }[] = [];
    this.i++;
    this.skipWhitespace();
    while (this.text.charCodeAt(this.i) === QUOTE) {
      const key = this.string();
      const name = JSON.parse(key) as string;
      this.skipWhitespace();
      this.i++; // the colon
      const value = this.value(`${pointer}/${pointerToken(name)}`);
      members.push({ name, text: `${key}:${value}` });
      this.skipWhitespace();
      if (this.text.charCodeAt(this.i) === 44) this.i++;
      this.skipWhitespace();
    }
    this.i++;
    const last = new Map(members.map((member, index) => [member.name, index]));
    if (last.size === members.length) return `{${members.map((m) => m.text).join(',')}}`;
    const reported = new Set<string>();
    members.forEach((member, index) => {
      if (last.get(member.name) !== index && !reported.has(member.name)) {
        reported.add(member.name);
        this.repeatedKeys.push(`${pointer}/${pointerToken(member.name)}`);
      }
    });
    return `{${members
      .filter((member, index) => last.get(member.name) === index)
      .map((m) => m.text)
      .join(',')}}`;
  }
}
