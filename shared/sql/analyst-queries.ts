import { PARTITION_COLUMN } from '../output-format';
import { countryJoin, countryKey, countryName } from './countries';
import type { SqlDialect } from './dialect';
import { ECS_VIEW_NAMES } from './ecs-views';
import type { QueryDefinition } from './query-definition';

/**
 * Investigations over the ECS views: de-duplicated, with names from the lookup tables where they
 * are loaded (uuids otherwise). Saved and rendered with the other named queries (named-queries.ts).
 */
const sinceDays = (d: SqlDialect, days: number) => `${PARTITION_COLUMN} >= ${d.utcDateDaysAgo(days)}`;

/**
 * The sign-in country: 1Password's location (its code, else its name), else the attempt's own
 * `country` (a code or a name); shown as its ISO code and name (shared/sql/countries.ts).
 */
const COUNTRY = 'coalesce(e.source.geo.country_iso_code, e.source.geo.country_name, e.onepassword.country)';

export const ANALYST_QUERY_DEFINITIONS: readonly QueryDefinition[] = [
  {
    name: 'Item reveals and exports by vault name (last 30 days)',
    description:
      'Reveals, secure copies and exports of items per vault (by name from the vaults lookup), user and action, with the item titles.',
    eventTypes: ['itemusages'],
    windowDays: 30,
    render: (d) => `SELECT
  coalesce(onepassword.vault_name, onepassword.vault_uuid) AS vault,
  coalesce("user".email, "user".id) AS user_email,
  event.action AS action,
  count(*) AS usages,
  count(DISTINCT onepassword.item_uuid) AS distinct_items,
  ${d.engine === 'athena' ? "array_join(slice(array_sort(array_distinct(array_agg(coalesce(onepassword.item_title, onepassword.item_uuid)))), 1, 5), ', ')" : "array_to_string(list_slice(list_sort(list_distinct(list(coalesce(onepassword.item_title, onepassword.item_uuid)))), 1, 5), ', ')"} AS first_items,
  max("timestamp") AS last_usage_utc
FROM ${ECS_VIEW_NAMES.itemusages}
WHERE ${sinceDays(d, 30)}
  AND event.action IN ('reveal', 'secure-copy', 'export')
GROUP BY 1, 2, 3
ORDER BY usages DESC, vault, user_email, action
LIMIT 500`,
  },
  {
    name: 'New sign-in country per user (last 7 days vs the 90 before)',
    description:
      'Successful sign-ins from a country a user had not signed in from during the 90 days before the last 7 (users new in the last 7 days are left out).',
    eventTypes: ['signinattempts'],
    windowDays: 97,
    render: (d) => `WITH per_country AS (
  SELECT
    "user".id AS user_id,
    max("user".email) AS user_email,
    max("user".full_name) AS user_name,
    ${countryKey('c', COUNTRY)} AS country,
    max(${countryName('c', COUNTRY)}) AS country_name,
    min("timestamp") AS first_seen_utc,
    max("timestamp") AS last_seen_utc,
    min(${PARTITION_COLUMN}) AS first_seen_day,
    count(*) AS sign_ins,
    count(DISTINCT source.ip) AS distinct_ips
  FROM ${ECS_VIEW_NAMES.signinattempts} e
  ${countryJoin('c', COUNTRY)}
  WHERE ${sinceDays(d, 97)}
    AND event.outcome = 'success'
    AND "user".id IS NOT NULL
  GROUP BY 1, 4
),
per_user AS (
  SELECT user_id, min(first_seen_day) AS user_first_day
  FROM per_country
  GROUP BY 1
)
SELECT
  c.user_email,
  c.user_name,
  c.country,
  c.country_name,
  c.first_seen_utc,
  c.last_seen_utc,
  c.sign_ins,
  c.distinct_ips
FROM per_country c
JOIN per_user u ON u.user_id = c.user_id
WHERE c.first_seen_day >= ${d.utcDateDaysAgo(7)}
  AND u.user_first_day < ${d.utcDateDaysAgo(7)}
ORDER BY c.first_seen_utc DESC, c.user_email
LIMIT 500`,
  },
  {
    name: 'Admin actions on users and groups (last 30 days)',
    description:
      'Audit events on users, groups, group memberships and vault access, newest first: who did what to whom, with names from the lookups.',
    eventTypes: ['auditevents'],
    windowDays: 30,
    render: (d) => `SELECT
  "timestamp" AS time_utc,
  coalesce("user".email, "user".full_name, "user".id) AS actor,
  event.action AS action,
  onepassword.object_type AS object_type,
  coalesce(onepassword.object_name, onepassword.object_details.email, onepassword.object_uuid) AS object,
  coalesce(onepassword.aux_details.email, onepassword.aux_details.name, onepassword.aux_uuid) AS member_or_target,
  source.ip AS source_ip
FROM ${ECS_VIEW_NAMES.auditevents}
WHERE ${sinceDays(d, 30)}
  AND onepassword.object_type IN ('user', 'group', 'gm', 'uva', 'gva')
ORDER BY "timestamp" DESC
LIMIT 500`,
  },
];
