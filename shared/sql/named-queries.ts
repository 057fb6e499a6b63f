import { EVENT_TYPES, type EventType } from '../event-types';
import { METADATA_KEY, PARTITION_COLUMN } from '../output-format';

/**
 * Saved queries for Athena (deployed as AWS::Athena::NamedQuery) and for the local CLI, which
 * runs the SAME text on DuckDB over local files. Kept as data so both read one source.
 *
 * Table contract (both engines): one table per event type named as in TABLE_NAMES, with the
 * columns of shared/sql/table-schema.ts plus the partition column `dt` as a VARCHAR `YYYY-MM-DD`
 * (in DuckDB: `hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}`).
 *
 * SQL dialect: the common subset of Athena engine 3 (Trino) and DuckDB:
 * - double-quoted identifiers for reserved or underscore-led names ("timestamp", "user",
 *   "type", "_collector"), struct fields with dots (`"_collector".received_at`);
 * - windows with `dt >= CAST(CAST(current_date - INTERVAL 'N' DAY AS DATE) AS VARCHAR)`:
 *   Trino gives a DATE for `date - interval day`, DuckDB a TIMESTAMP, so the inner CAST makes
 *   both `YYYY-MM-DD`; a string comparison on `dt` keeps Athena's partition pruning;
 * - no `from_iso8601_timestamp`, `date_format`, `strftime`, `EXCLUDE` or `QUALIFY`; event
 *   timestamps are shown as `substr("timestamp", 1, 19)`: the event's own clock time to the second,
 *   WITHOUT its offset applied (1Password writes most timestamps in UTC with `Z`, some with an
 *   offset such as `-03:00`), so the columns are named first_/last_… rather than …_utc.
 * Checked: every query is executed on DuckDB by test/shared/sql/named-queries.test.ts; the Trino side
 * was checked against the Trino documentation (functions `substr`, `coalesce`, `row_number`,
 * `current_date`, interval literals, CAST to VARCHAR) but not executed here.
 */

export interface NamedQuery {
  /** Athena named-query name (unique within this list). */
  readonly name: string;
  readonly description: string;
  readonly sql: string;
  /** `view` statements must run once before the investigations that read the views. */
  readonly kind: 'view' | 'investigation';
  /** Event types whose tables the query reads; the stack only deploys queries it can serve. */
  readonly eventTypes: readonly EventType[];
}

/** Glue/DuckDB table per event type: the API's own name. */
export const TABLE_NAMES: Readonly<Record<EventType, string>> = {
  auditevents: 'auditevents',
  itemusages: 'itemusages',
  signinattempts: 'signinattempts',
};

/** De-duplicated view per event type (one row per event `uuid`). */
export const UNIQUE_VIEW_NAMES: Readonly<Record<EventType, string>> = {
  auditevents: 'auditevents_unique',
  itemusages: 'itemusages_unique',
  signinattempts: 'signinattempts_unique',
};

const md = `"${METADATA_KEY}"`;

/** `dt` on or after the UTC day N days ago (a string compare on the partition column). */
function sinceDays(days: number): string {
  return `${PARTITION_COLUMN} >= CAST(CAST(current_date - INTERVAL '${days}' DAY AS DATE) AS VARCHAR)`;
}

function uniqueView(type: EventType): NamedQuery {
  return {
    name: `Create view ${UNIQUE_VIEW_NAMES[type]}`,
    description:
      `One row per ${type} event uuid: the first delivery wins (the collector delivers at least once). ` +
      'Chunk lines of oversized events are left out; read them from the table. Run once.',
    kind: 'view',
    eventTypes: [type],
    sql: `CREATE OR REPLACE VIEW ${UNIQUE_VIEW_NAMES[type]} AS
SELECT *
FROM (
  SELECT
    t.*,
    row_number() OVER (
      PARTITION BY t.uuid
      ORDER BY t.${md}.received_at, t.${md}.run_id
    ) AS delivery_rank
  FROM ${TABLE_NAMES[type]} t
  WHERE t.uuid IS NOT NULL
    AND t.${md}.chunk IS NULL
) ranked
WHERE delivery_rank = 1`,
  };
}

