import { parseHTML } from 'linkedom';

/** A flowchart as Mermaid itself read it: its nodes' labels by id and its arrows. */
export interface Flowchart {
  readonly type: string;
  readonly labels: ReadonlyMap<string, string>;
  /** Arrows as drawn; an invisible link (`a ~~~ b`, which only places b below a) is left out. */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly label: string }[];
}

interface FlowDb {
  getVertices(): Map<string, { id: string; text?: string }>;
  getEdges(): { start: string; end: string; text?: string; type?: string; stroke?: string }[];
}

/**
 * Mermaid's own parser, the one GitHub renders README diagrams with, run in Node: it needs a DOM
 * only to sanitize labels, which linkedom's document provides without a browser. A text Mermaid
 * cannot read throws its parse error.
 */
export async function parseFlowchart(text: string): Promise<Flowchart> {
  if (!('document' in globalThis)) {
    const { window } = parseHTML('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { window, document: window.document });
  }
  const { default: mermaid } = await import('mermaid');
  // parse() registers the diagram types on its first call and throws Mermaid's own parse error.
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as FlowDb;
  const labels = new Map(
    [...db.getVertices().values()].map((vertex) => [vertex.id, vertex.text ?? vertex.id]),
  );
  const visible = db.getEdges().filter((edge) => edge.stroke !== 'invisible');
  const edges = visible.map((edge) => ({ from: edge.start, to: edge.end, label: edge.text ?? '' }));
  // `a <--> b` is one edge that Mermaid draws with a head at each end.
  const both = visible
    .filter((edge) => edge.type === 'double_arrow_point')
    .map((edge) => ({ from: edge.end, to: edge.start, label: edge.text ?? '' }));
  return { type: diagram.type, labels, edges: [...edges, ...both] };
}

/** The text of every ```mermaid block of a Markdown page, in order. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((match) => match[1] as string);
}

/** A node's title: the first line of its label. */
export function titleOf(chart: Flowchart, id: string): string {
  return (chart.labels.get(id) ?? id).split('<br/>')[0] as string;
}

/** Every arrow as `from title -> to title`, both ways for a double-headed one. */
export function arrowsByTitle(chart: Flowchart): string[] {
  return chart.edges.map((edge) => `${titleOf(chart, edge.from)} -> ${titleOf(chart, edge.to)}`);
}
