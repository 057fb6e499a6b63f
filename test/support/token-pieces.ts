import { expect } from 'vitest';

/** Every 12-character piece of a token and of each of its three parts (what must never be shown). */
export function tokenPieces(token: string): string[] {
  const pieces = new Set<string>();
  for (const part of [token, ...token.split('.')]) {
    for (let i = 0; i + 12 <= part.length; i++) pieces.add(part.slice(i, i + 12));
  }
  return [...pieces];
}

/** Fails naming the first piece of the token found in the text, in any letter case. */
export function expectNoTokenPiece(text: string, token: string): void {
  const lower = text.toLowerCase();
  const found = tokenPieces(token).find((piece) => lower.includes(piece.toLowerCase()));
  expect(found, `a piece of the token appears in: ${text.slice(0, 400)}`).toBeUndefined();
}
