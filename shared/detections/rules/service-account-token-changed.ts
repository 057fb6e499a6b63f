import { auditRule } from '../audit-rule';

export const serviceAccountTokenChanged = auditRule({
  id: 'service-account-token-changed',
  title: 'Service account token created, renamed, verified or revoked',
  severity: 'MEDIUM',
  mitre: { id: 'T1098.001', name: 'Account Manipulation: Additional Cloud Credentials' },
  condition: 'audit event on object type `satoken` with action `create`, `trename`, `tverify` or `trevoke`',
  responderChecks:
    'Check that the token change was planned (rotation, new deployment); a new token is a new credential ' +
    "to the service account's vaults.",
  objectTypes: ['satoken'],
  actions: ['create', 'trename', 'tverify', 'trevoke'],
});
