/**
 * RESULTS.md with summary rows and a section put in by a bench that measures only part of it
 * (npm run bench:report, npm run bench:detections): each row replaces the row of the same title
 * (its first cell) or goes at the end of the summary table; the section replaces the one of the same
 * title or goes before "Left to do". Everything else is left as it was.
 */
export function withRowsAndSection(
  results: string,
  rows: readonly (readonly string[])[],
  sectionTitle: string,
  section: string,
): string {
  const lines = results.split('\n');
  for (const row of rows) {
    const rowText = `| ${row.join(' | ')} |`;
    const existing = lines.findIndex((line) => line.startsWith(`| ${row[0]} |`));
    if (existing >= 0) {
      lines[existing] = rowText;
      continue;
    }
    const summary = lines.indexOf('## Summary');
    let last = lines.findIndex((line, i) => i > summary && line.startsWith('|'));
    while (lines[last + 1]?.startsWith('|')) last += 1;
    if (summary < 0 || last < 0) throw new Error('RESULTS.md has no summary table');
    lines.splice(last + 1, 0, rowText);
  }
  let text = lines.join('\n');
  const start = text.indexOf(sectionTitle);
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + sectionTitle.length);
    text = `${text.slice(0, start)}${section}\n${next >= 0 ? text.slice(next) : '\n'}`;
  } else {
    const leftToDo = text.indexOf('## Left to do');
    if (leftToDo < 0) throw new Error('RESULTS.md has no "## Left to do" section');
    text = `${text.slice(0, leftToDo)}${section}\n\n${text.slice(leftToDo)}`;
  }
  return text;
}
