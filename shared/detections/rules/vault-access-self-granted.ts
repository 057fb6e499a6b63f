import { auditRule } from '../audit-rule';
import { actorIsAux } from '../event-fields';
import { ADMIN, auditEvent, MEMBER, VAULT_UUID } from './sample-events';

const vault = { uuid: VAULT_UUID, name: 'Finance' };

export const vaultAccessSelfGranted = auditRule({
  id: 'vault-access-self-granted',
  title: 'Actor granted themselves access to a vault',
  severity: 'HIGH',
  mitre: { id: 'T1098', name: 'Account Manipulation' },
  condition:
    "audit event with action `grant` or `update` on object type `uva` (a user's access to a vault) where the actor is the user granted (`actor_uuid` = `aux_uuid`, else the same e-mail)",
  responderChecks:
    'Ask the actor why they needed the vault (object_uuid) and whether someone approved it; check their item usages in that vault after the grant (secret-extraction-after-self-grant).',
  objectTypes: ['uva'],
  actions: ['grant', 'update'],
  also: (event) => actorIsAux(event),
  cases: {
    fires: [
      {
        name: 'an admin grants themselves a vault',
        event: auditEvent({ action: 'grant', object_type: 'uva', object: vault, aux: ADMIN }),
      },
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
      {
        name: 'an admin grants someone else',
        event: auditEvent({ action: 'grant', object_type: 'uva', object: vault, aux: MEMBER }),
      },
      {
        name: 'an actor revokes their own access',
        event: auditEvent({ action: 'revoke', object_type: 'uva', object: vault, aux: ADMIN }),
      },
    ],
  },
});
