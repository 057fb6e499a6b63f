import { auditRule, listed } from '../audit-rule';
import { actorIsAux, textAt } from '../event-fields';
import { DEFAULT_DETECTION_SETTINGS } from '../settings';
import { ADMIN, auditEvent, GROUP_UUID, MEMBER } from './sample-events';

const watched = {
  ...DEFAULT_DETECTION_SETTINGS,
  watchlists: { ...DEFAULT_DETECTION_SETTINGS.watchlists, groups: [GROUP_UUID] },
};
const group = { uuid: GROUP_UUID, name: 'Administrators' };

export const privilegedGroupMemberAdded = auditRule({
  id: 'privileged-group-member-added',
  title: 'Someone added to a watched group',
  severity: 'HIGH',
  mitre: { id: 'T1098', name: 'Account Manipulation' },
  condition:
    'audit event with action `join` on object type `gm` whose group (`object_uuid`) is on the group watchlist, where the actor is not the member added (self-joins are group-self-joined)',
  responderChecks:
    'Check that the new member (aux_details) was meant to join the watched group and who approved it.',
  objectTypes: ['gm'],
  actions: ['join'],
  also: (event, settings) =>
    listed(settings.watchlists.groups, textAt(event, 'object_uuid')) && !actorIsAux(event),
  groupKey: {
    text: 'the group (object_uuid)',
    of: (event) => textAt(event, 'object_uuid') ?? 'unknown-group',
  },
  cases: {
    fires: [
      {
        name: 'an admin adds a member to a watched group',
        event: auditEvent({ action: 'join', object_type: 'gm', object: group, aux: MEMBER }),
        settings: watched,
      },
    ],
    quiet: [
      {
        name: 'a self-join (another rule)',
        event: auditEvent({ action: 'join', object_type: 'gm', object: group, aux: ADMIN }),
        settings: watched,
      },
      {
        name: 'a group not on the watchlist',
        event: auditEvent({
          action: 'join',
          object_type: 'gm',
          object: { uuid: 'KD6JT3ZDFUFXXAGO3HJXLBVHKA' },
          aux: MEMBER,
        }),
        settings: watched,
      },
    ],
  },
});
