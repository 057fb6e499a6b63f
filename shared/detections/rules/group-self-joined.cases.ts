import type { EventRuleCase, RuleCases } from '../rule';
import { ADMIN, auditCase, GROUP_UUID, MEMBER } from './sample-events';

const group = { uuid: GROUP_UUID, name: 'Owners' };
const membership = (action: string, member: typeof ADMIN) =>
  ({ action, object_type: 'gm', object: group, aux: member }) as const;

export const groupSelfJoinedCases: RuleCases<EventRuleCase> = {
  ruleId: 'group-self-joined',
  fires: [
    auditCase('an admin joins a group', membership('join', ADMIN)),
    auditCase('an admin raises their own role', membership('role', ADMIN)),
  ],
  quiet: [
    auditCase('an admin adds someone else', membership('join', MEMBER)),
    auditCase('an admin leaves the group', membership('leave', ADMIN)),
  ],
};
