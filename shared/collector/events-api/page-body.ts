/**
 * Reads an Events API response body. Besides the parsed page it keeps each item's original JSON
 * text, so the collector can write every event exactly as the API sent it (numbers, escapes and
 * key order included) instead of a re-serialisation.
 */
export interface ParsedPage {
  readonly cursor: string;
  readonly hasMore: boolean;
  /** Parsed items, for checks and bookkeeping only. */
  readonly items: readonly unknown[];
  /** Each item's JSON text as sent (whitespace-free), same order as `items`. */
  readonly rawItems: readonly string[];
  /**
   * Positions of the items whose text JSON readers do not all read alike: a key repeated within one
   * object, or a lone surrogate escape (shared/collector/events-api/json-ambiguity.ts). Known once `rawItems`
   * was read.
   */
  readonly ambiguousItems?: ReadonlySet<number>;
}

/** The body is not a page: it names the field at fault. */
export class MalformedPageError extends Error {
  override readonly name = 'MalformedPageError';
}

/** What is wrong with a body, one named factory each (the client adds where it came from). */
const malformedPage = {
  // The parser's message quotes the body around the fault, which may be anything a server sent.
  notJson(length: number) {
    return new MalformedPageError(`the body is not complete JSON (${length} characters)`);
  },
  notAnObject() {
    return new MalformedPageError('the body is not a JSON object');
  },
  noCursor() {
    return new MalformedPageError('"cursor" is missing or not a string');
  },
  noHasMore() {
    return new MalformedPageError('"has_more" is missing or not a boolean');
  },
  itemsNotAnArray() {
    return new MalformedPageError('"items" is not an array');
  },
  keyTwice(name: string) {
    return new MalformedPageError(
      `the page body has the top-level key ${JSON.stringify(name)} twice, so which events and cursor it ` +
        'means is ambiguous. Nothing of it was delivered or committed; the next run asks for the same ' +
        'page again.',
    );
  },
};

export function parsePageBody(body: string): ParsedPage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw malformedPage.notJson(body.length);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformedPage.notAnObject();
  }
  const page = parsed as Record<string, unknown>;
  if (typeof page.cursor !== 'string') throw malformedPage.noCursor();
  if (typeof page.has_more !== 'boolean') throw malformedPage.noHasMore();
  const items = page.items ?? [];
  if (!Array.isArray(items)) throw malformedPage.itemsNotAnArray();
  return new PageBody(page.cursor, page.has_more, items, body);
}

/**
 * A parsed page whose item texts are found on first use: the collector requests the next page (it
 * needs only the cursor) before this. A class rather than an object with a getter closing over the
 * parsed items: V8 kept such closures' parsed pages alive through young-generation collections,
 * which tripled the cost of reading a page (bench/hot-path.ts).
 */
class PageBody implements ParsedPage {
  private texts: readonly string[] | undefined;
  private ambiguous: ReadonlySet<number> | undefined;

  constructor(
    readonly cursor: string,
    readonly hasMore: boolean,
    readonly items: readonly unknown[],
    private readonly body: string,
  ) {}

  get rawItems(): readonly string[] {
    if (this.texts === undefined) {
      const found = findItems(this.body);
      const usable = found && found.texts.length === this.items.length ? found : undefined;
      const texts = usable ? usable.texts : this.items.map((item) => JSON.stringify(item));
      this.ambiguous = ambiguousItems(this.body, texts, this.items, usable?.members);
      this.texts = texts;
    }
    return this.texts;
  }

  get ambiguousItems(): ReadonlySet<number> | undefined {
    return this.ambiguous;
  }
}

/**
 * The items readers may read differently. A key repeated within an object is seen by counting: the
 * text has more members than the parsed item (JSON.parse keeps one of each name); the scan that cut
 * the texts counted them. A lone surrogate escape is looked for only in a body that has a `\uD...`
 * escape at all.
 */
function ambiguousItems(
  body: string,
  texts: readonly string[],
  items: readonly unknown[],
  members: readonly number[] | undefined,
): ReadonlySet<number> {
  const found = new Set<number>();
  if (members) {
    for (let i = 0; i < items.length; i++) if (members[i] !== memberCount(items[i])) found.add(i);
  }
  // includes() first: a regular expression over the whole body costs ~5% of parsing it, includes() ~0.2%.
  if (body.includes('\\ud') || body.includes('\\uD')) {
    texts.forEach((text, i) => {
      if (SURROGATE_ESCAPE.test(text)) found.add(i);
    });
  }
  return found;
}

/** A `\u` escape of a UTF-16 surrogate (paired or not: the slow path tells them apart). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Object members in a parsed JSON value, nested ones included. */
function memberCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const element of value) count += memberCount(element);
    return count;
  }
  for (const key in value) count += 1 + memberCount((value as Record<string, unknown>)[key]);
  return count;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the string whose opening quote is at `i`. */
