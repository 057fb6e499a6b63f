import type { EventRuleCase, RuleCases } from '../rule';
import { ADMIN, auditCase, GROUP_UUID, MEMBER, watching } from './sample-events';

const watched = watching({ groups: [GROUP_UUID] });
const group = { uuid: GROUP_UUID, name: 'Administrators' };
const join = (object: { uuid: string }, member: typeof MEMBER) =>
  ({ action: 'join', object_type: 'gm', object, aux: member }) as const;

export const privilegedGroupMemberAddedCases: RuleCases<EventRuleCase> = {
  ruleId: 'privileged-group-member-added',
  fires: [auditCase('an admin adds a member to a watched group', join(group, MEMBER), watched)],
  quiet: [
    auditCase('a self-join (another rule)', join(group, ADMIN), watched),
    auditCase('a group not on the watchlist', join({ uuid: 'KD6JT3ZDFUFXXAGO3HJXLBVHKA' }, MEMBER), watched),
  ],
};
