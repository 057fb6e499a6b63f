import { RULE_IDS } from './rule-ids';
import {
  DEFAULT_DETECTION_SETTINGS,
  type DetectionSettings,
  type DetectionThresholds,
  type DetectionWatchlists,
} from './settings';

/**
 * Detection settings as a user writes them (a JSON file, a CDK context value, a construct prop):
 * every part optional, the defaults filling the rest. Checked field by field; an error names the
 * field by its path and says what is expected, and nothing partial is returned.
 */
export interface DetectionSettingsInput {
  readonly watchlists?: Partial<DetectionWatchlists>;
  /** Replaces the default list of 1Password apps. */
  readonly clientAllowList?: readonly string[];
  readonly thresholds?: Partial<DetectionThresholds>;
  readonly disabledRules?: readonly string[];
  readonly suppressionMinutes?: number;
}

export class DetectionSettingsError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`Invalid detection setting "${path}": ${detail}`);
    this.name = 'DetectionSettingsError';
  }
}

/** Bounds of each threshold: a window longer than the look-back a schedule can afford is refused. */
export const THRESHOLD_BOUNDS: Readonly<
  Record<keyof DetectionThresholds, { min: number; max: number; unit: string }>
> = {
  signInFailures: { min: 2, max: 10_000, unit: 'failed sign-ins' },
  signInFailureMinutes: { min: 1, max: 1_440, unit: 'minutes' },
  exfiltrationItems: { min: 1, max: 100_000, unit: 'items' },
  exfiltrationMinutes: { min: 1, max: 1_440, unit: 'minutes' },
  newIpBaselineDays: { min: 1, max: 90, unit: 'days' },
  selfGrantUseMinutes: { min: 1, max: 1_440, unit: 'minutes' },
  exportAfterCreationDays: { min: 1, max: 90, unit: 'days' },
  exportBeforeSuspensionDays: { min: 1, max: 90, unit: 'days' },
};

/** Alerts of one (rule, group key) within this many minutes are sent once; 0 sends every one. */
export const SUPPRESSION_MINUTES_BOUNDS = { min: 0, max: 10_080 } as const;

/** 1Password identifiers: 26 characters of base32, sometimes sent in lower case. */
const UUID_PATTERN = /^[A-Za-z2-7]{26}$/;
const MAX_TEXT = 256;
const MAX_LIST = 10_000;

const WATCHLIST_KINDS: Readonly<Record<keyof DetectionWatchlists, 'uuid' | 'text'>> = {
  vaults: 'uuid',
  groups: 'uuid',
  items: 'uuid',
  itemTitles: 'text',
};

const TOP_KEYS = [
  'watchlists',
  'clientAllowList',
  'thresholds',
  'disabledRules',
  'suppressionMinutes',
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function knownKeys(value: Record<string, unknown>, keys: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (keys.includes(key)) continue;
    const near = keys.find((k) => k.toLowerCase() === key.toLowerCase());
    throw new DetectionSettingsError(
      path ? `${path}.${key}` : key,
      near ? `unknown key; did you mean "${near}"?` : `unknown key; use one of ${keys.join(', ')}`,
    );
  }
}

function textList(value: unknown, path: string, kind: 'uuid' | 'text'): string[] {
  if (!Array.isArray(value))
    throw new DetectionSettingsError(
      path,
      `must be a list of ${kind === 'uuid' ? 'uuids' : 'texts'} (got ${JSON.stringify(value)})`,
    );
  if (value.length > MAX_LIST)
    throw new DetectionSettingsError(path, `holds ${value.length} entries; at most ${MAX_LIST}`);
  const seen = new Set<string>();
  return value.map((entry, index) => {
    const at = `${path}[${index}]`;
    if (typeof entry !== 'string' || entry.trim() === '')
      throw new DetectionSettingsError(at, `must be a non-empty text (got ${JSON.stringify(entry)})`);
    const item = entry.trim();
    if (kind === 'uuid' && !UUID_PATTERN.test(item)) {
      throw new DetectionSettingsError(
        at,
        `"${item}" is not a 1Password uuid (26 letters and digits 2-7, as op vault list shows them)`,
      );
    }
    if (item.length > MAX_TEXT) throw new DetectionSettingsError(at, `is longer than ${MAX_TEXT} characters`);
    const key = kind === 'uuid' ? item.toUpperCase() : item;
    if (seen.has(key)) throw new DetectionSettingsError(at, `lists "${item}" twice`);
    seen.add(key);
    return item;
  });
}

