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

const vaultExport = (person: typeof MEMBER) => vaultExportEvent(person, 'EXPORT0000000000000000002');
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
${vaultExportsSql(d, window, days)}
),
pairs AS (
  SELECT coalesce(r.user_uuid, r.user_email) AS group_key, r.uuid AS removal_uuid, r.t AS removed_t, r.action AS removal,
    r.user_uuid, coalesce(r.user_email, e.user_email) AS user_email, r.user_name, e.ip, e.vault_uuid,
    e.uuid AS export_uuid, e.t AS export_t
  FROM removals r
  JOIN exports e ON ${samePerson('e.user_uuid', 'e.user_email', 'r.user_uuid', 'r.user_email')}
    AND e.t <= r.t AND e.t >= r.t - ${days}
),
${auditPairsSummarySql(d, {
  uuidColumns: ['export_uuid', 'removal_uuid'],
  firstMs: 'export_t',
  lastMs: 'removed_t',
  extra: ['count(DISTINCT p.vault_uuid) AS vaults_exported', 'max(p.removal) AS removal'],
})}`;
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
