import type { EventRuleCase, RuleCases } from '../rule';
import { SERVICE_ACCOUNT_DOMAIN } from './manual-user-invite';
import { auditCase, MEMBER } from './sample-events';

const serviceAccount = {
  uuid: 'SLDFFQNFZNFO7DVSJXZO2UQE4Q',
  name: 'ci-bot',
  email: `ci-bot${SERVICE_ACCOUNT_DOMAIN}`,
};
const invitee = { uuid: 'ZKAC6OQAORC5JGIWKNYLCEW2EQ', email: 'new.hire@example.com' };
const invite = { action: 'create', object_type: 'invite', object: invitee };

export const manualUserInviteCases: RuleCases<EventRuleCase> = {
  ruleId: 'manual-user-invite',
  fires: [auditCase('an admin invites someone', invite)],
  quiet: [
    auditCase('a service account creates the invite', { ...invite, actor: serviceAccount }),
    auditCase('an actor that is not a person', { ...invite, actor_type: 'sa' }),
    auditCase('a user activated (joining, not invited)', {
      action: 'activate',
      object_type: 'user',
      object: MEMBER,
    }),
  ],
};
