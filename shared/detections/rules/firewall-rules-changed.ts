import { auditRule } from '../audit-rule';
import { technique } from '../mitre';

export const firewallRulesChanged = auditRule({
  id: 'firewall-rules-changed',
  title: "The account's firewall rules changed",
  severity: 'MEDIUM',
  mitre: technique('T1562.007'),
  condition: 'audit event with action `updatfw` on object type `account`',
  responderChecks:
    'Review the new firewall rules in the admin console (countries, IP ranges, anonymous IPs allowed) with ' +
    'the actor.',
  objectTypes: ['account'],
  actions: ['updatfw'],
});
