import { auditRule } from '../audit-rule';
import { auditEvent } from './sample-events';

export const firewallRulesChanged = auditRule({
  id: 'firewall-rules-changed',
  title: "The account's firewall rules changed",
  severity: 'MEDIUM',
  mitre: { id: 'T1562.007', name: 'Impair Defenses: Disable or Modify Cloud Firewall' },
  condition: 'audit event with action `updatfw` on object type `account`',
  responderChecks:
    'Review the new firewall rules in the admin console (countries, IP ranges, anonymous IPs allowed) with the actor.',
  objectTypes: ['account'],
  actions: ['updatfw'],
  cases: {
    fires: [
      { name: 'firewall rules updated', event: auditEvent({ action: 'updatfw', object_type: 'account' }) },
    ],
    quiet: [
      { name: 'account MFA enabled', event: auditEvent({ action: 'enblmfa', object_type: 'account' }) },
    ],
  },
});
