import { EVENT_TYPES, type EventType } from '../../shared/contracts/event-types';
import { type ReportQueryKey, SUCCESS_CATEGORIES } from '../../shared/sql/report-queries';

/**
 * What `op-events report` shows, computed from the rows of the report's queries
 * (shared/sql/report-queries.ts) before any HTML is written: the page (report-html.ts), the text
 * summary and --json all render this one value.
 */

/** One query's rows, column name to value (numbers may arrive as text: DuckDB's BIGINT, Athena's strings). */
export type QueryRows = Readonly<Record<ReportQueryKey, readonly Readonly<Record<string, unknown>>[]>>;

export interface DayCounts {
  readonly day: string;
  readonly counts: Readonly<Record<EventType, number>>;
}

export interface SignInDay {
  readonly day: string;
  readonly successes: number;
  readonly failures: number;
}

export interface Named {
  /** The uuid or code the events carry (may be absent from an event). */
  readonly id: string | null;
  /** A name for it from the event or the lookups, when one is known. */
  readonly name: string | null;
}

export interface UserUsage extends Named {
  readonly email: string | null;
  readonly usages: number;
  readonly items: number;
  readonly vaults: number;
}

export interface VaultUsage extends Named {
  readonly usages: number;
}

export interface ItemUsage extends Named {
  readonly vault: Named;
  readonly usages: number;
  readonly users: number;
}

/** Item usages that show or take a secret (the saved queries' reveal / secure-copy / export). */
export const SECRET_ACTIONS = ['reveal', 'secure-copy', 'export'] as const;
export type SecretAction = (typeof SECRET_ACTIONS)[number];

export interface VaultSecretUse extends Named {
  readonly counts: Readonly<Record<SecretAction, number>>;
  readonly total: number;
}

export interface AdminAction {
  readonly action: string | null;
  readonly objectType: string | null;
  readonly events: number;
}

export interface CountryRow {
  /** ISO 3166-1 alpha-2 code where one is known, else the value as it came (null: no country sent). */
  readonly country: string | null;
  readonly name: string | null;
  readonly attempts: number;
  readonly successes: number;
  readonly failures: number;
  readonly users: number;
}

export interface ReportData {
  /** Every UTC day of the window, first to last. */
  readonly days: readonly string[];
  readonly totals: Readonly<Record<EventType, number>>;
  readonly totalEvents: number;
  readonly eventsPerDay: readonly DayCounts[];
  readonly signInsPerDay: readonly SignInDay[];
  /** Failed sign-ins by category (1Password's reason), most first. */
  readonly signInFailures: readonly { readonly reason: string | null; readonly attempts: number }[];
  readonly topUsers: readonly UserUsage[];
  readonly topVaults: readonly VaultUsage[];
  readonly topItems: readonly ItemUsage[];
  readonly secretUseByVault: readonly VaultSecretUse[];
  /** Audit events by action, most first; each with its object types. */
  readonly adminActions: readonly AdminAction[];
  readonly countries: readonly CountryRow[];
}

