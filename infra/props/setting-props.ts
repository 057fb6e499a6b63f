import { Duration, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import {
  allSettings,
  COLLECTOR_SETTINGS,
  defaultPageSize,
  entriesOf,
  expectedWholeNumber,
  type ResolvedWholeNumbers,
  type SettingKey,
  settingOf,
  settingsConflict,
  type WholeNumberKey,
  type WholeNumberSetting,
  wholeNumberWithin,
} from '../../shared/contracts/settings';
import { ConfigurationError, requireKnownAtSynth } from './validation';

/** Every whole-number setting with its key, collector settings first. */
export const WHOLE_NUMBER_SETTINGS = allSettings().filter(
  (entry): entry is [WholeNumberKey, WholeNumberSetting] => entry[1].kind === 'wholeNumber',
);

/** A prop's value (number, Duration or Size) in the setting's unit; fractions stay, to be refused. */
function inUnit(setting: WholeNumberSetting, value: unknown): number | undefined {
  if (setting.propType === 'Duration' && value instanceof Duration) {
    const integral = { integral: false };
    if (setting.unit === 'seconds') return value.toSeconds(integral);
    if (setting.unit === 'minutes') return value.toMinutes(integral);
    if (setting.unit === 'hours') return value.toHours(integral);
    if (setting.unit === 'days') return value.toDays(integral);
  }
  if (setting.propType === 'Size' && value instanceof Size && setting.unit === 'MiB') {
    return value.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  }
  return typeof value === 'number' ? value : undefined;
}

/** A token standing for the value, or inside its Duration or Size; else the value itself. */
function tokenIn(value: unknown): unknown {
  const unresolved = (value instanceof Duration || value instanceof Size) && value.isUnresolved();
  return unresolved ? Token.asString(value) : value;
}

/** A number in the setting's unit as the prop takes it (a Duration or Size where the prop is one). */
export function toPropValue(setting: WholeNumberSetting, value: number): number | Duration | Size {
  if (setting.propType === 'Size') return Size.mebibytes(value);
  if (setting.propType !== 'Duration') return value;
  if (setting.unit === 'seconds') return Duration.seconds(value);
  if (setting.unit === 'minutes') return Duration.minutes(value);
  if (setting.unit === 'hours') return Duration.hours(value);
  return Duration.days(value);
}

const propName = (key: SettingKey): string => settingOf(key).prop ?? key;

function describe(value: unknown): string {
  if (value instanceof Duration) return value.toString();
  if (value instanceof Size) return `${value.toMebibytes({ rounding: SizeRoundingBehavior.NONE })} MiB`;
  return JSON.stringify(value) ?? String(value);
}

/**
 * A whole-number setting's value (a number in its unit, or its text), within its bounds; else an
 * error naming `key` (a prop or a context key) and showing the value as given (`shown`).
 */
export function checkedWholeNumber(
  setting: WholeNumberSetting,
  key: string,
  value: number | string | undefined,
  shown: string,
): number {
  const within = value === undefined ? undefined : wholeNumberWithin(setting, value);
  if (within === undefined) {
    throw new ConfigurationError(key, `must be ${expectedWholeNumber(setting)} (got ${shown})`);
  }
  return within;
}

/** Each whole-number setting's prop as given (a number, Duration or Size); unset when absent or undefined. */
export type WholeNumberProps = Readonly<Partial<Record<WholeNumberKey, unknown>>>;

/**
 * The construct's whole-number settings, each checked against its bounds (errors name the prop),
 * unset ones filled with their defaults (pageSize's follows maxEventsPerRun; the Firehose quota's is
 * the region's, left unset), and the settings that contradict each other refused naming both props.
 * Values are in each setting's unit; `textGiven` holds the text settings the props set.
 */
export function resolveWholeNumberProps(
  props: WholeNumberProps,
  textGiven: ReadonlySet<SettingKey> = new Set(),
): ResolvedWholeNumbers {
  const values: Partial<Record<WholeNumberKey, number>> = {};
  const given = new Set<SettingKey>(textGiven);
  for (const [key, setting] of WHOLE_NUMBER_SETTINGS) {
    const raw = props[key];
    if (raw === undefined) {
      values[key] = setting.default;
      continue;
    }
    requireKnownAtSynth(propName(key), tokenIn(raw), 'the stack computes with it and checks its bounds');
    values[key] = checkedWholeNumber(setting, propName(key), inUnit(setting, raw), describe(raw));
    given.add(key);
  }
  values.pageSize ??= defaultPageSize(values.maxEventsPerRun as number);
  const conflict = settingsConflict(values, given, propName);
  if (conflict) throw new ConfigurationError(propName(conflict.key), conflict.message);
  return values as ResolvedWholeNumbers;
}

/**
 * The collector's environment for the settings the stack passes on: every collector setting with a
 * prop, as resolved (START_LOOKBACK_HOURS only without START_TIME; unset text settings left out).
 */
export function collectorSettingsEnvironment(
  numbers: Readonly<ResolvedWholeNumbers>,
  text: Readonly<{ eventsApiUrl?: string; startTime?: string }>,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [key, setting] of entriesOf(COLLECTOR_SETTINGS)) {
    if (setting.prop === undefined || setting.env === undefined) continue;
    const value = setting.kind === 'text' ? text[key as keyof typeof text] : numbers[key as WholeNumberKey];
    if (value !== undefined) environment[setting.env] = String(value);
  }
  if (text.startTime !== undefined) delete environment[COLLECTOR_SETTINGS.startLookbackHours.env];
  return environment;
}
