import { describe, expect, it } from 'vitest';
import { ALL_RULES, findRule, RULE_IDS } from '../../../shared/detections/catalogue';
import { SEVERITIES } from '../../../shared/detections/detection';
import { RULE_IDS as RULE_ID_LIST } from '../../../shared/detections/rule-ids';

/** The ids of issue 22's table, each with how it runs. */
const ISSUE_TABLE: Readonly<Record<string, 'event' | 'window'>> = {
  'vault-export': 'event',
  'account-mfa-disabled': 'event',
  'user-mfa-changed': 'event',
  'sso-settings-changed': 'event',
  'firewall-rules-changed': 'event',
  'manual-user-invite': 'event',
  'service-account-created': 'event',
  'service-account-token-changed': 'event',
  'vault-access-self-granted': 'event',
  'group-self-joined': 'event',
  'privileged-vault-permission-change': 'event',
  'privileged-group-member-added': 'event',
  'unusual-client': 'event',
  'sensitive-item-access': 'event',
  'sign-in-brute-force': 'window',
  'item-exfiltration-burst': 'window',
  'new-ip-successful-sign-in': 'window',
  'secret-extraction-after-self-grant': 'window',
  'vault-export-after-account-creation': 'window',
  'vault-export-before-suspension': 'window',
};

describe('the rule catalogue', () => {
  it.each(Object.entries(ISSUE_TABLE))('has %s, run as a %s rule', (id, kind) => {
    expect(findRule(id)?.kind).toBe(kind);
  });

  it('rule-ids.ts (settings are checked against it without the rules) lists every rule, in order', () => {
    expect([...RULE_ID_LIST]).toEqual(RULE_IDS);
  });

  it('ids are unique, lower-case words joined by hyphens', () => {
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
    for (const id of RULE_IDS) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  it.each(ALL_RULES.map((rule) => [rule.id, rule] as const))(
    '%s says everything a rule must say',
    (_id, rule) => {
      expect(SEVERITIES).toContain(rule.severity);
      expect(rule.mitre.id).toMatch(/^T\d{4}(\.\d{3})?$/);
      expect(rule.mitre.name.length).toBeGreaterThan(3);
      expect(rule.eventTypes.length).toBeGreaterThan(0);
      for (const text of [rule.title, rule.condition, rule.responderChecks, rule.groupKeyText]) {
        expect(text.trim().length).toBeGreaterThan(5);
      }
    },
  );
});
