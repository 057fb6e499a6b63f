import { auditRule } from '../audit-rule';

export const accountMfaDisabled = auditRule({
  id: 'account-mfa-disabled',
  title: 'MFA turned off for the whole account',
  severity: 'CRITICAL',
  mitre: { id: 'T1556.006', name: 'Modify Authentication Process: Multi-Factor Authentication' },
  condition: 'audit event with action `disblmfa` on object type `account`',
  responderChecks:
    'Confirm with the account owners that two-factor authentication was meant to be switched off for ' +
    "everyone; if not, turn it back on and review the actor's other changes in the same session.",
  objectTypes: ['account'],
  actions: ['disblmfa'],
});
