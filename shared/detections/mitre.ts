import type { MitreTechnique } from './rule';

/**
 * The MITRE ATT&CK (Enterprise) techniques the rules name, each name written once:
 * https://attack.mitre.org/techniques/<id>/ (a sub-technique's dot as a slash).
 */
const TECHNIQUE_NAMES = {
  'T1078.004': 'Valid Accounts: Cloud Accounts',
  T1098: 'Account Manipulation',
  'T1098.001': 'Account Manipulation: Additional Cloud Credentials',
  T1110: 'Brute Force',
  'T1136.003': 'Create Account: Cloud Account',
  'T1484.002': 'Domain or Tenant Policy Modification: Trust Modification',
  'T1555.005': 'Credentials from Password Stores: Password Managers',
  'T1556.006': 'Modify Authentication Process: Multi-Factor Authentication',
  'T1562.007': 'Impair Defenses: Disable or Modify Cloud Firewall',
} as const;

export function technique(id: keyof typeof TECHNIQUE_NAMES): MitreTechnique {
  return { id, name: TECHNIQUE_NAMES[id] };
}
