import type { EventType } from '../contracts/event-types';
import { PARTITION_COLUMN } from '../contracts/s3-layout';
import { countryJoin, countryKey, countryName } from './countries';
import { renderForEngines, type SqlDialect } from './dialect';
import { AUDIT_LOOKUPS, ITEM_USAGE_LOOKUPS, lookupJoin } from './lookup-joins';
import type { NamedQuery, QueryDefinition } from './query-definition';
import { servedBy } from './served-by';
import { firstDistinctTexts, ref } from './view-expressions';
import { TIMESTAMP_UTC_FIELD, UNIQUE_VIEW_NAMES } from './views';

/**
 * Saved queries: the investigations, deployed as AWS::Athena::NamedQuery and offered by
 * `op-events query --named`. Each is written once as a function of the dialect (shared/sql/dialect.ts)
 * and rendered for Athena (Trino) and DuckDB, so each engine gets its own functions where they differ.
 *
 * They read the de-duplicated views of shared/sql/views.ts, which the stack creates with the deploy
 * and the CLI creates over the local files. Windows compare the partition column `dt` (text
 * `YYYY-MM-DD`) with a date string, which keeps Athena's partition pruning; times are shown from the
 * views' `timestamp_utc`, the event's own timestamp converted to UTC. Names come from a LEFT JOIN
 * of the lookup tables (shared/contracts/lookup-schema.ts): where none is loaded the table is empty, the name
 * is NULL and the uuid beside it still shows.
 *
 * Checked by test/shared/sql/: the Athena text parses with a Trino grammar, the DuckDB text runs on
 * DuckDB over events laid out as Firehose writes them.
 */

const utc = TIMESTAMP_UTC_FIELD.name;

/** `dt` on or after the UTC day N days ago. */
const sinceDays = (d: SqlDialect, days: number) => `${PARTITION_COLUMN} >= ${d.utcDateDaysAgo(days)}`;

/**
 * Where a sign-in came from: 1Password's location, else the attempt's own `country`, each a code or
 * a name; the queries show its ISO code and its name (shared/sql/countries.ts), one value per country.
 */
const SIGN_IN_COUNTRY = 'coalesce(s.location.country, s.country)';

/** An audit event's object by its name from the lookups, else its uuid. */
const OBJECT_NAME_OR_UUID = `coalesce(${AUDIT_LOOKUPS.objectName}, ${ref('object_uuid')})`;

