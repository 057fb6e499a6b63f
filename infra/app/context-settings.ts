import { readFileSync } from 'node:fs';
import { allSettings, parseWholeNumber, type WholeNumberSetting } from '../../shared/contracts/settings';
import { type AlertTargetNames, checkedDetectionSettings } from '../props/detection-props';
import type { OnePasswordEventsPipelineProps } from '../props/pipeline-props';
import { resolvePipelineProps } from '../props/resolve-props';
import { checkedWholeNumber, toPropValue } from '../props/setting-props';
import { ConfigurationError } from '../props/validation';

type ReadContext = (key: string) => unknown;

function text(key: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ConfigurationError(key, `must be a string (got ${JSON.stringify(value)})`);
  }
  const s = String(value).trim();
  if (s === '') throw new ConfigurationError(key, 'is empty; leave the key out to use the default');
  return s;
}

/** A whole number in decimal digits; its bounds are the construct's to check (objectLockRetentionDays). */
function wholeNumber(key: string, value: unknown): number | undefined {
  const raw = text(key, value);
  if (raw === undefined) return undefined;
  const parsed = parseWholeNumber(raw);
  if (parsed === undefined) throw new ConfigurationError(key, `must be a whole number (got "${raw}")`);
  return parsed;
}

/** `true` or `false` (text from the command line, a boolean from cdk.json). */
function yesNo(key: string, value: unknown): boolean | undefined {
  if (value === undefined || value === null || typeof value === 'boolean') return value ?? undefined;
  const raw = text(key, value);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new ConfigurationError(key, `must be true or false (got "${raw}")`);
}

/** A list given as a JSON array (cdk.json) or comma-separated text (`-c key=a,b`). */
function list(key: string, value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : (text(key, value) ?? '').split(',');
  return items.map((item) => {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new ConfigurationError(key, `must be a comma-separated list (got ${JSON.stringify(value)})`);
    }
    return item.trim();
  });
}

/** A whole-number setting's value in its unit, within its bounds, as the prop takes it (Duration, Size). */
const settingValue = (setting: WholeNumberSetting) => (key: string, value: unknown) => {
  const raw = text(key, value);
  return raw === undefined
    ? undefined
    : toPropValue(setting, checkedWholeNumber(setting, key, raw, `"${raw}"`));
};

/** How a context key is read: the construct prop it sets (`storage.objectLockMode`) and its value's type. */
interface ContextProp {
  readonly prop: string;
  readonly read: (key: string, value: unknown) => unknown;
}

/**
 * The context keys that set a construct prop (`npx cdk deploy -c key=value`, or "context" in
 * cdk.json), with the settings of shared/contracts/settings.ts under their own keys. Values arrive as
 * strings from the command line and as JSON values from cdk.json; both work. Here a value is read as
 * its type; the construct's own checks (resolvePipelineProps) then check it, naming the context key.
 */
const CONTEXT_PROPS: Readonly<Record<string, ContextProp>> = {
  eventTypes: { prop: 'eventTypes', read: list },
  schedule: { prop: 'collector.schedule', read: text },
  ...Object.fromEntries(
    allSettings().flatMap(([, setting]) =>
      setting.context === undefined || setting.prop === undefined
        ? []
        : [
            [
              setting.context,
              { prop: setting.prop, read: setting.kind === 'wholeNumber' ? settingValue(setting) : text },
            ],
          ],
    ),
  ),
  alarmEmail: { prop: 'alarms.email', read: text },
  existingSecretArn: { prop: 'token.existingSecretArn', read: text },
  existingSecretKmsKeyArn: { prop: 'token.existingSecretKmsKeyArn', read: text },
  existingBucketName: { prop: 'storage.existingBucketName', read: text },
  glueDatabaseName: { prop: 'query.glueDatabaseName', read: text },
  tokenSecretKeyAdminArns: { prop: 'token.keyAdminArns', read: list },
  objectLockMode: { prop: 'storage.objectLockMode', read: text },
  objectLockRetentionDays: { prop: 'storage.objectLockRetentionDays', read: wholeNumber },
  objectLockAtBucketCreation: { prop: 'storage.objectLockAtBucketCreation', read: yesNo },
  detections: { prop: 'detections.enabled', read: yesNo },
};

/** CDK context keys the app reads. */
export const CONTEXT_KEYS: readonly string[] = [
  'stackName',
  ...Object.keys(CONTEXT_PROPS),
  'alertEventBusName',
  'alertTopicArn',
  'detectionSettings',
  'detectionSettingsFile',
];

export const DEFAULT_STACK_NAME = 'OnePasswordEvents';

export interface AppConfig {
  readonly stackName: string;
  readonly pipeline: OnePasswordEventsPipelineProps;
  /** Where the stack sends alerts, by name (the stack imports the bus and topic). */
  readonly alerts?: AlertTargetNames;
}

/** Sets `props.<group>.<name>`; an unset value leaves its group out, so that the group's defaults apply. */
function setProp(props: Record<string, unknown>, path: string, value: unknown): void {
  if (value === undefined) return;
  const [group, name] = path.split('.') as [string, string | undefined];
  if (name === undefined) props[group] = value;
  else props[group] = { ...(props[group] as object | undefined), [name]: value };
}