function wholeNumber(
  value: unknown,
  path: string,
  bounds: { min: number; max: number },
  unit: string,
): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < bounds.min || n > bounds.max) {
    throw new DetectionSettingsError(
      path,
      `must be a whole number of ${unit} from ${bounds.min} to ${bounds.max} (got ${JSON.stringify(value)})`,
    );
  }
  return n;
}

function watchlists(value: unknown): DetectionWatchlists {
  if (value === undefined) return DEFAULT_DETECTION_SETTINGS.watchlists;
  if (!isRecord(value))
    throw new DetectionSettingsError(
      'watchlists',
      'must be an object of lists: vaults, groups, items, itemTitles',
    );
  knownKeys(value, Object.keys(WATCHLIST_KINDS), 'watchlists');
  const lists = { ...DEFAULT_DETECTION_SETTINGS.watchlists } as Record<
    keyof DetectionWatchlists,
    readonly string[]
  >;
  for (const [key, kind] of Object.entries(WATCHLIST_KINDS) as [
    keyof DetectionWatchlists,
    'uuid' | 'text',
  ][]) {
    if (value[key] !== undefined) lists[key] = textList(value[key], `watchlists.${key}`, kind);
  }
  return lists;
}

function thresholds(value: unknown): DetectionThresholds {
  if (value === undefined) return DEFAULT_DETECTION_SETTINGS.thresholds;
  if (!isRecord(value)) throw new DetectionSettingsError('thresholds', 'must be an object of whole numbers');
  knownKeys(value, Object.keys(THRESHOLD_BOUNDS), 'thresholds');
  const result = { ...DEFAULT_DETECTION_SETTINGS.thresholds } as Record<keyof DetectionThresholds, number>;
  for (const [key, bounds] of Object.entries(THRESHOLD_BOUNDS) as [
    keyof DetectionThresholds,
    (typeof THRESHOLD_BOUNDS)[keyof DetectionThresholds],
  ][]) {
    if (value[key] !== undefined)
      result[key] = wholeNumber(value[key], `thresholds.${key}`, bounds, bounds.unit);
  }
  return result;
}

function ruleIds(value: unknown): string[] {
  if (value === undefined) return [...DEFAULT_DETECTION_SETTINGS.disabledRules];
  const ids = textList(value, 'disabledRules', 'text');
  ids.forEach((id, index) => {
    if (!(RULE_IDS as readonly string[]).includes(id)) {
      throw new DetectionSettingsError(
        `disabledRules[${index}]`,
        `"${id}" is no rule id; op-events detections list shows them`,
      );
    }
  });
  return ids;
}

/**
 * The settings a user's input gives, over the defaults. `input` is parsed JSON (or undefined for
 * the defaults); a string is read as JSON text (a CDK context value given with -c).
 */
export function parseDetectionSettings(input: unknown): DetectionSettings {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new DetectionSettingsError(
        '(the whole value)',
        `is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (value === undefined || value === null) return DEFAULT_DETECTION_SETTINGS;
  if (!isRecord(value))
    throw new DetectionSettingsError(
      '(the whole value)',
      `must be a JSON object with any of ${TOP_KEYS.join(', ')}`,
    );
  knownKeys(value, TOP_KEYS, '');
  return {
    watchlists: watchlists(value.watchlists),
    clientAllowList:
      value.clientAllowList === undefined
        ? DEFAULT_DETECTION_SETTINGS.clientAllowList
        : textList(value.clientAllowList, 'clientAllowList', 'text'),
    thresholds: thresholds(value.thresholds),
    disabledRules: ruleIds(value.disabledRules),
    suppressionMinutes:
      value.suppressionMinutes === undefined
        ? DEFAULT_DETECTION_SETTINGS.suppressionMinutes
        : wholeNumber(value.suppressionMinutes, 'suppressionMinutes', SUPPRESSION_MINUTES_BOUNDS, 'minutes'),
  };
}
