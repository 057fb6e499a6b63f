import type { RuleCases } from '../rule';
import type { WindowRuleCase } from '../window-rule';
import { ADMIN, at, auditEvent, DAY_MINUTES, MEMBER, vaultExportEvent, windowCase } from './sample-events';

const vaultExport = (person: typeof MEMBER) => vaultExportEvent(person, 'EXPORT0000000000000000002');
const removal = (action: string, person: typeof MEMBER) =>
  auditEvent({
    action,
    object_type: 'user',
    object: person,
    actor: ADMIN,
    uuid: 'REMOVE0000000000000000001',
  });
const deletedByEmailOnly = {
  ...removal('delete', MEMBER),
  object_uuid: undefined,
  object_details: { name: MEMBER.name, email: MEMBER.email.toUpperCase() },
};

export const vaultExportBeforeSuspensionCases: RuleCases<WindowRuleCase> = {
  ruleId: 'vault-export-before-suspension',
  fires: [
    windowCase(
      'a user who exported a vault five days ago is suspended',
      { auditevents: [at(5 * DAY_MINUTES, vaultExport(MEMBER)), at(30, removal('suspend', MEMBER))] },
      [MEMBER.uuid],
    ),
    windowCase(
      'deleted the day after, matched by e-mail in another case',
      { auditevents: [at(DAY_MINUTES, vaultExport(MEMBER)), at(30, deletedByEmailOnly)] },
      [MEMBER.email.toUpperCase()],
    ),
  ],
  quiet: [
    windowCase('the export was twenty days before', {
      auditevents: [at(20 * DAY_MINUTES, vaultExport(MEMBER)), at(30, removal('suspend', MEMBER))],
    }),
    windowCase('another user exported', {
      auditevents: [at(5 * DAY_MINUTES, vaultExport(ADMIN)), at(30, removal('suspend', MEMBER))],
    }),
    windowCase('reactivated, not suspended', {
      auditevents: [at(5 * DAY_MINUTES, vaultExport(MEMBER)), at(30, removal('reactivate', MEMBER))],
    }),
  ],
};
