import type { EventType } from '../contracts/event-types';
import { PARTITION_COLUMN } from '../contracts/s3-layout';
import type { SqlDialect } from '../sql/dialect';
import { epochMillis } from '../sql/view-expressions';
import { TIMESTAMP_UTC_FIELD, UNIQUE_VIEW_NAMES } from '../sql/views';
import { sqlString } from '../util/sql-quoting';
import type { DetectionWindow } from './window-rule';

/**
 * Pieces the window rules' SQL is made of. Times are compared as epoch milliseconds (BIGINT) so
 * that both engines do the same integer arithmetic; the `dt` range is a pair of date literals,
 * which keeps Athena's partition pruning.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The event's time as epoch milliseconds. */
export const eventMs = (d: SqlDialect) => epochMillis(d, TIMESTAMP_UTC_FIELD.name);

const utcDateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * `FROM <type>_unique WHERE dt >= ... AND dt <= ... AND <time from..until>`: a type's events from
 * `lookbackMs` before the window's start to its end, the dates pruned to those days.
 */
export function eventsIn(
  d: SqlDialect,
  type: EventType,
  window: DetectionWindow,
  lookbackMs: number,
  alias = '',
): string {
  const from = window.sinceMs - lookbackMs;
  const firstDay = sqlString(utcDateOf(from));
  const lastDay = sqlString(utcDateOf(window.untilMs - 1));
  return `FROM ${UNIQUE_VIEW_NAMES[type]}${alias ? ` ${alias}` : ''}
  WHERE ${PARTITION_COLUMN} >= ${firstDay} AND ${PARTITION_COLUMN} <= ${lastDay}
    AND ${eventMs(d)} >= ${from} AND ${eventMs(d)} < ${window.untilMs}`;
}

/** Sorted, comma-separated texts of a group (an aggregate). */
export function joinedTexts(d: SqlDialect, expression: string): string {
  if (d.engine === 'athena') return `array_join(array_sort(array_agg(${expression})), ',')`;
  return `array_to_string(list_sort(list(${expression})), ',')`;
}

/** Where a person's uuid and e-mail are in a row: columns or expressions. */
export interface PersonColumns {
  readonly uuid: string;
  readonly email: string;
}

/**
 * The same person in two places: by uuid (ignoring case) when both have one, else by e-mail
 * (ignoring case). As shared/detections/event-fields.ts's actorIsAux decides it for one event.
 */
export function samePerson(a: PersonColumns, b: PersonColumns): string {
  const sameUuid = `lower(${a.uuid}) = lower(${b.uuid})`;
  const sameEmail = `lower(${a.email}) = lower(${b.email})`;
  return `CASE WHEN ${a.uuid} IS NOT NULL AND ${b.uuid} IS NOT NULL THEN ${sameUuid} ELSE ${sameEmail} END`;
}

/** The value when a group holds one distinct value of it, else NULL (an aggregate). */
export const onlyValue = (expression: string) =>
  `CASE WHEN count(DISTINCT ${expression}) = 1 THEN max(${expression}) END`;

/** The audit event's actor: uuid and e-mail, as the one-event rules read them. */
export const AUDIT_ACTOR = {
  uuid: 'coalesce(actor_uuid, actor_details.uuid)',
  email: 'actor_details.email',
  name: 'actor_details.name',
} as const;

/** The audit event's object when it is a user: uuid and e-mail. */
export const AUDIT_OBJECT_USER = {
  uuid: 'coalesce(object_uuid, object_details.uuid)',
  email: 'object_details.email',
  name: 'object_details.name',
} as const;

/** The audit event's aux (the user or member acted for): uuid and e-mail. */
export const AUDIT_AUX = {
  uuid: 'coalesce(aux_uuid, aux_details.uuid)',
  email: 'aux_details.email',
} as const;

/** The item usage's user. */
export const ITEM_USER = { uuid: '"user".uuid', email: '"user".email', name: '"user".name' } as const;

/** The sign-in attempt's target user. */
export const SIGN_IN_USER = {
  uuid: 'target_user.uuid',
  email: 'target_user.email',
  name: 'target_user.name',
} as const;

/** The user columns (`user_uuid`, `user_email`) of a row of table alias `alias`. */
export const rowUser = (alias: string): PersonColumns => ({
  uuid: `${alias}.user_uuid`,
  email: `${alias}.user_email`,
});

/** `uuid`, else `email`, as one text: the key that groups a person's events. */
export const personKey = (person: PersonColumns) => `coalesce(${person.uuid}, ${person.email})`;

/** A person's uuid and e-mail as the columns `user_uuid` and `user_email`. */
export const userColumns = (person: PersonColumns) =>
  `${person.uuid} AS user_uuid, ${person.email} AS user_email`;

/**
 * The SELECT of item usages or sign-in attempts as a user's events: uuid, t, user_key (uuid, else
 * e-mail), user_uuid, user_email, user_name and ip (the client's).
 */
export const selectUserEvents = (d: SqlDialect, user: typeof ITEM_USER | typeof SIGN_IN_USER) =>
  `SELECT uuid, ${eventMs(d)} AS t, ${personKey(user)} AS user_key,
    ${userColumns(user)}, ${user.name} AS user_name,
    client.ip_address AS ip`;

