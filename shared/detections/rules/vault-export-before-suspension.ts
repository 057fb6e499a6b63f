import type { WindowRule } from '../window-rule';
import {
  AUDIT_ACTOR,
  AUDIT_OBJECT_USER,
  DAY_MS,
  eventMs,
  eventsIn,
  joinedTexts,
  samePerson,
} from '../window-sql';
import { ADMIN, auditEvent, MEMBER, VAULT_UUID } from './sample-events';

const DAY_MINUTES = 1_440;
const vault = { uuid: VAULT_UUID, name: 'Finance' };
const vaultExport = (person: typeof MEMBER) =>
  auditEvent({
    action: 'export',
    object_type: 'vault',
    object: vault,
    actor: person,
    uuid: 'EXPORT0000000000000000002',
  });
const removal = (action: string, person: typeof MEMBER) =>
  auditEvent({
    action,
    object_type: 'user',
    object: person,
    actor: ADMIN,
    uuid: 'REMOVE0000000000000000001',
  });

export const vaultExportBeforeSuspension: WindowRule = {
  id: 'vault-export-before-suspension',
  kind: 'window',
  title: 'User suspended or deleted within 14 days after exporting a vault',
  severity: 'HIGH',
  mitre: { id: 'T1555.005', name: 'Credentials from Password Stores: Password Managers' },
  eventTypes: ['auditevents'],
  condition:
    'an audit event `suspend` or `delete` on `user` whose user (object uuid, else e-mail) was the actor of an audit event `export` on `vault` in the previous `exportBeforeSuspensionDays` (14) days',
  responderChecks:
    'A leaver who exported vaults may hold a copy of their secrets: find out where the export went, and rotate what the exported vaults (the query) hold.',
  groupKeyText: 'the suspended or deleted user (uuid, else e-mail)',
  keyColumns: ['vaults_exported', 'removal'],
  lookbackMs: (settings) => settings.thresholds.exportBeforeSuspensionDays * DAY_MS,
  render: (d, window, settings) => {
    const days = settings.thresholds.exportBeforeSuspensionDays * DAY_MS;
    return `WITH removals AS (
  SELECT uuid, ${eventMs(d)} AS t, action, ${AUDIT_OBJECT_USER.uuid} AS user_uuid, ${AUDIT_OBJECT_USER.email} AS user_email,
    ${AUDIT_OBJECT_USER.name} AS user_name
  ${eventsIn(d, 'auditevents', window, 0)}
    AND action IN ('suspend', 'delete') AND object_type = 'user'
),
exports AS (
  SELECT uuid, ${eventMs(d)} AS t, ${AUDIT_ACTOR.uuid} AS user_uuid, ${AUDIT_ACTOR.email} AS user_email,
    session.ip AS ip, object_uuid AS vault_uuid
  ${eventsIn(d, 'auditevents', window, days)}
    AND action = 'export' AND object_type = 'vault'
),
pairs AS (
  SELECT coalesce(r.user_uuid, r.user_email) AS group_key, r.uuid AS removal_uuid, r.t AS removed_t, r.action AS removal,
    r.user_uuid, coalesce(r.user_email, e.user_email) AS user_email, r.user_name, e.ip, e.vault_uuid,
    e.uuid AS export_uuid, e.t AS export_t
  FROM removals r
  JOIN exports e ON ${samePerson('e.user_uuid', 'e.user_email', 'r.user_uuid', 'r.user_email')}
    AND e.t <= r.t AND e.t >= r.t - ${days}
),
ids AS (
  SELECT DISTINCT group_key, export_uuid AS uuid FROM pairs
  UNION ALL
  SELECT DISTINCT group_key, removal_uuid AS uuid FROM pairs
)
SELECT p.group_key, max(p.user_uuid) AS user_uuid, max(p.user_email) AS user_email, max(p.user_name) AS user_name,
  CASE WHEN count(DISTINCT p.ip) = 1 THEN max(p.ip) END AS ip,
  min(p.export_t) AS first_seen_ms, max(p.removed_t) AS last_seen_ms,
  max(i.uuids) AS uuids_auditevents,
  count(DISTINCT p.vault_uuid) AS vaults_exported,
  max(p.removal) AS removal
FROM pairs p
JOIN (SELECT group_key, ${joinedTexts(d, 'uuid')} AS uuids FROM ids GROUP BY group_key) i ON i.group_key = p.group_key
GROUP BY p.group_key
ORDER BY p.group_key`;
  },
  cases: {
    fires: [
      {
        name: 'a user who exported a vault five days ago is suspended',
        windowMinutes: 60,
        events: {
          auditevents: [
            { minutesBeforeEnd: 5 * DAY_MINUTES, event: vaultExport(MEMBER) },
            { minutesBeforeEnd: 30, event: removal('suspend', MEMBER) },
          ],
        },
        groupKeys: [MEMBER.uuid],
      },
      {
        name: 'deleted the day after, matched by e-mail in another case',
        windowMinutes: 60,
        events: {
          auditevents: [
            { minutesBeforeEnd: DAY_MINUTES, event: vaultExport(MEMBER) },
            {
              minutesBeforeEnd: 30,
              event: {
                ...removal('delete', MEMBER),
                object_uuid: undefined,
                object_details: { name: MEMBER.name, email: MEMBER.email.toUpperCase() },
              },
            },
          ],
        },
        groupKeys: [MEMBER.email.toUpperCase()],
      },
    ],
    quiet: [
      {
        name: 'the export was twenty days before',
        windowMinutes: 60,
        events: {
          auditevents: [
            { minutesBeforeEnd: 20 * DAY_MINUTES, event: vaultExport(MEMBER) },
            { minutesBeforeEnd: 30, event: removal('suspend', MEMBER) },
          ],
        },
        groupKeys: [],
      },
      {
        name: 'another user exported',
        windowMinutes: 60,
        events: {
          auditevents: [
            { minutesBeforeEnd: 5 * DAY_MINUTES, event: vaultExport(ADMIN) },
            { minutesBeforeEnd: 30, event: removal('suspend', MEMBER) },
          ],
        },
        groupKeys: [],
      },
      {
        name: 'reactivated, not suspended',
        windowMinutes: 60,
        events: {
          auditevents: [
            { minutesBeforeEnd: 5 * DAY_MINUTES, event: vaultExport(MEMBER) },
            { minutesBeforeEnd: 30, event: removal('reactivate', MEMBER) },
          ],
        },
        groupKeys: [],
      },
    ],
  },
};
