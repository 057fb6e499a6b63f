import { technique } from '../mitre';
import { windowRule } from '../window-rule';
import {
  AUDIT_OBJECT_USER,
  auditPairsSummarySql,
  DAY_MS,
  eventMs,
  eventsIn,
  personKey,
  rowUser,
  samePerson,
  userColumns,
  vaultExportsSql,
} from '../window-sql';

export const vaultExportBeforeSuspension = windowRule({
  id: 'vault-export-before-suspension',
  title: 'User suspended or deleted within 14 days after exporting a vault',
  severity: 'HIGH',
  mitre: technique('T1555.005'),
  eventTypes: ['auditevents'],
  condition:
    'an audit event `suspend` or `delete` on `user` whose user (object uuid, else e-mail) was the actor of ' +
    'an audit event `export` on `vault` in the previous `exportBeforeSuspensionDays` (14) days',
  responderChecks:
    'A leaver who exported vaults may hold a copy of their secrets: find out where the export went, and ' +
    'rotate what the exported vaults (the query) hold.',
  groupKeyText: 'the suspended or deleted user (uuid, else e-mail)',
  keyColumns: ['vaults_exported', 'removal'],
  lookbackMs: (thresholds) => thresholds.exportBeforeSuspensionDays * DAY_MS,
  sql: (d, window, { lookbackMs: days }) => {
    const removed = rowUser('r');
    return `WITH removals AS (
  SELECT uuid, ${eventMs(d)} AS t, action, ${userColumns(AUDIT_OBJECT_USER)},
    ${AUDIT_OBJECT_USER.name} AS user_name
  ${eventsIn(d, 'auditevents', window, 0)}
    AND action IN ('suspend', 'delete') AND object_type = 'user'
),
exports AS (
${vaultExportsSql(d, window, days)}
),
pairs AS (
  SELECT ${personKey(removed)} AS group_key, r.uuid AS removal_uuid, r.t AS removed_t, r.action AS removal,
    r.user_uuid, coalesce(r.user_email, e.user_email) AS user_email, r.user_name, e.ip, e.vault_uuid,
    e.uuid AS export_uuid, e.t AS export_t
  FROM removals r
  JOIN exports e ON ${samePerson(rowUser('e'), removed)}
    AND e.t <= r.t AND e.t >= r.t - ${days}
),
${auditPairsSummarySql(d, {
  uuidColumns: ['export_uuid', 'removal_uuid'],
  firstMs: 'export_t',
  lastMs: 'removed_t',
  extra: ['count(DISTINCT p.vault_uuid) AS vaults_exported', 'max(p.removal) AS removal'],
})}`;
  },
});
