import { neutraliseControls } from '../terminal-text';

/**
 * Text from events (names, emails, actions, countries) as HTML: every character a browser could
 * read as markup is an entity, and every control or bidirectional formatting character is shown as
 * its `\uXXXX` escape, as the CLI shows them on a terminal (cli/terminal-text.ts), so a value can
 * neither add markup nor reorder what is around it. Safe in element text and in quoted attributes.
 */
export function html(text: string): string {
  return neutraliseControls(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A number with thousands separators (the page is in English). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
