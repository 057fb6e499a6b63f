import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A 26-character base32 identifier, as 1Password's uuids look (not RFC 4122). */
export function base32Id(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let id = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && id.length < 26) {
      id += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (id.length < 26) throw new RangeError('base32Id needs at least 17 bytes');
  return id;
}

/** A stable identifier derived from text (never reversible to it). */
export function base32IdOf(text: string): string {
  return base32Id(createHash('sha256').update(text).digest());
}
