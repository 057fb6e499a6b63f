import type { EventRuleCase, RuleCases } from '../rule';
import { auditCase } from './sample-events';

export const firewallRulesChangedCases: RuleCases<EventRuleCase> = {
  ruleId: 'firewall-rules-changed',
  fires: [auditCase('firewall rules updated', { action: 'updatfw', object_type: 'account' })],
  quiet: [auditCase('account MFA enabled', { action: 'enblmfa', object_type: 'account' })],
};
