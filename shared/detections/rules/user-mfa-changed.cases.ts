import type { EventRuleCase, RuleCases } from '../rule';
import { auditCase, MEMBER } from './sample-events';

export const userMfaChangedCases: RuleCases<EventRuleCase> = {
  ruleId: 'user-mfa-changed',
  fires: [
    auditCase("a user's MFA disabled", { action: 'disblmfa', object_type: 'user', object: MEMBER }),
    auditCase("a user's MFA updated", { action: 'updatmfa', object_type: 'user', object: MEMBER }),
  ],
  quiet: [
    auditCase('account-wide MFA is another rule', { action: 'disblmfa', object_type: 'account' }),
    auditCase('a user suspended', { action: 'suspend', object_type: 'user', object: MEMBER }),
  ],
};
