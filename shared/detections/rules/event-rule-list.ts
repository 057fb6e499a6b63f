import type { EventRule } from '../rule';
import { accountMfaDisabled } from './account-mfa-disabled';
import { firewallRulesChanged } from './firewall-rules-changed';
import { groupSelfJoined } from './group-self-joined';
import { manualUserInvite } from './manual-user-invite';
import { privilegedGroupMemberAdded } from './privileged-group-member-added';
import { privilegedVaultPermissionChange } from './privileged-vault-permission-change';
import { sensitiveItemAccess } from './sensitive-item-access';
import { serviceAccountCreated } from './service-account-created';
import { serviceAccountTokenChanged } from './service-account-token-changed';
import { ssoSettingsChanged } from './sso-settings-changed';
import { unusualClient } from './unusual-client';
import { userMfaChanged } from './user-mfa-changed';
import { vaultAccessSelfGranted } from './vault-access-self-granted';
import { vaultExport } from './vault-export';

/** The rules one event decides, one file each in this folder. */
export const EVENT_RULES: readonly EventRule[] = [
  vaultExport,
  accountMfaDisabled,
  userMfaChanged,
  ssoSettingsChanged,
  firewallRulesChanged,
  manualUserInvite,
  serviceAccountCreated,
  serviceAccountTokenChanged,
  vaultAccessSelfGranted,
  groupSelfJoined,
  privilegedVaultPermissionChange,
  privilegedGroupMemberAdded,
  unusualClient,
  sensitiveItemAccess,
];
