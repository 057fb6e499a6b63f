import { auditRule } from '../audit-rule';
import { technique } from '../mitre';

export const vaultExport = auditRule({
  id: 'vault-export',
  title: 'Vault exported',
  severity: 'HIGH',
  mitre: technique('T1555.005'),
  condition: 'audit event with action `export` on object type `vault`',
  responderChecks:
    'Ask the actor whether the export was planned (migration, backup) and where the file is kept; check ' +
    'the vault (object_uuid) and the session IP; look for exports of other vaults by the same actor.',
  objectTypes: ['vault'],
  actions: ['export'],
});
