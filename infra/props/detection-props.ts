import type * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from '../../shared/detections/settings';
import { DetectionSettingsError, parseDetectionSettings } from '../../shared/detections/settings-input';
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
  /**
   * item-exfiltration-burst: more distinct items than this revealed, copied or exported by one user.
   * @default 20
   */
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
  /**
   * `client.app_name` values a sign-in may come from without unusual-client firing.
   * @default - the 1Password apps (KNOWN_1PASSWORD_APPS)
   */
  readonly clientAllowList?: string[];
  /** Thresholds and windows of the window rules. @default - the defaults of each */
  readonly thresholds?: DetectionThresholdProps;
  /** Rule ids that are not evaluated. @default [] */
  readonly disabledRules?: string[];
  /**
   * Repeats of one rule and group key within this many minutes are not alerted again, 0..10080.
   * @default 60
   */
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
  /**
   * Watchlists, the client allow-list, thresholds, rules switched off, the suppression window.
   * @default - DEFAULT_DETECTION_SETTINGS
   */
  readonly settings?: DetectionSettingsProps;
  /**
   * Minutes between runs of the window rules on Athena, 5..1440; each run covers the last two
   * periods, ending 5 minutes before it starts. @default 15
   */
  readonly scheduleMinutes?: number;
}

export const DEFAULT_SCHEDULE_MINUTES = 15;

/** The schedule period of the window rules, checked. */
export function scheduleMinutesOf(props: DetectionsProps): number {
  const minutes = props.scheduleMinutes ?? DEFAULT_SCHEDULE_MINUTES;
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) {
    throw new ConfigurationError(
      'detections.scheduleMinutes',
      `must be a whole number from 5 to 1440 (got ${minutes})`,
    );
  }
  return minutes;
}

/** An existing bus and topic for the alerts, by name (context keys alertEventBusName, alertTopicArn). */
export interface AlertTargetNames {
  /** @default - the account's default bus */
  readonly eventBusName?: string;
  /** @default - the stack's alarm topic */
  readonly topicArn?: string;
}

/**
 * The settings the props give, over the defaults, checked field by field as every other reader of
 * detection settings checks them (parseDetectionSettings: bounds, uuid shapes, known rule ids,
 * unknown keys); an error names the prop. Only what differs from the defaults is returned in
 * `changed` (the collectors' DETECTION_SETTINGS stays small: Lambda's environment holds 4 KB).
 */
export function resolveDetectionSettings(props: DetectionSettingsProps = {}): {
  readonly settings: DetectionSettings;
  readonly changed: Partial<DetectionSettings>;
} {
  const settings = checkedDetectionSettings(props, 'detections.settings');
  const changed = Object.fromEntries(
    Object.entries(settings).filter(
      ([key, value]) =>
        JSON.stringify(value) !== JSON.stringify(DEFAULT_DETECTION_SETTINGS[key as keyof DetectionSettings]),
    ),
  ) as Partial<DetectionSettings>;
  return { settings, changed };
}

/** parseDetectionSettings, its error as a ConfigurationError naming `where` and the field. */
export function checkedDetectionSettings(input: unknown, where: string): DetectionSettings {
  try {
    return parseDetectionSettings(input);
  } catch (error) {
    if (!(error instanceof DetectionSettingsError)) throw error;
    const detail = error.message.replace(/^Invalid detection setting "[^"]*": /, '');
    const path = error.path.startsWith('(') ? where : `${where}.${error.path}`;
    throw new ConfigurationError(path, detail);
  }
}
