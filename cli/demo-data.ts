import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventsApiSimulator, generateDemoEvents, makeFakeToken } from '../local/events-api-simulator';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../local/private-files';
import { seededRandom } from '../local/seeded-random';
import { demoAccount } from '../local/simulator/demo-events';
import { demoDetectionSettings, detectionScenarioEvents } from '../local/simulator/demo-scenarios';
import { EVENT_TYPES, type EventType } from '../shared/contracts/event-types';

/**
 * Demo data for the local Events API simulator, kept on disk so consecutive local runs make sense:
 * each type's events are an append-only file in insertion order (what the API serves), and the
 * simulator's cursors are positions in those files. So a cursor stored by one `npm start` is still
 * valid in the next, which first appends a few new events (plus some late ones) and then serves
 * the lot: the next run collects exactly the new events.
 *
 *   <state>/simulator/<type>.ndjson   one event per line, as the simulator serves it
 *   <state>/simulator/demo.json       seed, number of batches, when the last batch was added
 */

const SEED = 20_260_105;
const HISTORY_DAYS = 5;
const INITIAL_EVENTS: Readonly<Record<EventType, number>> = {
  auditevents: 1_500,
  itemusages: 4_000,
  signinattempts: 3_000,
};
/** Relative activity of each type in the batches added on later starts. */
const LATER_SHARE: Readonly<Record<EventType, number>> = {
  auditevents: 0.5,
  itemusages: 1.5,
  signinattempts: 1,
};
const LATE_EVENTS_PER_BATCH = 3;
/** Events of each type in the first batch with a field of another type than documented. */
const DRIFTED_EVENTS = 3;
const DAY_MS = 86_400_000;

interface DemoMeta {
  readonly version: 1;
  readonly seed: number;
  readonly batches: number;
  readonly lastAddedAt: number;
}

export interface DemoData {
  /** The events this call added, per type (all of them on the first start). */
  readonly added: Readonly<Record<EventType, readonly string[]>>;
  readonly firstBatch: boolean;
  /** Every event on disk, the new ones included (read on demand: it grows with every start). */
  all(): Readonly<Record<EventType, readonly string[]>>;
}

const perType = <T>(make: (type: EventType) => T): Record<EventType, T> =>
  Object.fromEntries(EVENT_TYPES.map((type) => [type, make(type)])) as Record<EventType, T>;

function metaPath(dir: string): string {
  return join(dir, 'demo.json');
}

function eventsPath(dir: string, type: EventType): string {
  return join(dir, `${type}.ndjson`);
}

function readMeta(dir: string): DemoMeta | undefined {
  if (!existsSync(metaPath(dir))) return undefined;
  const meta = JSON.parse(readFileSync(metaPath(dir), 'utf8')) as DemoMeta;
  return meta.version === 1 ? meta : undefined;
}

