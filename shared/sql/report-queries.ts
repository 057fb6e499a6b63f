import type { EventType } from '../contracts/event-types';
import { METADATA_KEY, PARTITION_COLUMN } from '../contracts/s3-layout';
import { sqlString } from '../util/sql-quoting';
import { countryJoin, countryKey, countryName } from './countries';
import { DUCKDB_DIALECT, type EngineSql, renderForEngines, type SqlDialect } from './dialect';
import { ITEM_USAGE_LOOKUPS, lookupJoin } from './lookup-joins';
import { typedFieldsSelect } from './typed-events';

/**
 * The SQL of `op-events report`: a few aggregations per event type over the report's window, each
 * written once as a function of the dialect and rendered for Athena (Trino) and DuckDB, like the
 * views and saved queries.
 *
 * Each type is read in two steps. `lines` reads the fields the report needs from `<type>_raw`, each
 * as the typed table (`<type>`) reads it (typedFieldsSelect), pruned by `dt` (a literal date, so
 * Athena prunes partitions and DuckDB files).
 * `events` keeps one row per event uuid and dt, the first delivery, exactly as the `<type>_unique`
 * views do (shared/sql/views.ts), and leaves out chunk lines. The report's queries aggregate
 * `events`, and join the lookup tables and `country_codes` only on their aggregated rows.
 *
 * On Athena each query holds both steps inline (one statement, one scan of its type's window). On
 * DuckDB `lines` and `events` become temporary tables first, so each type's JSON lines are parsed
 * once however many queries read them, for these fields only: the typed tables extract every field
 * of every line on every read, and a filter on a typed column does it a second time (reading them
 * once per query took several times longer: bench/report-timing.ts measures the report).
 */

