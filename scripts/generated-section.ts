/**
 * A docs page's generated part: the text between a begin and an end marker line, rewritten by an
 * `npm run docs:*` script and compared by a test, so the page cannot drift from the code it shows.
 */
export interface SectionMarkers {
  readonly begin: string;
  readonly end: string;
}

/** The generated part of a page, markers included (undefined when the markers are missing). */
export function findSection(text: string, markers: SectionMarkers): string | undefined {
  const begin = text.indexOf(markers.begin);
  const end = text.indexOf(markers.end, begin);
  if (begin < 0 || end < begin) return undefined;
  return text.slice(begin, end + markers.end.length);
}

/** The page with its generated part replaced by `section` (markers included); fails without markers. */
export function replaceSection(text: string, markers: SectionMarkers, section: string, page: string): string {
  const current = findSection(text, markers);
  if (current === undefined) throw new Error(`${page} has no ${markers.begin} ... ${markers.end} section`);
  return text.replace(current, () => section);
}
