import { watchlistRule } from '../audit-rule';
import { actorIsAux } from '../event-fields';
import { technique } from '../mitre';

export const privilegedGroupMemberAdded = watchlistRule({
  id: 'privileged-group-member-added',
  title: 'Someone added to a watched group',
  severity: 'HIGH',
  mitre: technique('T1098'),
  condition:
    'audit event with action `join` on object type `gm` whose group (`object_uuid`) is on the group ' +
    'watchlist, where the actor is not the member added (self-joins are group-self-joined)',
  responderChecks:
    'Check that the new member (aux_details) was meant to join the watched group and who approved it.',
  objectTypes: ['gm'],
  actions: ['join'],
  watchlist: 'groups',
  also: (event) => !actorIsAux(event),
});
