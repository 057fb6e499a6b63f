import { auditRule } from '../audit-rule';
import { technique } from '../mitre';

export const serviceAccountTokenChanged = auditRule({
  id: 'service-account-token-changed',
  title: 'Service account token created, renamed, verified or revoked',
  severity: 'MEDIUM',
  mitre: technique('T1098.001'),
  condition: 'audit event on object type `satoken` with action `create`, `trename`, `tverify` or `trevoke`',
  responderChecks:
    'Check that the token change was planned (rotation, new deployment); a new token is a new credential ' +
    "to the service account's vaults.",
  objectTypes: ['satoken'],
  actions: ['create', 'trename', 'tverify', 'trevoke'],
});
