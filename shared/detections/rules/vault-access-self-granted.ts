import { auditRule } from '../audit-rule';
import { actorIsAux } from '../event-fields';
import { technique } from '../mitre';

export const vaultAccessSelfGranted = auditRule({
  id: 'vault-access-self-granted',
  title: 'Actor granted themselves access to a vault',
  severity: 'HIGH',
  mitre: technique('T1098'),
  condition:
    "audit event with action `grant` or `update` on object type `uva` (a user's access to a vault) where " +
    'the actor is the user granted (`actor_uuid` = `aux_uuid`, else the same e-mail)',
  responderChecks:
    'Ask the actor why they needed the vault (object_uuid) and whether someone approved it; check their ' +
    'item usages in that vault after the grant (secret-extraction-after-self-grant).',
  objectTypes: ['uva'],
  actions: ['grant', 'update'],
  also: (event) => actorIsAux(event),
});
