import { auditRule } from '../audit-rule';
import { technique } from '../mitre';

export const serviceAccountCreated = auditRule({
  id: 'service-account-created',
  title: 'Service account created',
  severity: 'MEDIUM',
  mitre: technique('T1136.003'),
  condition: 'audit event with action `create` on object type `sa`',
  responderChecks:
    'Ask the actor what the service account is for and which vaults it reads; a service account bypasses ' +
    'MFA and SSO, so its token is as sensitive as the secrets it reaches.',
  objectTypes: ['sa'],
  actions: ['create'],
});
