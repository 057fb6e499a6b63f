import { auditRule } from '../audit-rule';
import { technique } from '../mitre';

export const accountMfaDisabled = auditRule({
  id: 'account-mfa-disabled',
  title: 'MFA turned off for the whole account',
  severity: 'CRITICAL',
  mitre: technique('T1556.006'),
  condition: 'audit event with action `disblmfa` on object type `account`',
  responderChecks:
    'Confirm with the account owners that two-factor authentication was meant to be switched off for ' +
    "everyone; if not, turn it back on and review the actor's other changes in the same session.",
  objectTypes: ['account'],
  actions: ['disblmfa'],
});
