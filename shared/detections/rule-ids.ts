/**
 * The ids of every rule, without the rules: settings are checked against them where the rules'
 * code is not loaded (the collector, the CDK app). test/shared/detections/catalogue.test.ts keeps
 * this list equal to the rule files'.
 */
export const RULE_IDS = [
  'vault-export',
  'account-mfa-disabled',
  'user-mfa-changed',
  'sso-settings-changed',
  'firewall-rules-changed',
  'manual-user-invite',
  'service-account-created',
  'service-account-token-changed',
  'vault-access-self-granted',
  'group-self-joined',
  'privileged-vault-permission-change',
  'privileged-group-member-added',
  'unusual-client',
  'sensitive-item-access',
  'sign-in-brute-force',
  'item-exfiltration-burst',
  'new-ip-successful-sign-in',
  'secret-extraction-after-self-grant',
  'vault-export-after-account-creation',
  'vault-export-before-suspension',
] as const;

export type RuleId = (typeof RULE_IDS)[number];
