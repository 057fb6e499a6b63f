import type { WindowRule } from '../window-rule';
import {
  AUDIT_ACTOR,
  AUDIT_AUX,
  eventMs,
  eventsIn,
  joinedTexts,
  MINUTE_MS,
  onlyValue,
  samePerson,
} from '../window-sql';
import { ADMIN, auditEvent, itemUsageEvent, MEMBER, VAULT_UUID } from './sample-events';

/** Item usage actions that hand out a secret (reveal, copy, fetch by a server or CLI). */
const EXTRACTING_ACTIONS = "('reveal', 'secure-copy', 'server-fetch')";

const vault = { uuid: VAULT_UUID, name: 'Production secrets' };
const selfGrant = auditEvent({
  action: 'grant',
  object_type: 'uva',
  object: vault,
  aux: ADMIN,
  uuid: 'SELFGRANT00000000000000001',
});
const use = (n: number, action: string, fields: { vault_uuid?: string; user?: typeof ADMIN } = {}) =>
  itemUsageEvent({ action, user: ADMIN, uuid: `EXTRACT${String(n).padStart(19, '0')}`, ...fields });

export const secretExtractionAfterSelfGrant: WindowRule = {
  id: 'secret-extraction-after-self-grant',
  kind: 'window',
  title: 'Items used right after the user granted themselves the vault',
  severity: 'CRITICAL',
  mitre: { id: 'T1555.005', name: 'Credentials from Password Stores: Password Managers' },
  eventTypes: ['auditevents', 'itemusages'],
  condition:
    "an audit event `grant` or `update` on `uva` where the actor is the user granted (vault-access-self-granted), followed within `selfGrantUseMinutes` (60) minutes by that user's item usages of action `reveal`, `secure-copy` or `server-fetch` in that vault (`vault_uuid` = the grant's `object_uuid`)",
  responderChecks:
    'Treat as a possible insider or compromised admin: which items were used (the query), whether the grant was approved, and whether the secrets need rotating; remove the access if it was not approved.',
  groupKeyText: 'the user (uuid, else e-mail) and the vault',
  keyColumns: ['vault_uuid', 'item_uses', 'distinct_items'],
  lookbackMs: (settings) => settings.thresholds.selfGrantUseMinutes * MINUTE_MS,
  render: (d, window, settings) => {
    const span = settings.thresholds.selfGrantUseMinutes * MINUTE_MS;
    return `WITH grants AS (
  SELECT uuid, ${eventMs(d)} AS t, ${AUDIT_ACTOR.uuid} AS user_uuid, ${AUDIT_ACTOR.email} AS user_email,
    ${AUDIT_ACTOR.name} AS user_name, session.ip AS ip, lower(object_uuid) AS vault
  ${eventsIn(d, 'auditevents', window, span)}
    AND object_type = 'uva'
    AND action IN ('grant', 'update')
    AND ${samePerson(AUDIT_ACTOR.uuid, AUDIT_ACTOR.email, AUDIT_AUX.uuid, AUDIT_AUX.email)}
),
uses AS (
  SELECT uuid, ${eventMs(d)} AS t, "user".uuid AS user_uuid, "user".email AS user_email, lower(vault_uuid) AS vault, item_uuid
  ${eventsIn(d, 'itemusages', window, span)}
    AND action IN ${EXTRACTING_ACTIONS}
),
pairs AS (
  SELECT concat(coalesce(g.user_uuid, g.user_email), '/', g.vault) AS group_key,
    g.uuid AS grant_uuid, g.t AS grant_t, g.user_uuid, g.user_email, g.user_name, g.ip, g.vault,
    u.uuid AS use_uuid, u.t AS use_t, u.item_uuid
  FROM grants g
  JOIN uses u ON u.vault = g.vault
    AND ${samePerson('u.user_uuid', 'u.user_email', 'g.user_uuid', 'g.user_email')}
    AND u.t >= g.t AND u.t <= g.t + ${span}
),
found AS (
  SELECT group_key,
    ${onlyValue('user_uuid')} AS user_uuid,
    ${onlyValue('user_email')} AS user_email,
    ${onlyValue('user_name')} AS user_name,
    ${onlyValue('ip')} AS ip,
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
ORDER BY f.group_key`;
  },
  cases: {
    fires: [
      {
        name: 'an admin grants themselves a vault and reveals two of its items twenty minutes later',
        windowMinutes: 60,
        events: {
          auditevents: [{ minutesBeforeEnd: 40, event: selfGrant }],
          itemusages: [
            { minutesBeforeEnd: 20, event: use(1, 'reveal') },
            { minutesBeforeEnd: 19, event: use(2, 'secure-copy', { vault_uuid: VAULT_UUID.toLowerCase() }) },
          ],
        },
        groupKeys: [`${ADMIN.uuid}/${VAULT_UUID.toLowerCase()}`],
      },
    ],
    quiet: [
      {
        name: 'the items used two hours after the grant',
        windowMinutes: 60,
        events: {
          auditevents: [{ minutesBeforeEnd: 150, event: selfGrant }],
          itemusages: [{ minutesBeforeEnd: 20, event: use(1, 'reveal') }],
        },
        groupKeys: [],
      },
      {
        name: 'items of another vault',
        windowMinutes: 60,
        events: {
          auditevents: [{ minutesBeforeEnd: 40, event: selfGrant }],
          itemusages: [
            { minutesBeforeEnd: 20, event: use(1, 'reveal', { vault_uuid: 'NV6IRD5EBTLAYXHIODA7KTEDXA' }) },
          ],
        },
        groupKeys: [],
      },
      {
        name: 'another user uses the vault after an admin grants it to them',
        windowMinutes: 60,
        events: {
          auditevents: [
            {
              minutesBeforeEnd: 40,
              event: auditEvent({ action: 'grant', object_type: 'uva', object: vault, aux: MEMBER }),
            },
          ],
          itemusages: [{ minutesBeforeEnd: 20, event: use(1, 'reveal', { user: MEMBER }) }],
        },
        groupKeys: [],
      },
      {
        name: 'items only filled after the self-grant',
        windowMinutes: 60,
        events: {
          auditevents: [{ minutesBeforeEnd: 40, event: selfGrant }],
          itemusages: [{ minutesBeforeEnd: 20, event: use(1, 'fill') }],
        },
        groupKeys: [],
      },
    ],
  },
};
