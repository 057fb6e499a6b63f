import type { WindowRule } from '../window-rule';
import {
  AUDIT_OBJECT_USER,
  auditPairsSummarySql,
  DAY_MS,
  eventMs,
  eventsIn,
  samePerson,
  vaultExportsSql,
} from '../window-sql';
import { ADMIN, auditEvent, DAY_MINUTES, MEMBER, vaultExportEvent } from './sample-events';

const activation = (person: typeof MEMBER) =>
  auditEvent({
    action: 'activate',
    object_type: 'user',
    object: person,
    actor: person,
    uuid: 'ACTIVATE000000000000000001',
  });
const vaultExport = (person: typeof MEMBER) => vaultExportEvent(person, 'EXPORT0000000000000000001');

export const vaultExportAfterAccountCreation: WindowRule = {
  id: 'vault-export-after-account-creation',
  kind: 'window',
  title: 'Vault exported by a user created in the last 14 days',
  severity: 'HIGH',
  mitre: { id: 'T1555.005', name: 'Credentials from Password Stores: Password Managers' },
  eventTypes: ['auditevents'],
  condition:
    'an audit event `export` on `vault` whose actor was the object of an audit event `activate` on `user` (uuid, else e-mail) in the previous `exportAfterCreationDays` (14) days',
  responderChecks:
    'A new account that exports a vault is unusual: confirm who the person is and why they need an export; check who invited them (manual-user-invite) and what the vault holds.',
  groupKeyText: 'the user (uuid, else e-mail)',
  keyColumns: ['vaults_exported'],
  lookbackMs: (settings) => settings.thresholds.exportAfterCreationDays * DAY_MS,
  render: (d, window, settings) => {
    const days = settings.thresholds.exportAfterCreationDays * DAY_MS;
    return `WITH exports AS (
${vaultExportsSql(d, window, 0)}
),
activations AS (
  SELECT uuid, ${eventMs(d)} AS t, ${AUDIT_OBJECT_USER.uuid} AS user_uuid, ${AUDIT_OBJECT_USER.email} AS user_email
  ${eventsIn(d, 'auditevents', window, days)}
    AND action = 'activate' AND object_type = 'user'
),
pairs AS (
  SELECT coalesce(e.user_uuid, e.user_email) AS group_key, e.uuid AS export_uuid, e.t AS export_t,
    e.user_uuid, e.user_email, e.user_name, e.ip, e.vault_uuid, a.uuid AS activation_uuid, a.t AS activated_t
  FROM exports e
  JOIN activations a ON ${samePerson('e.user_uuid', 'e.user_email', 'a.user_uuid', 'a.user_email')}
    AND a.t <= e.t AND a.t >= e.t - ${days}
),
${auditPairsSummarySql(d, {
  uuidColumns: ['export_uuid', 'activation_uuid'],
  firstMs: 'activated_t',
  lastMs: 'export_t',
  extra: ['count(DISTINCT p.vault_uuid) AS vaults_exported'],
})}`;
  },
  cases: {
    fires: [
      {
        name: 'a user activated three days ago exports a vault',
        windowMinutes: 60,
        events: {
          auditevents: [
            { minutesBeforeEnd: 3 * DAY_MINUTES, event: activation(MEMBER) },
            { minutesBeforeEnd: 30, event: vaultExport(MEMBER) },
          ],
        },
        groupKeys: [MEMBER.uuid],
      },
    ],
    quiet: [
      {
        name: 'activated twenty days ago',
        windowMinutes: 60,
        events: {
          auditevents: [
            { minutesBeforeEnd: 20 * DAY_MINUTES, event: activation(MEMBER) },
            { minutesBeforeEnd: 30, event: vaultExport(MEMBER) },
          ],
        },
        groupKeys: [],
      },
      {
        name: 'another user exports',
        windowMinutes: 60,
        events: {
          auditevents: [
            { minutesBeforeEnd: 3 * DAY_MINUTES, event: activation(MEMBER) },
            { minutesBeforeEnd: 30, event: vaultExport(ADMIN) },
          ],
        },
        groupKeys: [],
      },
      {
        name: 'the export came before the window',
        windowMinutes: 60,
        events: {
          auditevents: [
            { minutesBeforeEnd: 3 * DAY_MINUTES, event: activation(MEMBER) },
            { minutesBeforeEnd: 2 * DAY_MINUTES, event: vaultExport(MEMBER) },
          ],
        },
        groupKeys: [],
      },
    ],
  },
};
