/** Everything a terminal acts on that can hide in text from outside: ESC sequences, C0, DEL, C1, bidi. */
export const HOSTILE =
  '\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u009b1m\u202eevil\u2066x\u2069\u200f\u061c\r\u0000\u007f\u0085\u2028';

/** Any character a terminal would act on, line feed and tab left out (they may separate lines and cells). */
export const RAW_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
