import { XMLValidator } from 'fast-xml-parser';

/** The XML parser's complaint about an SVG text, or undefined when it is well-formed. */
export function xmlError(svg: string): string | undefined {
  const result = XMLValidator.validate(svg);
  return result === true
    ? undefined
    : `${result.err.msg} (line ${result.err.line}, column ${result.err.col})`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of every <title> of an SVG (the chart's own first), entities decoded. */
export function titlesOf(svg: string): string[] {
  return [...svg.matchAll(/<title[^>]*>([^<]*)<\/title>/g)].map((match) =>
    (match[1] as string).replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] as string),
  );
}

/** The text of every <text> element of an SVG: what a reader sees written on the chart. */
export function textsOf(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) =>
    (match[1] as string).replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] as string),
  );
}
