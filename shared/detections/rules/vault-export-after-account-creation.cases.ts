import type { RuleCases } from '../rule';
import type { WindowRuleCase } from '../window-rule';
import { ADMIN, at, auditEvent, DAY_MINUTES, MEMBER, vaultExportEvent, windowCase } from './sample-events';

const activation = (person: typeof MEMBER) =>
  auditEvent({
    action: 'activate',
    object_type: 'user',
    object: person,
    actor: person,
    uuid: 'ACTIVATE000000000000000001',
  });
const vaultExport = (person: typeof MEMBER) => vaultExportEvent(person, 'EXPORT0000000000000000001');

export const vaultExportAfterAccountCreationCases: RuleCases<WindowRuleCase> = {
  ruleId: 'vault-export-after-account-creation',
  fires: [
    windowCase(
      'a user activated three days ago exports a vault',
      { auditevents: [at(3 * DAY_MINUTES, activation(MEMBER)), at(30, vaultExport(MEMBER))] },
      [MEMBER.uuid],
    ),
  ],
  quiet: [
    windowCase('activated twenty days ago', {
      auditevents: [at(20 * DAY_MINUTES, activation(MEMBER)), at(30, vaultExport(MEMBER))],
    }),
    windowCase('another user exports', {
      auditevents: [at(3 * DAY_MINUTES, activation(MEMBER)), at(30, vaultExport(ADMIN))],
    }),
    windowCase('the export came before the window', {
      auditevents: [at(3 * DAY_MINUTES, activation(MEMBER)), at(2 * DAY_MINUTES, vaultExport(MEMBER))],
    }),
  ],
};
