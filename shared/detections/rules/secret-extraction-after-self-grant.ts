import { technique } from '../mitre';
import { windowRule } from '../window-rule';
import {
  AUDIT_ACTOR,
  AUDIT_AUX,
  eventMs,
  eventsIn,
  ITEM_USER,
  joinedTexts,
  MINUTE_MS,
  onlyValueColumns,
  personKey,
  rowUser,
  samePerson,
  userColumns,
} from '../window-sql';

/** Item usage actions that hand out a secret (reveal, copy, fetch by a server or CLI). */
const EXTRACTING_ACTIONS = "('reveal', 'secure-copy', 'server-fetch')";

export const secretExtractionAfterSelfGrant = windowRule({
  id: 'secret-extraction-after-self-grant',
  title: 'Items used right after the user granted themselves the vault',
  severity: 'CRITICAL',
  mitre: technique('T1555.005'),
  eventTypes: ['auditevents', 'itemusages'],
  condition:
    'an audit event `grant` or `update` on `uva` where the actor is the user granted ' +
    "(vault-access-self-granted), followed within `selfGrantUseMinutes` (60) minutes by that user's item " +
    "usages of action `reveal`, `secure-copy` or `server-fetch` in that vault (`vault_uuid` = the grant's " +
    '`object_uuid`)',
  responderChecks:
    'Treat as a possible insider or compromised admin: which items were used (the query), whether the ' +
    'grant was approved, and whether the secrets need rotating; remove the access if it was not approved.',
  groupKeyText: 'the user (uuid, else e-mail) and the vault',
  keyColumns: ['vault_uuid', 'item_uses', 'distinct_items'],
  lookbackMs: (thresholds) => thresholds.selfGrantUseMinutes * MINUTE_MS,
  sql: (d, window, { lookbackMs: span }) => `WITH grants AS (
  SELECT uuid, ${eventMs(d)} AS t, ${userColumns(AUDIT_ACTOR)},
    ${AUDIT_ACTOR.name} AS user_name, session.ip AS ip, lower(object_uuid) AS vault
  ${eventsIn(d, 'auditevents', window, span)}
    AND object_type = 'uva'
    AND action IN ('grant', 'update')
    AND ${samePerson(AUDIT_ACTOR, AUDIT_AUX)}
),
uses AS (
  SELECT uuid, ${eventMs(d)} AS t, ${userColumns(ITEM_USER)}, lower(vault_uuid) AS vault, item_uuid
  ${eventsIn(d, 'itemusages', window, span)}
    AND action IN ${EXTRACTING_ACTIONS}
),
pairs AS (
  SELECT concat(${personKey(rowUser('g'))}, '/', g.vault) AS group_key,
    g.uuid AS grant_uuid, g.t AS grant_t, g.user_uuid, g.user_email, g.user_name, g.ip, g.vault,
    u.uuid AS use_uuid, u.t AS use_t, u.item_uuid
  FROM grants g
  JOIN uses u ON u.vault = g.vault
    AND ${samePerson(rowUser('u'), rowUser('g'))}
    AND u.t >= g.t AND u.t <= g.t + ${span}
),
found AS (
  SELECT group_key,
${onlyValueColumns('    ')}
    max(vault) AS vault_uuid,
    min(grant_t) AS first_seen_ms,
    max(use_t) AS last_seen_ms,
    count(DISTINCT use_uuid) AS item_uses,
    count(DISTINCT item_uuid) AS distinct_items
  FROM pairs
  GROUP BY group_key
  HAVING max(use_t) >= ${window.sinceMs}
),
grant_ids AS (
  SELECT group_key, ${joinedTexts(d, 'grant_uuid')} AS uuids_auditevents
  FROM (SELECT DISTINCT group_key, grant_uuid FROM pairs) g
  GROUP BY group_key
),
use_ids AS (
  SELECT group_key, ${joinedTexts(d, 'use_uuid')} AS uuids_itemusages
  FROM (SELECT DISTINCT group_key, use_uuid FROM pairs) u
  GROUP BY group_key
)
SELECT f.*, g.uuids_auditevents, u.uuids_itemusages
FROM found f
JOIN grant_ids g ON g.group_key = f.group_key
JOIN use_ids u ON u.group_key = f.group_key
ORDER BY f.group_key`,
});