const DEFINITIONS: readonly QueryDefinition[] = [
  {
    name: 'Failed sign-ins by user and country (last 7 days)',
    description:
      'Sign-in attempts whose category is not a success, grouped by target user, country and category.',
    eventTypes: ['signinattempts'],
    windowDays: 7,
    render: (d) => `SELECT
  target_user.email AS user_email,
  target_user.uuid AS user_uuid,
  ${countryKey('c', SIGN_IN_COUNTRY)} AS sign_in_country,
  ${countryName('c', SIGN_IN_COUNTRY)} AS country_name,
  category,
  count(*) AS attempts,
  count(DISTINCT client.ip_address) AS distinct_ips,
  min(${utc}) AS first_attempt_utc,
  max(${utc}) AS last_attempt_utc
FROM ${UNIQUE_VIEW_NAMES.signinattempts} s
${countryJoin('c', SIGN_IN_COUNTRY)}
WHERE ${sinceDays(d, 7)}
  AND category NOT IN ('success', 'firewall_reported_success')
GROUP BY 1, 2, 3, 4, 5
ORDER BY attempts DESC, user_email
LIMIT 500`,
  },
  {
    name: 'Item reveals and exports per vault and user (last 30 days)',
    description:
      'Item usages with action reveal, secure-copy or export, per vault, user and action, with the ' +
      'vault name and the first item titles from the lookups (uuids where none is loaded).',
    eventTypes: ['itemusages'],
    windowDays: 30,
    render: (d) => `SELECT
  i.vault_uuid,
  max(${ITEM_USAGE_LOOKUPS.vaultName}) AS vault_name,
  i."user".email AS user_email,
  i."user".uuid AS user_uuid,
  i.action,
  count(*) AS usages,
  count(DISTINCT i.item_uuid) AS distinct_items,
  ${firstDistinctTexts(d, 'coalesce(li.title, i.item_uuid)', 5)} AS first_items,
  max(i.${utc}) AS last_usage_utc
FROM ${UNIQUE_VIEW_NAMES.itemusages} i
${lookupJoin('vaults', 'lv', 'i.vault_uuid')}
${lookupJoin('items', 'li', 'i.item_uuid')}
WHERE ${sinceDays(d, 30)}
  AND i.action IN ('reveal', 'secure-copy', 'export')
GROUP BY 1, 3, 4, 5
ORDER BY usages DESC, vault_uuid, user_email, action
LIMIT 500`,
  },
  {
    name: 'Admin actions by actor (last 30 days)',
    description:
      'Audit events per actor, action and object type: who changed what in the account, with names ' +
      'from the lookups (uuids where none is loaded) and the first objects by name.',
    eventTypes: ['auditevents'],
    windowDays: 30,
    render: (d) => `SELECT
  coalesce(${ref('actor_details', 'email')}, lu.email, ${ref('actor_uuid')}) AS actor,
  max(coalesce(${ref('actor_details', 'name')}, lu.name)) AS actor_name,
  ${ref('actor_type')} AS actor_type,
  ${ref('action')} AS action,
  ${ref('object_type')} AS object_type,
  count(*) AS events,
  count(DISTINCT ${ref('object_uuid')}) AS distinct_objects,
  ${firstDistinctTexts(d, OBJECT_NAME_OR_UUID, 5)} AS first_objects,
  max(${ref(utc)}) AS last_event_utc
FROM ${UNIQUE_VIEW_NAMES.auditevents} u
${[AUDIT_LOOKUPS.actorJoin, ...Object.values(AUDIT_LOOKUPS.objectJoins)].join('\n')}
WHERE ${sinceDays(d, 30)}
GROUP BY 1, 3, 4, 5
ORDER BY events DESC, actor, action, object_type
LIMIT 500`,
  },
  {
    name: 'Sign-ins from new countries (last 7 days vs the 90 days before)',
    description:
      'Successful sign-ins from a country first seen for that user in the last 7 days, for users who ' +
      "already signed in during the 90 days before (brand-new users are left out); the user's name " +
      'from the users lookup.',
    eventTypes: ['signinattempts'],
    windowDays: 97,
    render: (d) => `WITH per_country AS (
  SELECT
    s.target_user.uuid AS user_uuid,
    max(coalesce(s.target_user.email, lu.email)) AS user_email,
    max(coalesce(s.target_user.name, lu.name)) AS user_name,
    ${countryKey('c', SIGN_IN_COUNTRY)} AS sign_in_country,
    max(${countryName('c', SIGN_IN_COUNTRY)}) AS country_name,
    min(s.${utc}) AS first_seen_utc,
    max(s.${utc}) AS last_seen_utc,
    min(s.${PARTITION_COLUMN}) AS first_seen_day,
    max(s.${PARTITION_COLUMN}) AS last_seen_day,
    count(*) AS sign_ins,
    count(DISTINCT s.client.ip_address) AS distinct_ips
  FROM ${UNIQUE_VIEW_NAMES.signinattempts} s
  ${lookupJoin('users', 'lu', 's.target_user.uuid')}
  ${countryJoin('c', SIGN_IN_COUNTRY)}
  WHERE ${sinceDays(d, 97)}
    AND s.category = 'success'
    AND s.target_user.uuid IS NOT NULL
  GROUP BY 1, 4
),
per_user AS (
  SELECT user_uuid, min(first_seen_day) AS user_first_day
  FROM per_country
  GROUP BY 1
)
SELECT
  c.user_email,
  c.user_uuid,
  c.user_name,
  c.sign_in_country,
  c.country_name,
  c.first_seen_day,
  c.last_seen_day,
  c.first_seen_utc,
  c.last_seen_utc,
  c.sign_ins,
  c.distinct_ips
FROM per_country c
JOIN per_user u ON u.user_uuid = c.user_uuid
WHERE c.first_seen_day >= ${d.utcDateDaysAgo(7)}
  AND u.user_first_day < ${d.utcDateDaysAgo(7)}
ORDER BY c.first_seen_day DESC, c.user_email
LIMIT 500`,
  },
];

export const NAMED_QUERIES: readonly NamedQuery[] = DEFINITIONS.map(({ render, ...query }) => ({
  ...query,
  sql: renderForEngines(render),
}));

/** The queries a deployment of the given event types can run (every table they read exists). */
export function namedQueriesFor(eventTypes: readonly EventType[]): NamedQuery[] {
  return servedBy(NAMED_QUERIES, eventTypes);
}
