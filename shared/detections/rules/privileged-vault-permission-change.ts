import { watchlistRule } from '../audit-rule';
import { technique } from '../mitre';

export const privilegedVaultPermissionChange = watchlistRule({
  id: 'privileged-vault-permission-change',
  title: 'Access changed on a watched vault',
  severity: 'HIGH',
  mitre: technique('T1098'),
  condition:
    "audit event with action `grant`, `revoke` or `update` on object type `uva` or `gva` (a user's or " +
    "group's access to a vault) whose vault (`object_uuid`) is on the vault watchlist",
  responderChecks:
    'Check who gained or lost access (aux_uuid: a user for uva, a group for gva) to the watched vault and ' +
    'that the change was approved.',
  objectTypes: ['uva', 'gva'],
  actions: ['grant', 'revoke', 'update'],
  watchlist: 'vaults',
});