export const NAMED_QUERIES: readonly NamedQuery[] = [
  ...EVENT_TYPES.map(uniqueView),
  {
    name: 'Failed sign-ins by user and country (last 7 days)',
    description:
      'Sign-in attempts whose category is not a success, grouped by target user, country and category.',
    kind: 'investigation',
    eventTypes: ['signinattempts'],
    sql: `SELECT
  target_user.email AS user_email,
  target_user.uuid AS user_uuid,
  coalesce(location.country, country) AS sign_in_country,
  category,
  count(*) AS attempts,
  count(DISTINCT client.ip_address) AS distinct_ips,
  min(substr("timestamp", 1, 19)) AS first_attempt,
  max(substr("timestamp", 1, 19)) AS last_attempt
FROM ${UNIQUE_VIEW_NAMES.signinattempts}
WHERE ${sinceDays(7)}
  AND category NOT IN ('success', 'firewall_reported_success')
GROUP BY 1, 2, 3, 4
ORDER BY attempts DESC, user_email
LIMIT 500`,
  },
  {
    name: 'Item reveals and exports per vault and user (last 30 days)',
    description: 'Item usages with action reveal, secure-copy or export, per vault, user and action.',
    kind: 'investigation',
    eventTypes: ['itemusages'],
    sql: `SELECT
  vault_uuid,
  "user".email AS user_email,
  "user".uuid AS user_uuid,
  action,
  count(*) AS usages,
  count(DISTINCT item_uuid) AS distinct_items,
  max(substr("timestamp", 1, 19)) AS last_usage
FROM ${UNIQUE_VIEW_NAMES.itemusages}
WHERE ${sinceDays(30)}
  AND action IN ('reveal', 'secure-copy', 'export')
GROUP BY 1, 2, 3, 4
ORDER BY usages DESC, vault_uuid, user_email
LIMIT 500`,
  },
  {
    name: 'Admin actions by actor (last 30 days)',
    description: 'Audit events per actor, action and object type: who changed what in the account.',
    kind: 'investigation',
    eventTypes: ['auditevents'],
    sql: `SELECT
  coalesce(actor_details.email, actor_uuid) AS actor,
  actor_type,
  action,
  object_type,
  count(*) AS events,
  count(DISTINCT object_uuid) AS distinct_objects,
  max(substr("timestamp", 1, 19)) AS last_event
FROM ${UNIQUE_VIEW_NAMES.auditevents}
WHERE ${sinceDays(30)}
GROUP BY 1, 2, 3, 4
ORDER BY events DESC, actor
LIMIT 500`,
  },
  {
    name: 'Sign-ins from new countries (last 7 days vs the 90 days before)',
    description:
      'Successful sign-ins from a country first seen for that user in the last 7 days, for users who ' +
      'already signed in during the 90 days before (brand-new users are left out).',
    kind: 'investigation',
    eventTypes: ['signinattempts'],
    sql: `WITH per_country AS (
  SELECT
    target_user.uuid AS user_uuid,
    max(target_user.email) AS user_email,
    coalesce(location.country, country) AS sign_in_country,
    min(${PARTITION_COLUMN}) AS first_seen_day,
    max(${PARTITION_COLUMN}) AS last_seen_day,
    count(*) AS sign_ins
  FROM ${UNIQUE_VIEW_NAMES.signinattempts}
  WHERE ${sinceDays(97)}
    AND category = 'success'
    AND target_user.uuid IS NOT NULL
  GROUP BY 1, 3
),
per_user AS (
  SELECT user_uuid, min(first_seen_day) AS user_first_day
  FROM per_country
  GROUP BY 1
)
SELECT
  c.user_email,
  c.user_uuid,
  c.sign_in_country,
  c.first_seen_day,
  c.last_seen_day,
  c.sign_ins
FROM per_country c
JOIN per_user u ON u.user_uuid = c.user_uuid
WHERE c.first_seen_day >= CAST(CAST(current_date - INTERVAL '7' DAY AS DATE) AS VARCHAR)
  AND u.user_first_day < CAST(CAST(current_date - INTERVAL '7' DAY AS DATE) AS VARCHAR)
ORDER BY c.first_seen_day DESC, c.user_email
LIMIT 500`,
  },
];

/** The queries a deployment of the given event types can run (every table they read exists). */
export function namedQueriesFor(eventTypes: readonly EventType[]): NamedQuery[] {
  return NAMED_QUERIES.filter((q) => q.eventTypes.every((t) => eventTypes.includes(t)));
}
