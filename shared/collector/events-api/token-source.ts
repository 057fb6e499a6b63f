import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { untilDeadline } from '../../util/aws-call';
import { SecretError } from '../../util/errors';
import { rememberSecret } from '../../util/redaction';
import { secretRefusals } from './events-api-errors';

/** Supplies the Events API bearer token; a read it makes ends by `deadlineMs` when one is given. */
export interface TokenSource {
  get(deadlineMs?: number): Promise<string>;
  /** Reads the secret again (after a 401); true when the token changed. */
  refresh(deadlineMs?: number): Promise<boolean>;
}

/**
 * The secret's value is the bare token, or JSON with a `token` key; a token with a stray character is
 * refused.
 */
export function tokenFromSecretString(secretId: string, value: string | undefined): string {
  const trimmed = (value ?? '').trim();
  const howToSave = secretRefusals.howToSave(secretId);
  if (trimmed === '') throw secretRefusals.noValue(secretId);
  if (!trimmed.startsWith('{')) return checkedToken(trimmed, `Secret ${secretId}`, howToSave);
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    throw secretRefusals.notJson(secretId);
  }
  const token = (parsed as { token?: unknown }).token;
  if (token === '') throw secretRefusals.placeholder(secretId);
  if (typeof token !== 'string' || token.trim() === '') throw secretRefusals.noTokenKey(secretId);
  return checkedToken(token.trim(), `Secret ${secretId}`, howToSave);
}

/**
 * Fewer characters than any token 1Password issues: the smallest JWT signed with ES256 (header
 * `{"alg":"ES256"}`, an empty payload, a 64-byte signature) is 111 characters, and real tokens,
 * with their claims, run to several hundred. A shorter value is a cut-off copy or not the token.
 */
export const MIN_TOKEN_LENGTH = 100;

/** Printable ASCII characters a bearer token never holds: JSON's quote and escape. */
const QUOTE_OR_ESCAPE = new Set(['"', '\\']);

/**
 * The token if every character is one a bearer token can hold (printable ASCII, no space, no `"` or
 * `\`: a JWT is letters, digits, "-", "_" and ".") and it is long enough to be one. Otherwise a
 * SecretError that says which kind of character stands where, or how long the value is, never the
 * token's content, and how to store it again. Every token that is used passes here first, so one
 * pasted with a line break inside, or with its JSON quotes, is never cached or sent.
 */
export function checkedToken(token: string, holder: string, howToSave: string): string {
  const characters = [...token];
  const at = characters.findIndex((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x21 || code > 0x7e || QUOTE_OR_ESCAPE.has(c);
  });
  // Remembered either way: a refused value is the real token plus a stray character.
  rememberSecret(characters.filter((c) => c >= '!' && c <= '~' && !QUOTE_OR_ESCAPE.has(c)).join(''));
  if (at >= 0) {
    const stray = characters[at] ?? '';
    throw secretRefusals.strayCharacter(
      holder,
      {
        character: characterKind(stray),
        position: at + 1,
        length: characters.length,
        quoted: QUOTE_OR_ESCAPE.has(stray),
      },
      howToSave,
    );
  }
  if (characters.length < MIN_TOKEN_LENGTH) {
    throw secretRefusals.tooShort(holder, characters.length, MIN_TOKEN_LENGTH, howToSave);
  }
  rememberSecret(token);
  return token;
}

/** What kind of character a code point is, named with its code (never the token around it). */
function characterKind(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  let kind = 'a character outside printable ASCII';
  if (code === 0x0a || code === 0x0b || code === 0x0c || code === 0x85 || code === 0x2028 || code === 0x2029)
    kind = 'a line break';
  else if (code === 0x0d) kind = 'a carriage return';
  else if (code === 0x09) kind = 'a tab';
  else if (/\p{Zs}/u.test(character)) kind = 'a space';
  else if (/[\p{Cf}\u115F\u1160\u3164]/u.test(character)) kind = 'an invisible character';
  else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) kind = 'a control character';
  else if (character === '"') kind = 'a double quote';
  else if (character === '\\') kind = 'a backslash';
  return `${kind} (${hex})`;
}

/**
 * Reads the token from Secrets Manager and keeps it for a short while across warm invocations, so a
 * rotated token is picked up within `maxAgeMs` (and at once after a 401, through `refresh`).
 */
export class SecretsManagerTokenSource implements TokenSource {
  private cached: { token: string; readAt: number } | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(deadlineMs?: number): Promise<string> {
    if (this.cached && this.now() - this.cached.readAt < this.maxAgeMs) return this.cached.token;
    const token = await this.read(deadlineMs);
    this.cached = { token, readAt: this.now() };
    return token;
  }

  async refresh(deadlineMs?: number): Promise<boolean> {
    const previous = this.cached?.token;
    this.cached = undefined;
    return (await this.get(deadlineMs)) !== previous;
  }

  private async read(deadlineMs: number | undefined): Promise<string> {
    try {
      const answer = await this.client.send(
        new GetSecretValueCommand({ SecretId: this.secretId }),
        untilDeadline(deadlineMs, this.now),
      );
      return tokenFromSecretString(this.secretId, answer.SecretString);
    } catch (error) {
      if (error instanceof SecretError) throw error;
      const name = error instanceof Error ? error.name : '';
      if (name === 'ResourceNotFoundException') throw secretRefusals.missing(this.secretId, error);
      if (name === 'AccessDeniedException') throw secretRefusals.accessDenied(this.secretId, error);
      if (name === 'InvalidRequestException' || name === 'DecryptionFailure') {
        throw secretRefusals.unreadable(this.secretId, name, error);
      }
      throw secretRefusals.readFailed(this.secretId, name, error);
    }
  }
}
