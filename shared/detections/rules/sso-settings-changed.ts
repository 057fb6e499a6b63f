import { auditRule } from '../audit-rule';
import { technique } from '../mitre';

export const ssoSettingsChanged = auditRule({
  id: 'sso-settings-changed',
  title: 'SSO settings changed',
  severity: 'HIGH',
  mitre: technique('T1484.002'),
  condition:
    'audit event on object type `sso` with action `enblsso`, `disblsso`, `chngpsso`, `chngasso`, ' +
    '`chngdsso`, `addgsso` or `delgsso`',
  responderChecks:
    'Confirm the change with the identity team: a new or changed identity provider, or groups added to ' +
    'SSO, decide who can sign in; check the actor and the session IP.',
  objectTypes: ['sso'],
  actions: ['enblsso', 'disblsso', 'chngpsso', 'chngasso', 'chngdsso', 'addgsso', 'delgsso'],
});
