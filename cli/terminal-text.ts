/**
 * Characters a terminal acts on instead of showing: C0 controls other than line feed and tab (ESC
 * starts the escape sequences that move the cursor, rewrite the screen or set the window title; CR
 * overwrites the line), DEL, the C1 controls (U+009B is CSI, an escape sequence in one character),
 * the bidirectional formatting characters that reorder what is displayed (Unicode TR#9, "Explicit
 * Directional Formatting Characters": U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and the
 * line and paragraph separators U+2028/U+2029.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ACTED_ON = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * `text` with each character a terminal would act on written as its visible escape `\uXXXX`.
 * That is also JSON's escape for the same character, and such characters can only stand inside a
 * JSON string, so a JSON text stays valid and parses to the same value; line feeds and tabs are
 * kept (JSON.stringify escapes those inside strings itself).
 */
export function neutraliseControls(text: string): string {
  return text.replace(ACTED_ON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
