import type { EventType } from '../contracts/event-types';

/** The views or saved queries a deployment of `eventTypes` can serve: every table they read exists. */
export function servedBy<T extends { readonly eventTypes: readonly EventType[] }>(
  definitions: readonly T[],
  eventTypes: readonly EventType[],
): T[] {
  return definitions.filter((definition) => definition.eventTypes.every((type) => eventTypes.includes(type)));
}
