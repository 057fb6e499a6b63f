import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  COLLECTOR_SETTINGS,
  defaultText,
  entriesOf,
  type Setting,
  type SettingKey,
  STACK_SETTINGS,
  settingOf,
} from '../shared/contracts/settings';

/** The README's configuration tables sit between these lines; `npm run docs:settings` rewrites them. */
export const TABLE_START =
  '<!-- settings: generated from shared/contracts/settings.ts by `npm run docs:settings` -->';
export const TABLE_END = '<!-- settings: end -->';

const code = (text: string) => `\`${text}\``;

function allowed(setting: Setting): string {
  if (setting.kind === 'text') return setting.expected;
  const unit = setting.unit ? ` ${setting.unit}` : '';
  const step = setting.step ? `, a multiple of ${setting.step}` : '';
  return `${setting.min}..${setting.max}${unit}${step}`;
}

function shownDefault(key: SettingKey, setting: Setting, name: (key: SettingKey) => string): string {
  const text = defaultText(key, name);
  return setting.kind === 'wholeNumber' ? code(text) : text;
}

function propCell(setting: Setting): string {
  if (setting.prop === undefined) return '—';
  const propType = setting.kind === 'wholeNumber' ? setting.propType : undefined;
  return propType ? `${code(setting.prop)} (${propType})` : code(setting.prop);
}

function collectorRow(key: SettingKey, setting: Setting): string {
  const names =
    setting.notConfigurable !== undefined
      ? `— (${setting.notConfigurable})`
      : setting.context === setting.prop
        ? code(setting.context ?? '')
        : `${code(setting.context ?? '—')} / ${propCell(setting)}`;
  const envName = (key: SettingKey) => settingOf(key).env ?? key;
  return (
    `| ${code(setting.env ?? '')} | ${names} | ${shownDefault(key, setting, envName)} | ` +
    `${allowed(setting)} | ${setting.description} |`
  );
}

function stackRow(key: SettingKey, setting: Setting): string {
  const context = setting.context === undefined ? '—' : code(setting.context);
  const propName = (key: SettingKey) => settingOf(key).prop ?? key;
  return (
    `| ${context} | ${propCell(setting)} | ${shownDefault(key, setting, propName)} | ${allowed(setting)} ` +
    `| ${setting.description} |`
  );
}

/** Markdown of both tables: the collector's variables, then the stack's own settings. */
export function settingsTables(): string {
  return [
    TABLE_START,
    '| variable | context key / prop | default | allowed | meaning |',
    '|---|---|---|---|---|',
    ...entriesOf(COLLECTOR_SETTINGS).map(([key, setting]) => collectorRow(key, setting)),
    '',
    'The stack alone reads these (`-c key=value`, or props of `OnePasswordEventsPipeline`):',
    '',
    '| context key | prop | default | allowed | meaning |',
    '|---|---|---|---|---|',
    ...entriesOf(STACK_SETTINGS).map(([key, setting]) => stackRow(key, setting)),
    TABLE_END,
  ].join('\n');
}

/** The text with its generated tables replaced by the current ones. */
export function withSettingsTables(text: string): string {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`no "${TABLE_START}" ... "${TABLE_END}" block found`);
  return text.slice(0, start) + settingsTables() + text.slice(end + TABLE_END.length);
}

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url));

const invokedDirectly =
  process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  writeFileSync(README_PATH, withSettingsTables(readFileSync(README_PATH, 'utf8')));
}
