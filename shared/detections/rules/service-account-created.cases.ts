import type { EventRuleCase, RuleCases } from '../rule';
import { auditCase } from './sample-events';

const serviceAccount = { uuid: 'SLDFFQNFZNFO7DVSJXZO2UQE4Q', name: 'ci-bot' };

export const serviceAccountCreatedCases: RuleCases<EventRuleCase> = {
  ruleId: 'service-account-created',
  fires: [
    auditCase('a service account created', { action: 'create', object_type: 'sa', object: serviceAccount }),
  ],
  quiet: [auditCase('a group created', { action: 'create', object_type: 'group' })],
};
