import { ConfigError } from '../util/errors';
import { DEFAULT_DETECTION_SETTINGS, type DetectionSettings } from './settings';
import { DetectionSettingsError, parseDetectionSettings } from './settings-input';

/** The collector's alert settings, from its environment. */
export interface AlertConfig {
  /** EventBridge bus name or ARN the alerts go to. */
  readonly eventBusName: string;
  readonly settings: DetectionSettings;
}

/** Environment variables of the alert path (the stack sets them; a local run sets them for its stand-in). */
export const ALERT_ENV = {
  /** Bus name or ARN; unset: the collector evaluates no rules. */
  eventBus: 'ALERT_EVENT_BUS',
  /**
   * JSON of DetectionSettings (watchlists, allow-list, thresholds, rules off, suppression); unset:
   * the defaults.
   */
  settings: 'DETECTION_SETTINGS',
} as const;

const BUS_NAME = /^(arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[A-Za-z0-9._\-/]{1,256}$/;

/** The alert settings, or undefined when alerts are off; a bad value fails the run naming the variable. */
export function loadAlertConfig(env: Readonly<Record<string, string | undefined>>): AlertConfig | undefined {
  const bus = env[ALERT_ENV.eventBus]?.trim();
  if (!bus) return undefined;
  if (!BUS_NAME.test(bus)) {
    throw new ConfigError(
      `${ALERT_ENV.eventBus} must be an EventBridge bus name or ARN ` +
        `(letters, digits, . _ - /; at most 256 characters); got ${JSON.stringify(bus.slice(0, 80))}.`,
    );
  }
  return { eventBusName: bus, settings: parseSettings(env[ALERT_ENV.settings]) };
}

function parseSettings(text: string | undefined): DetectionSettings {
  if (text === undefined || text.trim() === '') return DEFAULT_DETECTION_SETTINGS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(
      `${ALERT_ENV.settings} is not JSON (${text.length} characters); ` +
        'the stack writes it from the detections props: redeploy, or unset it for the defaults.',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${ALERT_ENV.settings} must be a JSON object of detection settings.`);
  }
  try {
    // Checked as the stack checked them: a value set by hand fails the run naming the field.
    return parseDetectionSettings(parsed);
  } catch (error) {
    if (error instanceof DetectionSettingsError)
      throw new ConfigError(`${ALERT_ENV.settings}: ${error.message}.`);
    throw error;
  }
}
