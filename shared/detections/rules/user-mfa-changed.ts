import { auditRule } from '../audit-rule';
import { auditEvent, MEMBER } from './sample-events';

export const userMfaChanged = auditRule({
  id: 'user-mfa-changed',
  title: "A user's MFA enabled, updated or disabled",
  severity: 'MEDIUM',
  mitre: { id: 'T1556.006', name: 'Modify Authentication Process: Multi-Factor Authentication' },
  condition: 'audit event with action `enblmfa`, `updatmfa` or `disblmfa` on object type `user`',
  responderChecks:
    'Check with the user (object_details) that they changed their own second factor; a change by another actor, or a disable followed by sign-ins from a new IP, needs a closer look.',
  objectTypes: ['user'],
  actions: ['enblmfa', 'updatmfa', 'disblmfa'],
  cases: {
    fires: [
      {
        name: "a user's MFA disabled",
        event: auditEvent({ action: 'disblmfa', object_type: 'user', object: MEMBER }),
      },
      {
        name: "a user's MFA updated",
        event: auditEvent({ action: 'updatmfa', object_type: 'user', object: MEMBER }),
      },
    ],
    quiet: [
      {
        name: 'account-wide MFA is another rule',
        event: auditEvent({ action: 'disblmfa', object_type: 'account' }),
      },
      {
        name: 'a user suspended',
        event: auditEvent({ action: 'suspend', object_type: 'user', object: MEMBER }),
      },
    ],
  },
});
