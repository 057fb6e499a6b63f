import type { EventRuleCase, RuleCases } from '../rule';
import { auditCase } from './sample-events';

export const accountMfaDisabledCases: RuleCases<EventRuleCase> = {
  ruleId: 'account-mfa-disabled',
  fires: [auditCase('MFA disabled for the account', { action: 'disblmfa', object_type: 'account' })],
  quiet: [
    auditCase('MFA enabled for the account', { action: 'enblmfa', object_type: 'account' }),
    auditCase("one user's MFA disabled", { action: 'disblmfa', object_type: 'user' }),
  ],
};
