import type { EventRuleCase, RuleCases } from '../rule';
import { auditCase, MEMBER, VAULT_UUID, watching } from './sample-events';

const watched = watching({ vaults: [VAULT_UUID] });
const vault = { uuid: VAULT_UUID, name: 'Production secrets' };
const otherVault = { uuid: 'NV6IRD5EBTLAYXHIODA7KTEDXA', name: 'Team lunch' };
const grant = (object: { uuid: string }) => ({ action: 'grant', object_type: 'uva', object, aux: MEMBER });

export const privilegedVaultPermissionChangeCases: RuleCases<EventRuleCase> = {
  ruleId: 'privileged-vault-permission-change',
  fires: [
    auditCase('a user granted a watched vault', grant(vault), watched),
    auditCase(
      "a group's access revoked, vault uuid in lower case",
      { action: 'revoke', object_type: 'gva', object: { uuid: VAULT_UUID.toLowerCase() } },
      watched,
    ),
  ],
  quiet: [
    auditCase('a vault not on the watchlist', grant(otherVault), watched),
    auditCase('no watchlist (the default)', grant(vault)),
  ],
};