function readTexts(dir: string, type: EventType): string[] {
  if (!existsSync(eventsPath(dir, type))) return [];
  return readFileSync(eventsPath(dir, type), 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

/**
 * The first start's events: each type's INITIAL_EVENTS, of which the detection scenarios (what
 * every detection rule looks for, local/simulator/demo-scenarios.ts) come last and the rest are
 * generated activity.
 */
function firstBatch(now: number): Record<EventType, string[]> {
  const scenes = detectionScenarioEvents(demoAccount(seededRandom(SEED)), SEED, now - 30_000);
  return perType((type) =>
    [
      ...generateDemoEvents(type, INITIAL_EVENTS[type] - scenes[type].length, {
        start: now - HISTORY_DAYS * DAY_MS,
        end: now - 30_000,
        seed: SEED,
        drifted: DRIFTED_EVENTS,
      }),
      ...scenes[type],
    ].map((event) => JSON.stringify(event)),
  );
}

/** The demo's detection settings (its watched vault, group and item), as a settings file holds them. */
export function demoDetectionSettingsText(): string {
  return `${JSON.stringify(demoDetectionSettings(demoAccount(seededRandom(SEED)), SEED), null, 2)}\n`;
}

/** New activity since the previous start, plus a few events that arrive late (hours old). */
function laterBatch(meta: DemoMeta, now: number): Record<EventType, string[]> {
  const since = Math.max(meta.lastAddedAt, now - DAY_MS);
  const start = Math.min(since, now - 60_000);
  const minutes = (now - start) / 60_000;
  const base = Math.min(200, Math.round(10 + 2 * minutes));
  const batch = meta.batches;
  return perType((type) => {
    const fresh = generateDemoEvents(type, Math.max(3, Math.round(base * LATER_SHARE[type])), {
      start,
      end: now,
      seed: meta.seed + batch,
      accountSeed: meta.seed,
    });
    const late = generateDemoEvents(type, LATE_EVENTS_PER_BATCH, {
      start: now - 26 * 3_600_000,
      end: now - 2 * 3_600_000,
      seed: meta.seed + 1_000_000 + batch,
      accountSeed: meta.seed,
      lateShare: 0,
    });
    return [...fresh, ...late].map((event) => JSON.stringify(event));
  });
}

/** Loads the demo data, adds this start's batch, and keeps both on disk. */
export function growDemoData(dir: string, now: number): DemoData {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const meta = readMeta(dir);
  const batch = meta ? laterBatch(meta, now) : firstBatch(now);
  // The meta is written first: a crash before the events are appended skips a batch, never repeats one.
  const next: DemoMeta = {
    version: 1,
    seed: meta?.seed ?? SEED,
    batches: (meta?.batches ?? 0) + 1,
    lastAddedAt: now,
  };
  writeFileSync(metaPath(dir), `${JSON.stringify(next)}\n`, { mode: PRIVATE_FILE_MODE });
  for (const type of EVENT_TYPES) {
    if (batch[type].length > 0)
      appendFileSync(eventsPath(dir, type), `${batch[type].join('\n')}\n`, { mode: PRIVATE_FILE_MODE });
  }
  return {
    added: batch,
    firstBatch: meta === undefined,
    all: () => perType((type) => readTexts(dir, type)),
  };
}

/** The demo data as it is on disk, or a fresh first batch kept in memory (nothing is written). */
export function readDemoData(dir: string, now: number): Readonly<Record<EventType, readonly string[]>> {
  if (readMeta(dir)) return perType((type) => readTexts(dir, type));
  return firstBatch(now);
}

export interface DemoApi {
  readonly simulator: EventsApiSimulator;
  readonly token: string;
  readonly url: string;
  stop(): Promise<void>;
}

function accountOf(texts: Readonly<Record<EventType, readonly string[]>>): string | undefined {
  for (const type of EVENT_TYPES) {
    const first = texts[type][0];
    if (first) {
      const account = (JSON.parse(first) as { account_uuid?: unknown }).account_uuid;
      if (typeof account === 'string') return account;
    }
  }
  return undefined;
}

/** Starts the simulator on 127.0.0.1 serving the demo data, with a demo token granted all three features. */
export async function startDemoApi(
  texts: Readonly<Record<EventType, readonly string[]>>,
  now: number,
): Promise<DemoApi> {
  const token = makeFakeToken({
    host: 'events.1password.com',
    features: [...EVENT_TYPES],
    issuedAt: new Date(now - DAY_MS),
    expiresAt: new Date(now + 365 * DAY_MS),
    subject: 'DEMOTOKENSUBJECT0000000000',
  });
  const accountUuid = accountOf(texts);
  const simulator = await EventsApiSimulator.start({
    tokens: { [token]: { features: [...EVENT_TYPES], ...(accountUuid ? { accountUuid } : {}) } },
  });
  for (const type of EVENT_TYPES) simulator.addEventTexts(type, texts[type]);
  return { simulator, token, url: simulator.url, stop: () => simulator.stop() };
}
