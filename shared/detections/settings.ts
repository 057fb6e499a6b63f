/**
 * What a deployment tunes in its detections: watchlists, the client allow-list, thresholds and
 * windows, and rules switched off. Plain data: the collector's bundle carries it.
 */
export interface DetectionWatchlists {
  /** Vault uuids (audit `object_uuid` of uva/gva events, item usages' `vault_uuid`). */
  readonly vaults: readonly string[];
  /** Group uuids (audit `object_uuid` of gm events). */
  readonly groups: readonly string[];
  /** Item uuids (item usages' `item_uuid`). */
  readonly items: readonly string[];
  /** Item titles, matched through the items lookup (`op-events lookups load items`) where it is loaded. */
  readonly itemTitles: readonly string[];
}

export interface DetectionThresholds {
  /** sign-in-brute-force: failed sign-ins for one user, or from one IP, at least this many... */
  readonly signInFailures: number;
  /** ...within this many minutes. */
  readonly signInFailureMinutes: number;
  /**
   * item-exfiltration-burst: one user revealing, copying or exporting more than this many distinct
   * items...
   */
  readonly exfiltrationItems: number;
  /** ...within this many minutes. */
  readonly exfiltrationMinutes: number;
  /** new-ip-successful-sign-in: days of sign-ins a (user, IP) pair is looked up in. */
  readonly newIpBaselineDays: number;
  /** secret-extraction-after-self-grant: minutes after a self-grant in which item use counts. */
  readonly selfGrantUseMinutes: number;
  /** vault-export-after-account-creation: days after a user's activation. */
  readonly exportAfterCreationDays: number;
  /** vault-export-before-suspension: days between a vault export and the suspension or deletion. */
  readonly exportBeforeSuspensionDays: number;
}

export interface DetectionSettings {
  readonly watchlists: DetectionWatchlists;
  /** `client.app_name` values a sign-in may come from without unusual-client firing. */
  readonly clientAllowList: readonly string[];
  readonly thresholds: DetectionThresholds;
  /** Rule ids that are not evaluated. */
  readonly disabledRules: readonly string[];
  /** Repeats of one (rule_id, group_key) within this many minutes are not alerted again. */
  readonly suppressionMinutes: number;
}

/**
 * The 1Password apps' `client.app_name` values: those of the Events API samples and documentation
 * (1Password for Web, 1Password Browser Extension / Extension) and the desktop, mobile and CLI apps.
 */
export const KNOWN_1PASSWORD_APPS: readonly string[] = [
  '1Password for Web',
  '1Password Browser Extension',
  '1Password Extension',
  '1Password for Mac',
  '1Password for Windows',
  '1Password for Linux',
  '1Password for iOS',
  '1Password for Android',
  '1Password CLI',
];

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = {
  watchlists: { vaults: [], groups: [], items: [], itemTitles: [] },
  clientAllowList: KNOWN_1PASSWORD_APPS,
  thresholds: {
    signInFailures: 10,
    signInFailureMinutes: 10,
    exfiltrationItems: 20,
    exfiltrationMinutes: 10,
    newIpBaselineDays: 14,
    selfGrantUseMinutes: 60,
    exportAfterCreationDays: 14,
    exportBeforeSuspensionDays: 14,
  },
  disabledRules: [],
  suppressionMinutes: 60,
};
