import type { EventRuleCase, RuleCases } from '../rule';
import { auditCase } from './sample-events';

export const ssoSettingsChangedCases: RuleCases<EventRuleCase> = {
  ruleId: 'sso-settings-changed',
  fires: [
    auditCase('SSO disabled', { action: 'disblsso', object_type: 'sso' }),
    auditCase('a group added to SSO', { action: 'addgsso', object_type: 'sso' }),
  ],
  quiet: [auditCase('a firewall change is not SSO', { action: 'updatfw', object_type: 'account' })],
};
