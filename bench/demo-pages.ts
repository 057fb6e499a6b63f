import { type EventsApiSimulator, generateDemoEvents } from '../local/events-api-simulator';
import type { EventType } from '../shared/contracts/event-types';

/** A realistic-length opaque cursor (the API's are long base64-like strings). */
const CURSOR =
  'aGVsbG8tY3Vyc29yLWZvci1iZW5jaG1hcmtzLW9ubHktbm90LWEtcmVhbC1jdXJzb3ItZnJvbS0xcGFzc3dvcmQ'.repeat(2);

/** One day of demo activity, deterministic for a seed: the simulator's own event generator. */
export function demoEventTexts(type: EventType, count: number, seed = 1): string[] {
  return generateDemoEvents(type, count, {
    start: '2026-01-01T00:00:00Z',
    end: '2026-01-02T00:00:00Z',
    seed,
  }).map((event) => JSON.stringify(event));
}

/** Appends `count` demo events of a type to a simulator, deterministic for `seed`. */
export function seedDemoEvents(
  simulator: Pick<EventsApiSimulator, 'addEventTexts'>,
  type: EventType,
  count: number,
  seed: number,
): void {
  simulator.addEventTexts(type, demoEventTexts(type, count, seed));
}

/** A page body as the simulator (and the API) sends it: cursor, has_more, then the items. */
export function pageBody(eventTexts: readonly string[], hasMore = true): string {
  return `{"cursor":"${CURSOR}","has_more":${hasMore},"items":[${eventTexts.join(',')}]}`;
}
