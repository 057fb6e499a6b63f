import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type ImportGraph, readImportGraph, roomGraph, roomOf } from '../test/support/import-graph';
import { findSection, replaceSection } from './generated-section';

/**
 * The README's room diagram: the rooms of the source (folders that hold one kind of thing) and the
 * imports between them, read from the code, drawn as a house. FLOORS is the plan: each room stands
 * on the floors below it, so every import points down; an import up or along a floor is an arrow
 * back, which the test refuses (test/docs/room-diagram.test.ts), like a cycle.
 */

export const README = fileURLToPath(new URL('../README.md', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));
export const BEGIN_MARKER = '<!-- rooms: generated from the imports by `npm run docs:rooms` -->';
export const END_MARKER = '<!-- rooms: end -->';
const MARKERS = { begin: BEGIN_MARKER, end: END_MARKER };

/** The rooms drawn, top floor first, each with what it holds (the label under its name). */
export const FLOORS: readonly (readonly (readonly [room: string, holds: string])[])[] = [
  [['cli', 'the op-events CLI']],
  [
    ['local', 'loopback stand-ins'],
    ['infra/app', 'the CDK app'],
  ],
  [['infra/constructs', 'the pipeline and its parts']],
  [['infra/props', 'props and validation']],
  [
    ['functions', 'Lambda entry points'],
    ['functions/detections', 'the scheduled rules Lambda'],
    ['infra/defaults', 'secure defaults, timing'],
    ['infra/compliance', 'cdk-nag, NIST review'],
  ],
  [['shared/collector/run', 'the run loop']],
  [
    ['shared/collector/delivery', 'lines, records, Firehose'],
    ['shared/collector/state', 'the cursor row'],
  ],
  [
    ['shared/collector/events-api', 'the Events API client'],
    ['shared/detections', 'detection rules, alerts'],
  ],
  [['shared/sql', 'tables, views, queries']],
  [['shared/contracts', 'names both sides agree on']],
  [['shared/util', 'helpers, no project knowledge']],
];

const ROOMS = FLOORS.flat().map(([room]) => room);
const floorOf = new Map(FLOORS.flatMap((floor, index) => floor.map(([room]) => [room, index] as const)));
const holds = new Map(FLOORS.flat());

/** The folders whose imports are drawn. */
export const DRAWN_FOLDERS = ['cli', 'functions', 'infra', 'local', 'shared'] as const;

/** The imports between drawn rooms, each room with the rooms it imports (sorted). */
export function drawnRoomGraph(graph: ImportGraph): Map<string, string[]> {
  const outside = [...graph.keys()].filter((path) => !floorOf.has(roomOf(path, ROOMS)));
  if (outside.length > 0) {
    throw new Error(
      `room diagram: ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} in no room of the ` +
        `plan; add ${outside.length === 1 ? 'its folder' : 'their folders'} to FLOORS in ` +
        'scripts/room-diagram.ts',
    );
  }
  return roomGraph(graph, ROOMS);
}

/** Each import that does not point down the house: to a room on the same floor or above. */
export function arrowsBack(rooms: ReadonlyMap<string, readonly string[]>): string[] {
  const back: string[] = [];
  for (const [from, targets] of rooms) {
    for (const to of targets) {
      const [a, b] = [floorOf.get(from), floorOf.get(to)];
      if (a === undefined || b === undefined || a < b) continue;
      back.push(
        `${from} (floor ${a + 1}) imports ${to} (floor ${b + 1}), drawn ${a === b ? 'beside' : 'above'} it`,
      );
    }
  }
  return back.sort();
}

const nodeId = (room: string) => room.replaceAll(/[^a-z]/g, '_');

/** Whether `to` can be reached from `from` along the imports without taking the direct one. */
function reachableAround(rooms: ReadonlyMap<string, readonly string[]>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const todo = (rooms.get(from) ?? []).filter((next) => next !== to);
  while (todo.length > 0) {
    const room = todo.pop() as string;
    if (room === to) return true;
    if (seen.has(room)) continue;
    seen.add(room);
    todo.push(...(rooms.get(room) ?? []));
  }
  return false;
}

/**
 * The imports drawn: each import between drawn rooms, less those a longer path of imports already
 * shows (nearly every room imports shared/util; one arrow into it says as much as twelve).
 */
export function drawnArrows(rooms: ReadonlyMap<string, readonly string[]>): [from: string, to: string][] {
  const arrows: [string, string][] = [];
  for (const [from, targets] of rooms) {
    if (!floorOf.has(from)) continue;
    for (const to of targets) {
      if (floorOf.has(to) && !reachableAround(rooms, from, to)) arrows.push([from, to]);
    }
  }
  return arrows;
}

/**
 * The Mermaid flowchart: one node per room that has modules, its imports as arrows, and invisible
 * links (`~~~`) from each floor to the next, which hold every room on its own floor.
 */
export function renderRoomDiagram(rooms: ReadonlyMap<string, readonly string[]>): string {
  const present = FLOORS.map((floor) =>
    floor.filter(([room]) => rooms.has(room)).map(([room]) => room),
  ).filter((floor) => floor.length > 0);
  const lines = ['```mermaid', 'flowchart TB'];
  for (const room of present.flat()) {
    lines.push(`  ${nodeId(room)}["${room}/<br/><small>${holds.get(room)}</small>"]`);
  }
  for (const [from, to] of drawnArrows(rooms)) lines.push(`  ${nodeId(from)} --> ${nodeId(to)}`);
  present.forEach((floor, index) => {
    const below = present[index + 1];
    if (below === undefined) return;
    for (const room of below) lines.push(`  ${nodeId(floor[0] as string)} ~~~ ${nodeId(room)}`);
  });
  lines.push('```');
  return lines.join('\n');
}

/** The README's generated part, markers included. */
export function renderSection(graph: ImportGraph): string {
  return [BEGIN_MARKER, renderRoomDiagram(drawnRoomGraph(graph)), END_MARKER].join('\n');
}

export function currentImportGraph(): ImportGraph {
  return readImportGraph(REPO, DRAWN_FOLDERS).graph;
}

/** The README's generated part as it stands (undefined without the markers). */
export function generatedSection(text: string): string | undefined {
  return findSection(text, MARKERS);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = readFileSync(README, 'utf8');
  writeFileSync(README, replaceSection(text, MARKERS, renderSection(currentImportGraph()), README));
  console.log(`Updated the room diagram in ${README}.`);
}
