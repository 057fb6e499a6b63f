import { auditRule, listed } from '../audit-rule';
import { textAt } from '../event-fields';
import { DEFAULT_DETECTION_SETTINGS } from '../settings';
import { auditEvent, MEMBER, VAULT_UUID } from './sample-events';

const watched = {
  ...DEFAULT_DETECTION_SETTINGS,
  watchlists: { ...DEFAULT_DETECTION_SETTINGS.watchlists, vaults: [VAULT_UUID] },
};
const vault = { uuid: VAULT_UUID, name: 'Production secrets' };
const otherVault = { uuid: 'NV6IRD5EBTLAYXHIODA7KTEDXA', name: 'Team lunch' };

export const privilegedVaultPermissionChange = auditRule({
  id: 'privileged-vault-permission-change',
  title: 'Access changed on a watched vault',
  severity: 'HIGH',
  mitre: { id: 'T1098', name: 'Account Manipulation' },
  condition:
    "audit event with action `grant`, `revoke` or `update` on object type `uva` or `gva` (a user's or group's access to a vault) whose vault (`object_uuid`) is on the vault watchlist",
  responderChecks:
    'Check who gained or lost access (aux_uuid: a user for uva, a group for gva) to the watched vault and that the change was approved.',
  objectTypes: ['uva', 'gva'],
  actions: ['grant', 'revoke', 'update'],
  also: (event, settings) => listed(settings.watchlists.vaults, textAt(event, 'object_uuid')),
  groupKey: {
    text: 'the vault (object_uuid)',
    of: (event) => textAt(event, 'object_uuid') ?? 'unknown-vault',
  },
  cases: {
    fires: [
      {
        name: 'a user granted a watched vault',
        event: auditEvent({ action: 'grant', object_type: 'uva', object: vault, aux: MEMBER }),
        settings: watched,
      },
      {
        name: "a group's access revoked, vault uuid in lower case",
        event: auditEvent({
          action: 'revoke',
          object_type: 'gva',
          object: { uuid: VAULT_UUID.toLowerCase() },
        }),
        settings: watched,
      },
    ],
    quiet: [
      {
        name: 'a vault not on the watchlist',
        event: auditEvent({ action: 'grant', object_type: 'uva', object: otherVault, aux: MEMBER }),
        settings: watched,
      },
      {
        name: 'no watchlist (the default)',
        event: auditEvent({ action: 'grant', object_type: 'uva', object: vault, aux: MEMBER }),
      },
    ],
  },
});