function endOfString(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/**
 * Set by endOfValue about the value it measured: whether it has whitespace outside its strings, and
 * how many object members (colons outside strings) it holds.
 */
const scan = { sawWhitespace: false, members: 0 };

/** Index just past the JSON value starting at `i` (the text is already known to be valid JSON). */
function endOfValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  scan.sawWhitespace = false;
  scan.members = 0;
  if (first === QUOTE) return endOfString(text, i);
  if (first === 123 || first === 91) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const code = text.charCodeAt(j);
      if (code === QUOTE) {
        j = endOfString(text, j) - 1;
        if (j < 0) return -1;
      } else if (code === 123 || code === 91) depth++;
      else if (code === 125 || code === 93) {
        depth--;
        if (depth === 0) return j + 1;
      } else if (code === COLON) scan.members++;
      else if (isWhitespace(code)) scan.sawWhitespace = true;
    }
    return -1;
  }
  let j = i;
  while (j < text.length) {
    const code = text.charCodeAt(j);
    if (code === 44 || code === 125 || code === 93 || isWhitespace(code)) break;
    j++;
  }
  return j;
}

/**
 * Walks the top-level members of a JSON object's text. `visit` gets each key (its quoted span and
 * its name as parsed: a name may be spelled with escapes) and where the value starts; it returns
 * where the value ends if it read the value itself. False when the text cannot be walked.
 */
function walkMembers(
  text: string,
  visit: (name: string, keyStart: number, keyEnd: number, valueStart: number) => number | undefined,
): boolean {
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== 123) return false;
  i = skipWhitespace(text, i + 1);
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyStart = i;
    const keyEnd = endOfString(text, i);
    if (keyEnd < 0) return false;
    const quoted = text.slice(keyStart, keyEnd);
    const name = quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
    i = skipWhitespace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) return false;
    i = skipWhitespace(text, i + 1);
    i = visit(name, keyStart, keyEnd, i) ?? endOfValue(text, i);
    if (i < 0) return false;
    i = skipWhitespace(text, i);
    if (text.charCodeAt(i) === 44) i = skipWhitespace(text, i + 1);
  }
  return true;
}

/** A top-level key of a JSON object's text: the span of its quoted name, and the name as parsed. */
export interface KeySpan {
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

/**
 * The top-level keys of a JSON object's text, in order, repeats included; undefined if it is not an object.
 */
export function topLevelKeys(text: string): KeySpan[] | undefined {
  const keys: KeySpan[] = [];
  const walked = walkMembers(text, (name, start, end) => {
    keys.push({ start, end, name });
    return undefined;
  });
  return walked ? keys : undefined;
}

/**
 * The original text of each element of the top-level "items" array, whitespace outside strings
 * removed (pretty-printed bodies); undefined when it cannot tell. A body with a top-level key twice
 * is refused: JSON.parse keeps the last, this scan would find the first, and which events and
 * cursor the page means is ambiguous.
 */
export function findItemTexts(text: string): string[] | undefined {
  return findItems(text)?.texts;
}

/** findItemTexts, with each item's count of object members (nested ones included) as written. */
function findItems(text: string): FoundItems | undefined {
  let items: FoundItems | undefined;
  const names = new Set<string>();
  const walked = walkMembers(text, (name, _start, _end, valueStart) => {
    if (names.has(name)) throw malformedPage.keyTwice(name);
    names.add(name);
    if (name !== 'items' || text.charCodeAt(valueStart) !== 91) return undefined;
    const found = elementTexts(text, valueStart);
    items = found;
    return found ? found.end : -1;
  });
  return walked ? items : undefined;
}

interface FoundItems {
  readonly texts: string[];
  /** Object members written in each text, nested ones included. */
  readonly members: number[];
  readonly end: number;
}

function elementTexts(text: string, arrayStart: number): FoundItems | undefined {
  const elements: string[] = [];
  const members: number[] = [];
  let i = skipWhitespace(text, arrayStart + 1);
  while (i < text.length && text.charCodeAt(i) !== 93) {
    const end = endOfValue(text, i);
    if (end < 0) return undefined;
    // Compact bodies (the usual case) need no second pass over the element.
    elements.push(scan.sawWhitespace ? compactJson(text.slice(i, end)) : text.slice(i, end));
    members.push(scan.members);
    i = skipWhitespace(text, end);
    if (text.charCodeAt(i) === 44) i = skipWhitespace(text, i + 1);
  }
  return i < text.length ? { texts: elements, members, end: i + 1 } : undefined;
}

/** Removes whitespace outside strings (pretty-printed bodies), leaving every token as sent. */
export function compactJson(text: string): string {
  if (!/[\n\r\t ]/.test(text)) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = endOfString(text, i) - 1;
    } else if (isWhitespace(code)) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return out + text.slice(from);
}
