import { auditRule } from '../audit-rule';
import { textAt } from '../event-fields';
import { technique } from '../mitre';

/** Service accounts act under e-mails of this domain. */
export const SERVICE_ACCOUNT_DOMAIN = '@1passwordserviceaccounts.com';

export const manualUserInvite = auditRule({
  id: 'manual-user-invite',
  title: 'A user invited or created by hand',
  severity: 'LOW',
  mitre: technique('T1136.003'),
  condition:
    'audit event with action `create` on object type `invite` or `user`, by a person: `actor_type` is ' +
    "`user` (when sent) and the actor's e-mail is not a service account's " +
    '(`@1passwordserviceaccounts.com`)',
  responderChecks:
    'Check that the invited address (object_details) belongs to someone joining, and that the actor is ' +
    "expected to invite people outside the identity provider's provisioning.",
  objectTypes: ['invite', 'user'],
  actions: ['create'],
  also: (event) => {
    const type = textAt(event, 'actor_type');
    const email = textAt(event, 'actor_details', 'email');
    return (type === undefined || type === 'user') && !email?.toLowerCase().endsWith(SERVICE_ACCOUNT_DOMAIN);
  },
});
