import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  arrowsBack,
  currentImportGraph,
  drawnArrows,
  drawnRoomGraph,
  generatedSection,
  README,
  renderSection,
} from '../../scripts/room-diagram';
import { importCycles } from '../support/import-graph';
import { mermaidBlocks, parseFlowchart } from '../support/mermaid';

/** Every room reachable from `room` along `arrows`. */
function reach(arrows: readonly (readonly [string, string])[], room: string): string[] {
  const seen = new Set<string>();
  const todo = [room];
  while (todo.length > 0) {
    const from = todo.pop() as string;
    for (const [a, b] of arrows) {
      if (a === from && !seen.has(b)) {
        seen.add(b);
        todo.push(b);
      }
    }
  }
  return [...seen].sort();
}

describe("the README's room diagram", () => {
  const rooms = drawnRoomGraph(currentImportGraph());

  it('is drawn from the imports as they stand (run `npm run docs:rooms` when it drifts)', () => {
    expect(generatedSection(readFileSync(README, 'utf8'))).toBe(renderSection(currentImportGraph()));
  });

  it('is a flowchart Mermaid reads, whose arrows are imports and whose paths show every import', async () => {
    const [block] = mermaidBlocks(renderSection(currentImportGraph()));
    const chart = await parseFlowchart(block as string);
    const room = (id: string) => (chart.labels.get(id) ?? id).split('/<br/>')[0] as string;
    const drawn = chart.edges.map((edge) => [room(edge.from), room(edge.to)] as [string, string]);
    const imports = [...rooms].flatMap(([from, targets]) =>
      targets.map((to) => [from, to] as [string, string]),
    );
    for (const [from, to] of drawn) expect(rooms.get(from)).toContain(to);
    for (const [from] of rooms) expect(reach(drawn, from)).toEqual(reach(imports, from));
    expect(drawn.length).toBeLessThan(imports.length);
  });

  it('has no arrow back: every room imports only rooms on the floors below it', () => {
    expect(arrowsBack(rooms)).toEqual([]);
  });

  it('has no cycle between rooms', () => {
    expect(importCycles(rooms)).toEqual([]);
  });
});

describe('the room diagram checks', () => {
  it('name an import up the house or along a floor', () => {
    const graph = new Map([
      ['shared/util', ['shared/contracts']],
      ['shared/collector/delivery', ['shared/collector/state']],
      ['cli', ['shared/util']],
    ]);
    expect(arrowsBack(graph)).toEqual([
      'shared/collector/delivery (floor 7) imports shared/collector/state (floor 7), drawn beside it',
      'shared/util (floor 11) imports shared/contracts (floor 10), drawn above it',
    ]);
  });

  it('refuse a room the plan does not place, naming it', () => {
    const graph = new Map([
      ['shared/newroom/thing.ts', ['shared/util/errors.ts']],
      ['shared/util/errors.ts', []],
    ]);
    expect(() => drawnRoomGraph(graph)).toThrow(
      'room diagram: shared/newroom/thing.ts is in no room of the plan; add its folder to FLOORS in scripts/room-diagram.ts',
    );
  });

  it('leave out an arrow that a longer path already shows, and keep the direct ones', () => {
    const graph = new Map([
      ['cli', ['local', 'shared/contracts', 'shared/util']],
      ['local', ['shared/contracts']],
      ['shared/contracts', ['shared/util']],
      ['shared/util', []],
    ]);
    expect(drawnArrows(graph)).toEqual([
      ['cli', 'local'],
      ['local', 'shared/contracts'],
      ['shared/contracts', 'shared/util'],
    ]);
  });
});
