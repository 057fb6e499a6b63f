import { auditRule } from '../audit-rule';
import { auditEvent } from './sample-events';

export const ssoSettingsChanged = auditRule({
  id: 'sso-settings-changed',
  title: 'SSO settings changed',
  severity: 'HIGH',
  mitre: { id: 'T1484.002', name: 'Domain or Tenant Policy Modification: Trust Modification' },
  condition:
    'audit event on object type `sso` with action `enblsso`, `disblsso`, `chngpsso`, `chngasso`, `chngdsso`, `addgsso` or `delgsso`',
  responderChecks:
    'Confirm the change with the identity team: a new or changed identity provider, or groups added to SSO, decide who can sign in; check the actor and the session IP.',
  objectTypes: ['sso'],
  actions: ['enblsso', 'disblsso', 'chngpsso', 'chngasso', 'chngdsso', 'addgsso', 'delgsso'],
  cases: {
    fires: [
      { name: 'SSO disabled', event: auditEvent({ action: 'disblsso', object_type: 'sso' }) },
      { name: 'a group added to SSO', event: auditEvent({ action: 'addgsso', object_type: 'sso' }) },
    ],
    quiet: [
      {
        name: 'a firewall change is not SSO',
        event: auditEvent({ action: 'updatfw', object_type: 'account' }),
      },
    ],
  },
});
