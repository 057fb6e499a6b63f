import { auditRule } from '../audit-rule';

export const vaultExport = auditRule({
  id: 'vault-export',
  title: 'Vault exported',
  severity: 'HIGH',
  mitre: { id: 'T1555.005', name: 'Credentials from Password Stores: Password Managers' },
  condition: 'audit event with action `export` on object type `vault`',
  responderChecks:
    'Ask the actor whether the export was planned (migration, backup) and where the file is kept; check ' +
    'the vault (object_uuid) and the session IP; look for exports of other vaults by the same actor.',
  objectTypes: ['vault'],
  actions: ['export'],
});
