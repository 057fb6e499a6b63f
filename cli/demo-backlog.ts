import { loadConfig } from '../shared/collector/run/environment';
import { resetStartMs } from '../shared/collector/run/page-requests';
import type { CursorStore } from '../shared/collector/state/cursor-store';
import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';
import { toWholeSecondRfc3339 } from '../shared/util/timestamp';
import type { DemoApi } from './demo-data';

/**
 * What a demo start is about to collect, per type, so the banner's numbers are the table's: the events
 * after the stored cursor, or (a type never collected, or reset) from where the collector's first run
 * starts. That is more than this start's new events when an earlier start left some (it ran with
 * --types, or stopped early). Undefined for a type whose cursor the simulator would refuse.
 */
export async function demoEventsToCollect(
  api: DemoApi,
  store: CursorStore,
  types: readonly EventType[],
  collectorEnv: (type: EventType) => NodeJS.ProcessEnv,
  nowMs: number,
): Promise<Partial<Record<EventType, number>>> {
  const waiting: Partial<Record<EventType, number>> = {};
  for (const type of types) {
    const state = await store.read(type);
    const from = state.cursor
      ? { cursor: state.cursor }
      : { startTime: toWholeSecondRfc3339(resetStartMs(loadConfig(collectorEnv(type)), state, nowMs)) };
    const count = api.simulator.waitingEvents(type, from);
    if (count !== undefined) waiting[type] = count;
  }
  return waiting;
}

/** `121 demo events (auditevents 9, itemusages 66, signinattempts 46)` for the types given. */
export function perTypeText(counts: Partial<Record<EventType, number>>, noun: string): string {
  const types = EVENT_TYPES.filter((type) => counts[type] !== undefined);
  const total = types.reduce((sum, type) => sum + (counts[type] ?? 0), 0);
  const parts = types.map((type) => `${type} ${(counts[type] ?? 0).toLocaleString('en-US')}`).join(', ');
  return `${total.toLocaleString('en-US')} ${noun} (${parts})`;
}