/** A count from a row: DuckDB gives BIGINT as text in JSON rows, Athena gives numbers. */
function count(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

const perType = <T>(make: (type: EventType) => T): Record<EventType, T> =>
  Object.fromEntries(EVENT_TYPES.map((type) => [type, make(type)])) as Record<EventType, T>;

/** Every `YYYY-MM-DD` from `first` to `last`, both included. */
export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${first}T00:00:00Z`); ; at += 86_400_000) {
    const day = new Date(at).toISOString().slice(0, 10);
    if (day > last) return days;
    days.push(day);
  }
}

/** Sums `value` per `key` over rows; the result sorted by sum (largest first), then key. */
function sumBy<R>(rows: readonly R[], key: (row: R) => string | null, value: (row: R) => number) {
  const sums = new Map<string | null, number>();
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + value(row));
  return [...sums.entries()]
    .map(([k, v]) => ({ key: k, value: v }))
    .sort((a, b) => b.value - a.value || String(a.key).localeCompare(String(b.key)));
}

const isSuccess = (category: string | null) =>
  category !== null && (SUCCESS_CATEGORIES as readonly string[]).includes(category);

type Row = Readonly<Record<string, unknown>>;
const dayOf = (row: Row) => String(row.day);

/** Events per day per type over `days` (a day the window does not hold is left out). */
function eventsPerDay(rows: QueryRows, days: readonly string[]) {
  const perDay = new Map(days.map((day) => [day, perType(() => 0)]));
  const add = (type: EventType, day: string, n: number) => {
    const counts = perDay.get(day);
    if (counts) counts[type] += n;
  };
  for (const row of rows.signInsByDay) add('signinattempts', dayOf(row), count(row.attempts));
  for (const row of rows.itemUsagesByDay) add('itemusages', dayOf(row), count(row.usages));
  for (const row of rows.auditByDay) add('auditevents', dayOf(row), count(row.events));
  return days.map((day) => ({ day, counts: perDay.get(day) ?? perType(() => 0) }));
}

/** Successful and failed sign-in attempts per day. */
function signInsPerDay(rows: QueryRows, days: readonly string[]) {
  const signIns = new Map(days.map((day) => [day, { successes: 0, failures: 0 }]));
  for (const row of rows.signInsByDay) {
    const day = signIns.get(dayOf(row));
    if (!day) continue;
    if (isSuccess(text(row.category))) day.successes += count(row.attempts);
    else day.failures += count(row.attempts);
  }
  return days.map((day) => ({ day, ...(signIns.get(day) ?? { successes: 0, failures: 0 }) }));
}

/** Each vault's name, the first the rows give it. */
function vaultNamesOf(rows: QueryRows): Map<string | null, string | null> {
  const vaultNames = new Map<string | null, string | null>();
  for (const row of rows.itemUsagesByDay) {
    const id = text(row.vault_uuid);
    if (!vaultNames.get(id)) vaultNames.set(id, text(row.vault_name));
  }
  return vaultNames;
}

/** Audit events per action and object type, most first. */
function adminActions(rows: QueryRows) {
  const list: { action: string | null; objectType: string | null; events: number }[] = [];
  for (const row of rows.auditByDay) {
    const action = text(row.action);
    const objectType = text(row.object_type);
    const found = list.find((a) => a.action === action && a.objectType === objectType);
    if (found) found.events += count(row.events);
    else list.push({ action, objectType, events: count(row.events) });
  }
  return list.sort(
    (a, b) =>
      b.events - a.events ||
      String(a.action).localeCompare(String(b.action)) ||
      String(a.objectType).localeCompare(String(b.objectType)),
  );
}

/** Sign-in attempts per country, most first. */
function countries(rows: QueryRows) {
  return rows.signInCountries
    .map((row) => ({
      country: text(row.country),
      name: text(row.country_name),
      attempts: count(row.attempts),
      successes: count(row.successes),
      failures: count(row.attempts) - count(row.successes),
      users: count(row.users),
    }))
    .sort((a, b) => b.attempts - a.attempts || String(a.country).localeCompare(String(b.country)));
}

/** The report's numbers from its queries' rows, over the window's days (`firstDay`..`lastDay`). */
export function buildReportData(rows: QueryRows, window: { firstDay: string; lastDay: string }): ReportData {
  const lastSeen = [...rows.signInsByDay, ...rows.itemUsagesByDay, ...rows.auditByDay]
    .map(dayOf)
    .reduce((a, b) => (b > a ? b : a), window.lastDay);
  const days = daysBetween(window.firstDay, lastSeen);
  const perDay = eventsPerDay(rows, days);
  const totals = perType((type) => perDay.reduce((sum, d) => sum + d.counts[type], 0));
  const failures = rows.signInsByDay.filter((row) => !isSuccess(text(row.category)));
  const vaultNames = vaultNamesOf(rows);
  const secretRows = rows.itemUsagesByDay.filter((row) =>
    (SECRET_ACTIONS as readonly unknown[]).includes(row.action),
  );
  return {
    days,
    totals,
    totalEvents: EVENT_TYPES.reduce((sum, type) => sum + totals[type], 0),
    eventsPerDay: perDay,
    signInsPerDay: signInsPerDay(rows, days),
    signInFailures: sumBy(
      failures,
      (row) => text(row.category),
      (row) => count(row.attempts),
    ).map(({ key, value }) => ({ reason: key, attempts: value })),
    topUsers: rows.topUsers.map((row) => ({
      id: text(row.user_uuid),
      name: text(row.user_name),
      email: text(row.user_email),
      usages: count(row.usages),
      items: count(row.items),
      vaults: count(row.vaults),
    })),
    topVaults: sumBy(
      rows.itemUsagesByDay,
      (row) => text(row.vault_uuid),
      (row) => count(row.usages),
    )
      .slice(0, 10)
      .map(({ key, value }) => ({ id: key, name: vaultNames.get(key) ?? null, usages: value })),
    topItems: rows.topItems.map((row) => ({
      id: text(row.item_uuid),
      name: text(row.item_title),
      vault: { id: text(row.vault_uuid), name: text(row.vault_name) },
      usages: count(row.usages),
      users: count(row.users),
    })),
    secretUseByVault: secretUse(secretRows, vaultNames),
    adminActions: adminActions(rows),
    countries: countries(rows),
  };
}

function secretUse(
  rows: readonly Readonly<Record<string, unknown>>[],
  names: ReadonlyMap<string | null, string | null>,
): VaultSecretUse[] {
  const byVault = new Map<string | null, Record<SecretAction, number>>();
  for (const row of rows) {
    const id = text(row.vault_uuid);
    const counts = byVault.get(id) ?? { reveal: 0, 'secure-copy': 0, export: 0 };
    counts[row.action as SecretAction] += count(row.usages);
    byVault.set(id, counts);
  }
  return [...byVault.entries()]
    .map(([id, counts]) => ({
      id,
      name: names.get(id) ?? null,
      counts,
      total: SECRET_ACTIONS.reduce((sum, action) => sum + counts[action], 0),
    }))
    .sort((a, b) => b.total - a.total || String(a.id).localeCompare(String(b.id)));
}
