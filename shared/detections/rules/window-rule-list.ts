import type { WindowRule } from '../window-rule';
import { itemExfiltrationBurst } from './item-exfiltration-burst';
import { newIpSuccessfulSignIn } from './new-ip-successful-sign-in';
import { secretExtractionAfterSelfGrant } from './secret-extraction-after-self-grant';
import { signInBruteForce } from './sign-in-brute-force';
import { vaultExportAfterAccountCreation } from './vault-export-after-account-creation';
import { vaultExportBeforeSuspension } from './vault-export-before-suspension';

/** The rules over windows, baselines or several types, one file each in this folder. */
export const WINDOW_RULES: readonly WindowRule[] = [
  signInBruteForce,
  itemExfiltrationBurst,
  newIpSuccessfulSignIn,
  secretExtractionAfterSelfGrant,
  vaultExportAfterAccountCreation,
  vaultExportBeforeSuspension,
];
