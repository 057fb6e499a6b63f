import { auditRule } from '../audit-rule';
import { auditEvent } from './sample-events';

const serviceAccount = { uuid: 'SLDFFQNFZNFO7DVSJXZO2UQE4Q', name: 'ci-bot' };

export const serviceAccountCreated = auditRule({
  id: 'service-account-created',
  title: 'Service account created',
  severity: 'MEDIUM',
  mitre: { id: 'T1136.003', name: 'Create Account: Cloud Account' },
  condition: 'audit event with action `create` on object type `sa`',
  responderChecks:
    'Ask the actor what the service account is for and which vaults it reads; a service account bypasses MFA and SSO, so its token is as sensitive as the secrets it reaches.',
  objectTypes: ['sa'],
  actions: ['create'],
  cases: {
    fires: [
      {
        name: 'a service account created',
        event: auditEvent({ action: 'create', object_type: 'sa', object: serviceAccount }),
      },
    ],
    quiet: [{ name: 'a group created', event: auditEvent({ action: 'create', object_type: 'group' }) }],
  },
});
