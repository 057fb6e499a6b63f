import { auditRule } from '../audit-rule';

export const firewallRulesChanged = auditRule({
  id: 'firewall-rules-changed',
  title: "The account's firewall rules changed",
  severity: 'MEDIUM',
  mitre: { id: 'T1562.007', name: 'Impair Defenses: Disable or Modify Cloud Firewall' },
  condition: 'audit event with action `updatfw` on object type `account`',
  responderChecks:
    'Review the new firewall rules in the admin console (countries, IP ranges, anonymous IPs allowed) with ' +
    'the actor.',
  objectTypes: ['account'],
  actions: ['updatfw'],
});
