import type { EventRuleCase, RuleCases } from '../rule';
import { ADMIN, auditCase, auditEvent, MEMBER, VAULT_UUID } from './sample-events';

const vault = { uuid: VAULT_UUID, name: 'Finance' };

export const vaultAccessSelfGrantedCases: RuleCases<EventRuleCase> = {
  ruleId: 'vault-access-self-granted',
  fires: [
    auditCase('an admin grants themselves a vault', {
      action: 'grant',
      object_type: 'uva',
      object: vault,
      aux: ADMIN,
    }),
    {
      name: 'the same person by e-mail only, uuid in lower case elsewhere',
      event: {
        ...auditEvent({ action: 'update', object_type: 'uva', object: vault }),
        actor_uuid: undefined,
        actor_details: { name: ADMIN.name, email: ADMIN.email },
        aux_details: { name: ADMIN.name, email: ADMIN.email.toUpperCase() },
      },
    },
  ],
  quiet: [
    auditCase('an admin grants someone else', {
      action: 'grant',
      object_type: 'uva',
      object: vault,
      aux: MEMBER,
    }),
    auditCase('an actor revokes their own access', {
      action: 'revoke',
      object_type: 'uva',
      object: vault,
      aux: ADMIN,
    }),
  ],
};
