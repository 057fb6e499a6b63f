import { auditRule } from '../audit-rule';
import { auditEvent } from './sample-events';

export const accountMfaDisabled = auditRule({
  id: 'account-mfa-disabled',
  title: 'MFA turned off for the whole account',
  severity: 'CRITICAL',
  mitre: { id: 'T1556.006', name: 'Modify Authentication Process: Multi-Factor Authentication' },
  condition: 'audit event with action `disblmfa` on object type `account`',
  responderChecks:
    "Confirm with the account owners that two-factor authentication was meant to be switched off for everyone; if not, turn it back on and review the actor's other changes in the same session.",
  objectTypes: ['account'],
  actions: ['disblmfa'],
  cases: {
    fires: [
      {
        name: 'MFA disabled for the account',
        event: auditEvent({ action: 'disblmfa', object_type: 'account' }),
      },
    ],
    quiet: [
      {
        name: 'MFA enabled for the account',
        event: auditEvent({ action: 'enblmfa', object_type: 'account' }),
      },
      { name: "one user's MFA disabled", event: auditEvent({ action: 'disblmfa', object_type: 'user' }) },
    ],
  },
});