/**
 * The person and IP columns of a detection row, each the group's one value or NULL (aggregates),
 * one a line after `indent`.
 */
export const onlyValueColumns = (indent: string) =>
  ['user_uuid', 'user_email', 'user_name', 'ip']
    .map((column) => `${indent}${onlyValue(column)} AS ${column},`)
    .join('\n');

/**
 * A row of a burst's `keyed` SELECT (BurstSpec): the event's group key and what it counts, with its
 * uuid, time, user and IP.
 */
export const keyedRow = (groupKey: string, counted: string) =>
  `SELECT ${groupKey} AS group_key, uuid, t, user_uuid, user_email, user_name, ip, ${counted} AS counted`;

export interface BurstSpec {
  /** CTEs (`name AS (...)`, comma-separated) that the `keyed` SELECT reads. */
  readonly sources: string;
  /**
   * One row per event and group: group_key, uuid, t (epoch ms), user_uuid, user_email, user_name,
   * ip, counted (what is counted distinct: the event's uuid, an item's uuid...).
   */
  readonly keyed: string;
  readonly minutes: number;
  /** A burst is at least this many distinct `counted` values within `minutes`. */
  readonly atLeast: number;
  /** Name of the key column of the distinct count. */
  readonly countColumn: string;
  readonly type: EventType;
}

/**
 * Bursts: for each event, the events of its group in the `minutes` after it; where they hold at
 * least `atLeast` distinct values and the last falls in the window, every event of those spans is
 * reported, one row per group.
 */
export function burstSql(d: SqlDialect, window: DetectionWindow, spec: BurstSpec): string {
  const span = spec.minutes * MINUTE_MS;
  return `WITH ${spec.sources},
keyed AS (
${spec.keyed}
),
starts AS (
  SELECT a.group_key, a.t AS start_t
  FROM keyed a
  JOIN keyed b ON b.group_key = a.group_key AND b.t >= a.t AND b.t <= a.t + ${span}
  GROUP BY a.group_key, a.uuid, a.t
  HAVING count(DISTINCT b.counted) >= ${spec.atLeast} AND max(b.t) >= ${window.sinceMs}
),
members AS (
  SELECT DISTINCT k.group_key, k.uuid, k.t, k.user_uuid, k.user_email, k.user_name, k.ip, k.counted
  FROM keyed k
  JOIN starts s ON k.group_key = s.group_key AND k.t >= s.start_t AND k.t <= s.start_t + ${span}
)
SELECT
  group_key,
${onlyValueColumns('  ')}
  min(t) AS first_seen_ms,
  max(t) AS last_seen_ms,
  ${joinedTexts(d, 'uuid')} AS uuids_${spec.type},
  count(DISTINCT counted) AS ${spec.countColumn},
  count(DISTINCT user_email) AS distinct_users,
  count(DISTINCT ip) AS distinct_ips
FROM members
GROUP BY group_key
ORDER BY group_key`;
}

/**
 * The vault exports of a window and its look-back, by their actor: uuid, t, user_uuid, user_email,
 * user_name, ip, vault_uuid (a CTE body: the two export rules read it).
 */
export function vaultExportsSql(d: SqlDialect, window: DetectionWindow, lookbackMs: number): string {
  return `SELECT uuid, ${eventMs(d)} AS t, ${userColumns(AUDIT_ACTOR)},
    ${AUDIT_ACTOR.name} AS user_name, session.ip AS ip, object_uuid AS vault_uuid
  ${eventsIn(d, 'auditevents', window, lookbackMs)}
    AND action = 'export' AND object_type = 'vault'`;
}

export interface PairSummary {
  /** The columns of `pairs` that hold each side's event uuid. */
  readonly uuidColumns: readonly [string, string];
  /** The columns of `pairs` whose earliest and latest values are the first and last event times. */
  readonly firstMs: string;
  readonly lastMs: string;
  /** Further output columns, aggregates over `p` (the key fields). */
  readonly extra: readonly string[];
}

/**
 * The end of a rule over pairs of audit events (a CTE `pairs` with group_key, user_uuid,
 * user_email, user_name, ip and the columns the summary names): one row per group, the uuids of
 * both sides in `uuids_auditevents`.
 */
export function auditPairsSummarySql(d: SqlDialect, summary: PairSummary): string {
  const [first, second] = summary.uuidColumns;
  const users = ['user_uuid', 'user_email', 'user_name'].map((column) => `max(p.${column}) AS ${column}`);
  const uuidsByGroup = `SELECT group_key, ${joinedTexts(d, 'uuid')} AS uuids FROM ids GROUP BY group_key`;
  return `ids AS (
  SELECT DISTINCT group_key, ${first} AS uuid FROM pairs
  UNION ALL
  SELECT DISTINCT group_key, ${second} AS uuid FROM pairs
)
SELECT p.group_key, ${users.join(', ')},
  ${onlyValue('p.ip')} AS ip,
  min(p.${summary.firstMs}) AS first_seen_ms, max(p.${summary.lastMs}) AS last_seen_ms,
  max(i.uuids) AS uuids_auditevents,
  ${summary.extra.join(',\n  ')}
FROM pairs p
JOIN (${uuidsByGroup}) i ON i.group_key = p.group_key
GROUP BY p.group_key
ORDER BY p.group_key`;
}