/** The first UTC day of the report (`YYYY-MM-DD`): events with `dt` on or after it are read. */
export interface ReportWindow {
  readonly firstDay: string;
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The `dt` filter of the window; the date is checked, never taken from a user as SQL. */
function windowFilter(window: ReportWindow): string {
  if (!DAY_PATTERN.test(window.firstDay)) {
    throw new Error(`report window: ${JSON.stringify(window.firstDay)} is not YYYY-MM-DD`);
  }
  return `${PARTITION_COLUMN} >= ${sqlString(window.firstDay)}`;
}

/** Sign-in categories that are a success (the ECS views' `event.outcome`, shared/sql/ecs-views.ts). */
export const SUCCESS_CATEGORIES = ['success', 'firewall_reported_success'] as const;

const successCondition = (column: string) =>
  `${column} IN (${SUCCESS_CATEGORIES.map((c) => sqlString(c)).join(', ')})`;

/** The fields the report reads of one type: output column to the field's dotted path. */
const SOURCE_FIELDS: Readonly<Record<EventType, Readonly<Record<string, string>>>> = {
  signinattempts: {
    category: 'category',
    user_uuid: 'target_user.uuid',
    user_email: 'target_user.email',
    location_country: 'location.country',
    attempt_country: 'country',
  },
  itemusages: {
    action: 'action',
    vault_uuid: 'vault_uuid',
    item_uuid: 'item_uuid',
    user_uuid: 'user.uuid',
    user_email: 'user.email',
    user_name: 'user.name',
  },
  auditevents: { action: 'action', object_type: 'object_type', actor_uuid: 'actor_uuid' },
};

/** The columns of a type's events: the fields above, and for sign-ins the one country they came from. */
const SOURCE_COLUMNS: Readonly<Record<EventType, readonly (readonly [string, string])[]>> = {
  signinattempts: [
    ['category', 'f.category'],
    ['user_uuid', 'f.user_uuid'],
    ['user_email', 'f.user_email'],
    // Where the sign-in came from: 1Password's location, else the attempt's own country (a code or a name).
    ['country', 'coalesce(f.location_country, f.attempt_country)'],
  ],
  itemusages: Object.keys(SOURCE_FIELDS.itemusages).map((name) => [name, `f.${name}`] as const),
  auditevents: Object.keys(SOURCE_FIELDS.auditevents).map((name) => [name, `f.${name}`] as const),
};

/**
 * One type's lines in the window: the fields the report reads, each as the typed table has it
 * (shared/sql/typed-events.ts), with what de-duplicating needs; one parse of each line, for these
 * fields only.
 */
export function reportLinesSql(d: SqlDialect, type: EventType, window: ReportWindow): string {
  const fields = typedFieldsSelect(
    d,
    type,
    {
      uuid: 'uuid',
      received_at: `${METADATA_KEY}.received_at`,
      run_id: `${METADATA_KEY}.run_id`,
      ...SOURCE_FIELDS[type],
    },
    // A chunk line's `chunk` is an object; only whether it is one matters, not its members.
    { chunked: `${METADATA_KEY}.chunk` },
  );
  const columns = SOURCE_COLUMNS[type].map(([name, expression]) => `${expression} AS ${name}`);
  return `SELECT
  f.${PARTITION_COLUMN} AS ${PARTITION_COLUMN},
  f.uuid AS uuid,
  f.received_at AS received_at,
  f.run_id AS run_id,
  NOT f.chunked AS whole_event,
  ${columns.join(',\n  ')}
FROM (
${fields}
) f
WHERE f.${windowFilter(window)}`;
}

/** One row per event uuid and dt from a relation of lines: the first delivery, chunk lines left out. */
export function reportEventsSql(type: EventType, lines: string): string {
  const columns = [PARTITION_COLUMN, 'uuid', ...SOURCE_COLUMNS[type].map(([name]) => name)];
  const deliveries = `PARTITION BY l.${PARTITION_COLUMN}, l.uuid ORDER BY l.received_at, l.run_id`;
  return `SELECT ${columns.join(', ')}
FROM (
  SELECT
    l.*,
    row_number() OVER (${deliveries}) AS delivery_rank
  FROM ${lines} l
  WHERE l.uuid IS NOT NULL AND l.whole_event
) ranked
WHERE delivery_rank = 1`;
}

export const REPORT_QUERY_KEYS = [
  'signInsByDay',
  'signInCountries',
  'itemUsagesByDay',
  'topUsers',
  'topItems',
  'auditByDay',
] as const;

export type ReportQueryKey = (typeof REPORT_QUERY_KEYS)[number];

export interface ReportQuery {
  readonly key: ReportQueryKey;
  /** The type whose events it aggregates. */
  readonly eventType: EventType;
  /** The statement over `events`, a relation of the type's events (a table name or a parenthesised query). */
  render(d: SqlDialect, events: string): string;
}

/** How many users and items the top lists hold. */
export const TOP_COUNT = 10;

export const REPORT_QUERIES: Readonly<Record<ReportQueryKey, ReportQuery>> = {
  signInsByDay: {
    key: 'signInsByDay',
    eventType: 'signinattempts',
    render: (_d, events) => `SELECT e.${PARTITION_COLUMN} AS day, e.category AS category, count(*) AS attempts
FROM ${events} e
GROUP BY e.${PARTITION_COLUMN}, e.category`,
  },
  signInCountries: {
    key: 'signInCountries',
    eventType: 'signinattempts',
    render: (_d, events) => `SELECT
  ${countryKey('c', 'e.country')} AS country,
  max(${countryName('c', 'e.country')}) AS country_name,
  count(*) AS attempts,
  count(CASE WHEN ${successCondition('e.category')} THEN 1 END) AS successes,
  count(DISTINCT e.user_uuid) AS users
FROM ${events} e
${countryJoin('c', 'e.country')}
GROUP BY 1`,
  },
  itemUsagesByDay: {
    key: 'itemUsagesByDay',
    eventType: 'itemusages',
    render: (_d, events) => `SELECT a.day, a.action, a.vault_uuid, lv.name AS vault_name, a.usages
FROM (
  SELECT e.${PARTITION_COLUMN} AS day, e.action AS action, e.vault_uuid AS vault_uuid, count(*) AS usages
  FROM ${events} e
  GROUP BY e.${PARTITION_COLUMN}, e.action, e.vault_uuid
) a
${lookupJoin('vaults', 'lv', 'a.vault_uuid')}`,
  },
  topUsers: {
    key: 'topUsers',
    eventType: 'itemusages',
    render: (_d, events) => `SELECT
  a.user_uuid,
  coalesce(a.user_email, lu.email) AS user_email,
  coalesce(a.user_name, lu.name) AS user_name,
  a.usages,
  a.items,
  a.vaults
FROM (
  SELECT
    e.user_uuid AS user_uuid,
    max(e.user_email) AS user_email,
    max(e.user_name) AS user_name,
    count(*) AS usages,
    count(DISTINCT e.item_uuid) AS items,
    count(DISTINCT e.vault_uuid) AS vaults
  FROM ${events} e
  GROUP BY e.user_uuid
  ORDER BY usages DESC, user_uuid
  LIMIT ${TOP_COUNT}
) a
${lookupJoin('users', 'lu', 'a.user_uuid')}
ORDER BY a.usages DESC, a.user_uuid`,
  },
  topItems: {
    key: 'topItems',
    eventType: 'itemusages',
    render: (_d, events) => `SELECT
  a.item_uuid,
  li.title AS item_title,
  a.vault_uuid,
  ${ITEM_USAGE_LOOKUPS.vaultName} AS vault_name,
  a.usages,
  a.users
FROM (
  SELECT
    e.item_uuid AS item_uuid,
    max(e.vault_uuid) AS vault_uuid,
    count(*) AS usages,
    count(DISTINCT e.user_uuid) AS users
  FROM ${events} e
  GROUP BY e.item_uuid
  ORDER BY usages DESC, item_uuid
  LIMIT ${TOP_COUNT}
) a
${lookupJoin('items', 'li', 'a.item_uuid')}
${lookupJoin('vaults', 'lv', 'a.vault_uuid')}
ORDER BY a.usages DESC, a.item_uuid`,
  },
  auditByDay: {
    key: 'auditByDay',
    eventType: 'auditevents',
    render: (_d, events) =>
      `SELECT e.${PARTITION_COLUMN} AS day, e.action AS action, e.object_type AS object_type, ` +
      `count(*) AS events
FROM ${events} e
GROUP BY e.${PARTITION_COLUMN}, e.action, e.object_type`,
  },
};

/** A report query as one statement that reads its type's table itself (what Athena runs), per engine. */
export function inlineReportSql(key: ReportQueryKey, window: ReportWindow): EngineSql {
  const query = REPORT_QUERIES[key];
  return renderForEngines((d) =>
    query.render(
      d,
      `(${reportEventsSql(query.eventType, `(${reportLinesSql(d, query.eventType, window)})`)})`,
    ),
  );
}

/** Names of the DuckDB temporary tables of one type's lines and events. */
export function reportTableNames(type: EventType): { readonly lines: string; readonly events: string } {
  return { lines: `report_${type}_lines`, events: `report_${type}_events` };
}

/**
 * The DuckDB statements of the report over local files: per type, its lines and events as
 * temporary tables, then each query over its type's events table.
 */
export function stagedReportSql(
  types: readonly EventType[],
  window: ReportWindow,
): { readonly setup: readonly string[]; readonly queries: Readonly<Record<ReportQueryKey, string>> } {
  const setup = types.flatMap((type) => {
    const names = reportTableNames(type);
    return [
      `CREATE OR REPLACE TEMP TABLE ${names.lines} AS ${reportLinesSql(DUCKDB_DIALECT, type, window)}`,
      `CREATE OR REPLACE TEMP TABLE ${names.events} AS ${reportEventsSql(type, names.lines)}`,
    ];
  });
  const queries = Object.fromEntries(
    Object.values(REPORT_QUERIES).map((query) => [
      query.key,
      renderForEngines((d) => query.render(d, reportTableNames(query.eventType).events)).duckdb,
    ]),
  ) as Record<ReportQueryKey, string>;
  return { setup, queries };
}
