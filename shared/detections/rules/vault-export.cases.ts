import type { EventRuleCase, RuleCases } from '../rule';
import { auditCase, VAULT_UUID } from './sample-events';

const vault = { uuid: VAULT_UUID, name: 'Finance' };

export const vaultExportCases: RuleCases<EventRuleCase> = {
  ruleId: 'vault-export',
  fires: [auditCase('a vault exported', { action: 'export', object_type: 'vault', object: vault })],
  quiet: [
    auditCase('an item exported is not a vault export', { action: 'export', object_type: 'item' }),
    auditCase('a vault created', { action: 'create', object_type: 'vault', object: vault }),
  ],
};
