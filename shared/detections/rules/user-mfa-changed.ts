import { auditRule } from '../audit-rule';
import { technique } from '../mitre';

export const userMfaChanged = auditRule({
  id: 'user-mfa-changed',
  title: "A user's MFA enabled, updated or disabled",
  severity: 'MEDIUM',
  mitre: technique('T1556.006'),
  condition: 'audit event with action `enblmfa`, `updatmfa` or `disblmfa` on object type `user`',
  responderChecks:
    'Check with the user (object_details) that they changed their own second factor; a change by another ' +
    'actor, or a disable followed by sign-ins from a new IP, needs a closer look.',
  objectTypes: ['user'],
  actions: ['enblmfa', 'updatmfa', 'disblmfa'],
});
