import { auditRule } from '../audit-rule';
import { auditEvent } from './sample-events';

const token = { uuid: 'AUBCUZ3NQJGOFKXH6LPIS5SKTE', name: 'deploy token' };

export const serviceAccountTokenChanged = auditRule({
  id: 'service-account-token-changed',
  title: 'Service account token created, renamed, verified or revoked',
  severity: 'MEDIUM',
  mitre: { id: 'T1098.001', name: 'Account Manipulation: Additional Cloud Credentials' },
  condition: 'audit event on object type `satoken` with action `create`, `trename`, `tverify` or `trevoke`',
  responderChecks:
    "Check that the token change was planned (rotation, new deployment); a new token is a new credential to the service account's vaults.",
  objectTypes: ['satoken'],
  actions: ['create', 'trename', 'tverify', 'trevoke'],
  cases: {
    fires: [
      {
        name: 'a token created',
        event: auditEvent({ action: 'create', object_type: 'satoken', object: token }),
      },
      {
        name: 'a token revoked',
        event: auditEvent({ action: 'trevoke', object_type: 'satoken', object: token }),
      },
    ],
    quiet: [
      { name: 'a service account created', event: auditEvent({ action: 'create', object_type: 'sa' }) },
    ],
  },
});
