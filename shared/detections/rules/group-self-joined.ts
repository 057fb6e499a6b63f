import { auditRule } from '../audit-rule';
import { actorIsAux } from '../event-fields';
import { ADMIN, auditEvent, GROUP_UUID, MEMBER } from './sample-events';

const group = { uuid: GROUP_UUID, name: 'Owners' };

export const groupSelfJoined = auditRule({
  id: 'group-self-joined',
  title: 'Actor added themselves to a group or changed their own role in it',
  severity: 'HIGH',
  mitre: { id: 'T1098', name: 'Account Manipulation' },
  condition:
    'audit event with action `join` or `role` on object type `gm` (group membership) where the actor is the member (`actor_uuid` = `aux_uuid`, else the same e-mail)',
  responderChecks:
    'Check what the group (object_uuid) gives access to, and whether the actor was meant to be in it; a self-join to Owners or Administrators is an escalation.',
  objectTypes: ['gm'],
  actions: ['join', 'role'],
  also: (event) => actorIsAux(event),
  cases: {
    fires: [
      {
        name: 'an admin joins a group',
        event: auditEvent({ action: 'join', object_type: 'gm', object: group, aux: ADMIN }),
      },
      {
        name: 'an admin raises their own role',
        event: auditEvent({ action: 'role', object_type: 'gm', object: group, aux: ADMIN }),
      },
    ],
    quiet: [
      {
        name: 'an admin adds someone else',
        event: auditEvent({ action: 'join', object_type: 'gm', object: group, aux: MEMBER }),
      },
      {
        name: 'an admin leaves the group',
        event: auditEvent({ action: 'leave', object_type: 'gm', object: group, aux: ADMIN }),
      },
    ],
  },
});
