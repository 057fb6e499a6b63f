import { auditRule } from '../audit-rule';
import { actorIsAux } from '../event-fields';
import { technique } from '../mitre';

export const groupSelfJoined = auditRule({
  id: 'group-self-joined',
  title: 'Actor added themselves to a group or changed their own role in it',
  severity: 'HIGH',
  mitre: technique('T1098'),
  condition:
    'audit event with action `join` or `role` on object type `gm` (group membership) where the actor is ' +
    'the member (`actor_uuid` = `aux_uuid`, else the same e-mail)',
  responderChecks:
    'Check what the group (object_uuid) gives access to, and whether the actor was meant to be in it; a ' +
    'self-join to Owners or Administrators is an escalation.',
  objectTypes: ['gm'],
  actions: ['join', 'role'],
  also: (event) => actorIsAux(event),
});
