import type * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from '../../shared/detections/settings';
import { ConfigurationError } from './validation';

/** Watchlists of the detections (shared/detections/settings.ts DetectionWatchlists). */
export interface DetectionWatchlistProps {
  /** Vault uuids whose permission changes alert (privileged-vault-permission-change). @default [] */
  readonly vaults?: string[];
  /** Group uuids whose new members alert (privileged-group-member-added). @default [] */
  readonly groups?: string[];
  /** Item uuids whose use alerts (sensitive-item-access). @default [] */
  readonly items?: string[];
  /** Item titles whose use alerts, through the items lookup (sensitive-item-access). @default [] */
  readonly itemTitles?: string[];
}

/** Thresholds and windows of the detections (shared/detections/settings.ts DetectionThresholds). */
export interface DetectionThresholdProps {
  /** sign-in-brute-force: failed sign-ins for one user or from one IP. @default 10 */
  readonly signInFailures?: number;
  /** sign-in-brute-force: within this many minutes. @default 10 */
  readonly signInFailureMinutes?: number;
  /** item-exfiltration-burst: more distinct items than this revealed, copied or exported by one user. @default 20 */
  readonly exfiltrationItems?: number;
  /** item-exfiltration-burst: within this many minutes. @default 10 */
  readonly exfiltrationMinutes?: number;
  /** new-ip-successful-sign-in: days of sign-ins a (user, IP) pair is looked up in. @default 14 */
  readonly newIpBaselineDays?: number;
  /** secret-extraction-after-self-grant: minutes after a self-grant in which item use counts. @default 60 */
  readonly selfGrantUseMinutes?: number;
  /** vault-export-after-account-creation: days after a user's activation. @default 14 */
  readonly exportAfterCreationDays?: number;
  /** vault-export-before-suspension: days between a vault export and the suspension. @default 14 */
  readonly exportBeforeSuspensionDays?: number;
}

/** What the detections watch and how they are tuned. */
export interface DetectionSettingsProps {
  /** Vaults, groups and items to watch. @default - empty watchlists */
  readonly watchlists?: DetectionWatchlistProps;
  /** `client.app_name` values a sign-in may come from without unusual-client firing. @default - the 1Password apps (KNOWN_1PASSWORD_APPS) */
  readonly clientAllowList?: string[];
  /** Thresholds and windows of the window rules. @default - the defaults of each */
  readonly thresholds?: DetectionThresholdProps;
  /** Rule ids that are not evaluated. @default [] */
  readonly disabledRules?: string[];
  /** Repeats of one rule and group key within this many minutes are not alerted again, 0..10080. @default 60 */
  readonly suppressionMinutes?: number;
}

/** Detections and their alerts (docs/detections.md). */
export interface DetectionsProps {
  /** Evaluate the detection rules and publish alerts. @default true */
  readonly enabled?: boolean;
  /** The EventBridge bus alert events are put on. @default - the account's default bus */
  readonly eventBus?: events.IEventBus;
  /**
   * The SNS topic that gets a readable notification of each alert (an encrypted topic's key must let
   * events.amazonaws.com use it). @default - the pipeline's alarm topic
   */
  readonly notificationTopic?: sns.ITopic;
  /** Watchlists, the client allow-list, thresholds, rules switched off, the suppression window. @default - DEFAULT_DETECTION_SETTINGS */
  readonly settings?: DetectionSettingsProps;
}

const MAX_SUPPRESSION_MINUTES = 7 * 24 * 60;

/**
 * The settings the props give, over the defaults; only what differs from the defaults is returned
 * in `changed` (the collectors' DETECTION_SETTINGS stays small: Lambda's environment holds 4 KB).
 */
export function resolveDetectionSettings(props: DetectionSettingsProps = {}): {
  readonly settings: DetectionSettings;
  readonly changed: Partial<DetectionSettings>;
} {
  const defaults = DEFAULT_DETECTION_SETTINGS;
  refuseUnknownKeys('detections.settings', props, defaults);
  refuseUnknownKeys('detections.settings.watchlists', props.watchlists ?? {}, defaults.watchlists);
  refuseUnknownKeys('detections.settings.thresholds', props.thresholds ?? {}, defaults.thresholds);
  const settings: DetectionSettings = {
    watchlists: { ...defaults.watchlists, ...props.watchlists },
    clientAllowList: props.clientAllowList ?? defaults.clientAllowList,
    thresholds: { ...defaults.thresholds, ...props.thresholds },
    disabledRules: props.disabledRules ?? defaults.disabledRules,
    suppressionMinutes: props.suppressionMinutes ?? defaults.suppressionMinutes,
  };
  for (const [name, value] of Object.entries(settings.thresholds)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigurationError(
        `detections.settings.thresholds.${name}`,
        `must be a whole number of at least 1 (got ${value})`,
      );
    }
  }
  const minutes = settings.suppressionMinutes;
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_SUPPRESSION_MINUTES) {
    throw new ConfigurationError(
      'detections.settings.suppressionMinutes',
      `must be a whole number of minutes from 0 to ${MAX_SUPPRESSION_MINUTES} (got ${minutes})`,
    );
  }
  const changed = Object.fromEntries(
    Object.entries(settings).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(defaults[key as keyof DetectionSettings]),
    ),
  ) as Partial<DetectionSettings>;
  return { settings, changed };
}

/** A key the settings do not have (a typo such as `supressionMinutes`) would be ignored silently. */
function refuseUnknownKeys(where: string, given: object, known: object): void {
  const unknown = Object.keys(given).find((key) => !Object.hasOwn(known, key));
  if (unknown !== undefined) {
    throw new ConfigurationError(
      `${where}.${unknown}`,
      `is not a detection setting; the settings are ${Object.keys(known).join(', ')}`,
    );
  }
}

/** An existing bus and topic for the alerts, by name (context keys alertEventBusName, alertTopicArn). */
export interface AlertTargetNames {
  /** @default - the account's default bus */
  readonly eventBusName?: string;
  /** @default - the stack's alarm topic */
  readonly topicArn?: string;
}
