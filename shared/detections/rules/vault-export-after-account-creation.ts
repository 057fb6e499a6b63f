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

export const vaultExportAfterAccountCreation = windowRule({
  id: 'vault-export-after-account-creation',
  title: 'Vault exported by a user created in the last 14 days',
  severity: 'HIGH',
  mitre: technique('T1555.005'),
  eventTypes: ['auditevents'],
  condition:
    'an audit event `export` on `vault` whose actor was the object of an audit event `activate` on `user` ' +
    '(uuid, else e-mail) in the previous `exportAfterCreationDays` (14) days',
  responderChecks:
    'A new account that exports a vault is unusual: confirm who the person is and why they need an export; ' +
    'check who invited them (manual-user-invite) and what the vault holds.',
  groupKeyText: 'the user (uuid, else e-mail)',
  keyColumns: ['vaults_exported'],
  lookbackMs: (thresholds) => thresholds.exportAfterCreationDays * DAY_MS,
  sql: (d, window, { lookbackMs: days }) => `WITH exports AS (
${vaultExportsSql(d, window, 0)}
),
activations AS (
  SELECT uuid, ${eventMs(d)} AS t, ${userColumns(AUDIT_OBJECT_USER)}
  ${eventsIn(d, 'auditevents', window, days)}
    AND action = 'activate' AND object_type = 'user'
),
pairs AS (
  SELECT ${personKey(rowUser('e'))} AS group_key, e.uuid AS export_uuid, e.t AS export_t,
    e.user_uuid, e.user_email, e.user_name, e.ip, e.vault_uuid, a.uuid AS activation_uuid, a.t AS activated_t
  FROM exports e
  JOIN activations a ON ${samePerson(rowUser('e'), rowUser('a'))}
    AND a.t <= e.t AND a.t >= e.t - ${days}
),
${auditPairsSummarySql(d, {
  uuidColumns: ['export_uuid', 'activation_uuid'],
  firstMs: 'activated_t',
  lastMs: 'export_t',
  extra: ['count(DISTINCT p.vault_uuid) AS vaults_exported'],
})}`,
});
