import type { UsageError } from './exit-codes';
import { athenaSqlRefusals } from './usage-errors';

/**
 * Whether SQL for `query --stack` only reads. Athena has no way to ask what a statement will do
 * before it runs, so the text is read here with Trino's lexical rules: `--` and `/* *\/` comments,
 * '...' strings, "..." and `...` quoted names (a doubled quote stays inside), `;` between
 * statements. Text that reads differently under Hive's rules (a backslash before a quote) can only
 * make this see more statements, never another first keyword. Only the statement's
 * leading keyword decides, and anything that is not plainly a query is refused: SELECT, WITH, VALUES,
 * TABLE, SHOW, DESCRIBE, and EXPLAIN or EXPLAIN ANALYZE of one of those. EXPLAIN ANALYZE runs the
 * statement it explains, and Athena accepts CREATE TABLE AS SELECT and INSERT INTO there
 * (docs.aws.amazon.com/athena/latest/ug/athena-explain-statement.html), so what follows EXPLAIN is
 * checked like a statement of its own.
 */
const READING_KEYWORDS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW', 'DESCRIBE', 'DESC']);

/** EXPLAIN's option names: `EXPLAIN (TYPE ..., FORMAT ...) statement`. */
const EXPLAIN_OPTIONS = new Set(['TYPE', 'FORMAT']);

interface Token {
  /** A word upper-cased, or one punctuation character. */
  readonly text: string;
  readonly word: boolean;
}

class UnreadableSql extends Error {}

const QUOTES: Readonly<Record<string, string>> = { "'": "'", '"': '"', '`': '`' };

/** The words and punctuation of `sql`, comments and quoted text left out (quoted text as one token). */
function lex(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const char = sql[i] as string;
    if (/\s/.test(char)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new UnreadableSql('a comment that is never closed');
      i = end + 2;
    } else if (QUOTES[char]) {
      let end = i + 1;
      for (;;) {
        end = sql.indexOf(char, end);
        if (end === -1) throw new UnreadableSql('a quote that is never closed');
        if (sql[end + 1] !== char) break;
        end += 2;
      }
      tokens.push({ text: char, word: false });
      i = end + 1;
    } else {
      const word = /^[\p{L}_][\p{L}\p{N}_@$]*/u.exec(sql.slice(i, i + 256))?.[0];
      tokens.push(word ? { text: word.toUpperCase(), word: true } : { text: char, word: false });
      i += word ? word.length : 1;
    }
  }
  return tokens;
}

/** The statements of `tokens`, split at `;` (empty ones, as after a final `;`, left out). */
function statements(tokens: readonly Token[]): Token[][] {
  const split: Token[][] = [[]];
  for (const token of tokens) {
    if (token.text === ';') split.push([]);
    else split[split.length - 1]?.push(token);
  }
  return split.filter((statement) => statement.length > 0);
}

/** Undefined when the statement only reads; otherwise the keywords that say what it is. */
function writingKind(statement: readonly Token[]): string | undefined {
  let at = 0;
  while (statement[at]?.text === '(') at++;
  const first = statement[at];
  if (!first?.word) return first ? `a statement starting "${first.text}"` : 'an empty statement';
  if (READING_KEYWORDS.has(first.text)) return undefined;
  if (first.text !== 'EXPLAIN') {
    const second = statement[at + 1];
    return second?.word ? `${first.text} ${second.text}` : first.text;
  }
  at++;
  if (statement[at]?.text === 'ANALYZE') at++;
  if (statement[at]?.text === 'VERBOSE') at++;
  if (statement[at]?.text === '(' && EXPLAIN_OPTIONS.has(statement[at + 1]?.text ?? '')) {
    const close = statement.findIndex((token, i) => i > at && token.text === ')');
    at = close === -1 ? statement.length : close + 1;
  }
  const explained = writingKind(statement.slice(at));
  return explained === undefined ? undefined : `EXPLAIN of ${explained}`;
}

/** Refuses (exit 2) SQL for Athena that could write, unless --allow-write says it may. */
export function requireReadOnlyAthenaSql(sql: string): void {
  let parts: Token[][];
  try {
    parts = statements(lex(sql));
  } catch (error) {
    if (!(error instanceof UnreadableSql)) throw error;
    throw refusal(`it holds ${error.message}, so what it would run cannot be told`);
  }
  if (parts.length > 1) {
    throw refusal(`it holds ${parts.length} statements (Athena runs one per query)`);
  }
  const kind = writingKind(parts[0] ?? []);
  if (kind !== undefined) throw refusal(`it is ${kind}, which can change tables, partitions or S3`);
}

function refusal(why: string): UsageError {
  return athenaSqlRefusals.notReadOnly(why);
}
