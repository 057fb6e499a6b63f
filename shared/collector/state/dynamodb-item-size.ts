import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * The size DynamoDB counts for an item against its 400 KB limit (shared/contracts/aws-limits.ts): each
 * attribute's name in UTF-8 bytes plus its value. Strings and binaries count their bytes, numbers one
 * byte per two significant digits plus one, booleans and nulls one byte, lists and maps three bytes
 * plus one per element plus their elements ("DynamoDB item sizes and formats").
 */
export function itemSizeBytes(item: Readonly<Record<string, AttributeValue>>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += attributeSizeBytes(name, value);
  return bytes;
}

/** One attribute: its name and its value. */
export function attributeSizeBytes(name: string, value: AttributeValue): number {
  return Buffer.byteLength(name, 'utf8') + valueSizeBytes(value);
}

function valueSizeBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) return numberSizeBytes(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSizeBytes(n), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.length, 0);
  if (value.L !== undefined) return value.L.reduce((sum, element) => sum + 1 + valueSizeBytes(element), 3);
  if (value.M !== undefined) {
    return Object.entries(value.M).reduce(
      (sum, [name, element]) => sum + 1 + attributeSizeBytes(name, element),
      3,
    );
  }
  return 0;
}

function numberSizeBytes(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}
