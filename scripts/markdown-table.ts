/** A table cell's text: a `|` escaped, a line break made a space (either would end the cell). */
export const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A Markdown table row of these cells (escaped by `cell` where they hold text). */
export const row = (...cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