/** Props without a context key of their own, named in an error by the key that does their job. */
const CONTEXT_KEY_FOR = {
  'storage.bucket': 'existingBucketName',
  'token.secret': 'existingSecretArn',
  'token.encryptionKey': 'existingSecretKmsKeyArn',
};

/** The context key of each prop the context sets, or that an error may name. */
const CONTEXT_KEY_OF_PROP: ReadonlyMap<string, string> = new Map([
  ...Object.entries(CONTEXT_PROPS).map(([key, { prop }]) => [prop, key] as const),
  ...Object.entries(CONTEXT_KEY_FOR),
]);

/**
 * Runs `build` (the construct's check of the props, or the stack's construction), its configuration
 * errors naming the context key rather than the prop (`Invalid "objectLockMode": needs
 * objectLockRetentionDays`, not `storage.objectLockMode`), in the key and in the words: `-c` and
 * cdk.json are where the user set it. The construct path an error names is kept.
 */
export function inContextKeys<T>(read: ReadContext, build: () => T): T {
  // The detection settings come from whichever of their two keys was given.
  const settingsKey =
    read('detectionSettingsFile') !== undefined ? 'detectionSettingsFile' : 'detectionSettings';
  const keyOf = new Map([...CONTEXT_KEY_OF_PROP, ['detections.settings', settingsKey]]);
  const words = (text: string) => text.replace(/\b[a-z]+\.[A-Za-z]+\b/g, (path) => keyOf.get(path) ?? path);
  try {
    return build();
  } catch (error) {
    throw error instanceof ConfigurationError ? error.reworded(words) : error;
  }
}

/**
 * Reads and validates the app's context. Every error names the context key. Keys that match a
 * known key except for case (a typo such as `pagesize`) are errors too, since CDK would ignore them.
 */
export function configFromContext(read: ReadContext, allKeys: readonly string[] = []): AppConfig {
  for (const k of allKeys) {
    const known = CONTEXT_KEYS.find((c) => c.toLowerCase() === k.toLowerCase());
    if (known && known !== k)
      throw new ConfigurationError(k, `unknown context key; did you mean "${known}"?`);
  }
  const stackName = text('stackName', read('stackName')) ?? DEFAULT_STACK_NAME;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(stackName)) {
    throw new ConfigurationError('stackName', `must be a CloudFormation stack name (got "${stackName}")`);
  }
  if (read('existingSecretKmsKeyArn') !== undefined && read('existingSecretArn') === undefined) {
    throw new ConfigurationError('existingSecretKmsKeyArn', 'only applies together with existingSecretArn');
  }
  const props: Record<string, unknown> = {};
  for (const [key, { prop, read: readAs }] of Object.entries(CONTEXT_PROPS)) {
    setProp(props, prop, readAs(key, read(key)));
  }
  setProp(props, 'detections.settings', detectionSettingsFromContext(read));
  const pipeline = props as OnePasswordEventsPipelineProps;
  inContextKeys(read, () => resolvePipelineProps(pipeline));
  const alerts = alertTargets(read);
  return { stackName, pipeline, ...(Object.keys(alerts).length > 0 ? { alerts } : {}) };
}

/**
 * The detection settings: `detectionSettings` (an object in cdk.json, JSON text with -c) or
 * `detectionSettingsFile` (a JSON file of the same shape, for long watchlists), checked here so that
 * an error names the context key and the field.
 */
function detectionSettingsFromContext(get: ReadContext): object | undefined {
  const raw = get('detectionSettings');
  const file = text('detectionSettingsFile', get('detectionSettingsFile'));
  if (file !== undefined && raw !== undefined && raw !== null) {
    throw new ConfigurationError(
      'detectionSettingsFile',
      'and detectionSettings both give the settings; keep one',
    );
  }
  if (file !== undefined) return settingsObject('detectionSettingsFile', readSettingsFile(file));
  if (raw !== undefined && raw !== null) return settingsObject('detectionSettings', raw);
  return undefined;
}

const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function readSettingsFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      'detectionSettingsFile',
      `cannot be read (${error instanceof Error ? error.message : String(error)}); ` +
        'give the path of a JSON file of detection settings (docs/detections.md)',
    );
  }
}

/** The settings as given (JSON text or an object), once they pass the construct's own check. */
function settingsObject(key: string, raw: unknown): object {
  let settings: unknown;
  try {
    settings = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw new ConfigurationError(key, 'must be a JSON object of detection settings (docs/detections.md)');
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new ConfigurationError(key, 'must be a JSON object of detection settings (docs/detections.md)');
  }
  checkedDetectionSettings(settings, key);
  return settings;
}

function alertTargets(get: ReadContext): AlertTargetNames {
  const bus = text('alertEventBusName', get('alertEventBusName'));
  if (bus !== undefined && !BUS_NAME.test(bus)) {
    throw new ConfigurationError(
      'alertEventBusName',
      `must be an EventBridge bus name in this account and region (got "${bus}")`,
    );
  }
  const topic = text('alertTopicArn', get('alertTopicArn'));
  if (topic !== undefined && !TOPIC_ARN.test(topic)) {
    throw new ConfigurationError('alertTopicArn', `must be an SNS topic ARN (got "${topic}")`);
  }
  return { ...(bus ? { eventBusName: bus } : {}), ...(topic ? { topicArn: topic } : {}) };
}
