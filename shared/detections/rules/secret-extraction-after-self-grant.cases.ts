import type { RuleCases } from '../rule';
import type { WindowRuleCase } from '../window-rule';
import { ADMIN, at, auditEvent, itemUsageEvent, MEMBER, VAULT_UUID, windowCase } from './sample-events';

const vault = { uuid: VAULT_UUID, name: 'Production secrets' };
const selfGrant = auditEvent({
  action: 'grant',
  object_type: 'uva',
  object: vault,
  aux: ADMIN,
  uuid: 'SELFGRANT00000000000000001',
});
const use = (n: number, action: string, fields: { vault_uuid?: string; user?: typeof ADMIN } = {}) =>
  itemUsageEvent({ action, user: ADMIN, uuid: `EXTRACT${String(n).padStart(19, '0')}`, ...fields });

export const secretExtractionAfterSelfGrantCases: RuleCases<WindowRuleCase> = {
  ruleId: 'secret-extraction-after-self-grant',
  fires: [
    windowCase(
      'an admin grants themselves a vault and reveals two of its items twenty minutes later',
      {
        auditevents: [at(40, selfGrant)],
        itemusages: [
          at(20, use(1, 'reveal')),
          at(19, use(2, 'secure-copy', { vault_uuid: VAULT_UUID.toLowerCase() })),
        ],
      },
      [`${ADMIN.uuid}/${VAULT_UUID.toLowerCase()}`],
    ),
  ],
  quiet: [
    windowCase('the items used two hours after the grant', {
      auditevents: [at(150, selfGrant)],
      itemusages: [at(20, use(1, 'reveal'))],
    }),
    windowCase('items of another vault', {
      auditevents: [at(40, selfGrant)],
      itemusages: [at(20, use(1, 'reveal', { vault_uuid: 'NV6IRD5EBTLAYXHIODA7KTEDXA' }))],
    }),
    windowCase('another user uses the vault after an admin grants it to them', {
      auditevents: [at(40, auditEvent({ action: 'grant', object_type: 'uva', object: vault, aux: MEMBER }))],
      itemusages: [at(20, use(1, 'reveal', { user: MEMBER }))],
    }),
    windowCase('items only filled after the self-grant', {
      auditevents: [at(40, selfGrant)],
      itemusages: [at(20, use(1, 'fill'))],
    }),
  ],
};
