import type { EventRule, EventRuleCase, RuleCases } from '../rule';
import type { WindowRule, WindowRuleCase } from '../window-rule';
import { accountMfaDisabledCases } from './account-mfa-disabled.cases';
import { firewallRulesChangedCases } from './firewall-rules-changed.cases';
import { groupSelfJoinedCases } from './group-self-joined.cases';
import { itemExfiltrationBurstCases } from './item-exfiltration-burst.cases';
import { manualUserInviteCases } from './manual-user-invite.cases';
import { newIpSuccessfulSignInCases } from './new-ip-successful-sign-in.cases';
import { privilegedGroupMemberAddedCases } from './privileged-group-member-added.cases';
import { privilegedVaultPermissionChangeCases } from './privileged-vault-permission-change.cases';
import { secretExtractionAfterSelfGrantCases } from './secret-extraction-after-self-grant.cases';
import { sensitiveItemAccessCases } from './sensitive-item-access.cases';
import { serviceAccountCreatedCases } from './service-account-created.cases';
import { serviceAccountTokenChangedCases } from './service-account-token-changed.cases';
import { signInBruteForceCases } from './sign-in-brute-force.cases';
import { ssoSettingsChangedCases } from './sso-settings-changed.cases';
import { unusualClientCases } from './unusual-client.cases';
import { userMfaChangedCases } from './user-mfa-changed.cases';
import { vaultAccessSelfGrantedCases } from './vault-access-self-granted.cases';
import { vaultExportCases } from './vault-export.cases';
import { vaultExportAfterAccountCreationCases } from './vault-export-after-account-creation.cases';
import { vaultExportBeforeSuspensionCases } from './vault-export-before-suspension.cases';

/**
 * Every rule's test cases, one `<rule>.cases.ts` beside each rule, joined to their rule by id.
 * `op-events detections test` and the tests read them; nothing the Lambda bundles import does.
 */
export const EVENT_RULE_CASES: readonly RuleCases<EventRuleCase>[] = [
  vaultExportCases,
  accountMfaDisabledCases,
  userMfaChangedCases,
  ssoSettingsChangedCases,
  firewallRulesChangedCases,
  manualUserInviteCases,
  serviceAccountCreatedCases,
  serviceAccountTokenChangedCases,
  vaultAccessSelfGrantedCases,
  groupSelfJoinedCases,
  privilegedVaultPermissionChangeCases,
  privilegedGroupMemberAddedCases,
  unusualClientCases,
  sensitiveItemAccessCases,
];

export const WINDOW_RULE_CASES: readonly RuleCases<WindowRuleCase>[] = [
  signInBruteForceCases,
  itemExfiltrationBurstCases,
  newIpSuccessfulSignInCases,
  secretExtractionAfterSelfGrantCases,
  vaultExportAfterAccountCreationCases,
  vaultExportBeforeSuspensionCases,
];

function casesOf<Case>(list: readonly RuleCases<Case>[], ruleId: string): RuleCases<Case> {
  const found = list.find((cases) => cases.ruleId === ruleId);
  if (!found) {
    throw new Error(
      `Rule ${ruleId} has no test cases: add shared/detections/rules/${ruleId}.cases.ts ` +
        'and list it in shared/detections/rules/case-list.ts.',
    );
  }
  return found;
}

/** A one-event rule's cases. */
export const eventRuleCases = (rule: EventRule) => casesOf(EVENT_RULE_CASES, rule.id);

/** A window rule's cases. */
export const windowRuleCases = (rule: WindowRule) => casesOf(WINDOW_RULE_CASES, rule.id);
