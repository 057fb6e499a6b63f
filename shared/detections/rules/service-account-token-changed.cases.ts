import type { EventRuleCase, RuleCases } from '../rule';
import { auditCase } from './sample-events';

const token = { uuid: 'AUBCUZ3NQJGOFKXH6LPIS5SKTE', name: 'deploy token' };

export const serviceAccountTokenChangedCases: RuleCases<EventRuleCase> = {
  ruleId: 'service-account-token-changed',
  fires: [
    auditCase('a token created', { action: 'create', object_type: 'satoken', object: token }),
    auditCase('a token revoked', { action: 'trevoke', object_type: 'satoken', object: token }),
  ],
  quiet: [auditCase('a service account created', { action: 'create', object_type: 'sa' })],
};
