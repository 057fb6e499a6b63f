const DECIMAL_INTEGER = /^-?[0-9]+$/;

/**
 * The whole number a setting's text spells in decimal digits (an optional leading minus), or
 * undefined. `Number()` would also take `1e3`, `0x10`, `0b1`, `1.0`, `+5`, blanks and numbers past
 * 2^53; a setting holding any of those is a mistake worth naming, not a number to guess at.
 */
export function parseDecimalInteger(text: string): number | undefined {
  if (!DECIMAL_INTEGER.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return undefined;
  return value === 0 ? 0 : value;
}
