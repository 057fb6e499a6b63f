import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CONTEXT_KEYS } from '../../infra/app/context-settings';
import { README_PATH, settingsTables, withSettingsTables } from '../../scripts/settings-table';
import { type CollectorConfig, loadConfig } from '../../shared/collector/run/environment';
import {
  allSettings,
  COLLECTOR_SETTINGS,
  type CollectorSettingKey,
  defaultText,
  entriesOf,
  settingOf,
} from '../../shared/contracts/settings';

const REQUIRED = {
  EVENT_TYPE: 'auditevents',
  TOKEN_SECRET_ID: 'secret',
  CURSOR_TABLE: 'cursors',
  DELIVERY_STREAM: 'stream',
};

const readText = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('one definition per setting (shared/contracts/settings.ts)', () => {
  it('the README configuration tables are the ones generated from the definitions', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toContain(settingsTables());
    // Fails after a change to shared/contracts/settings.ts until `npm run docs:settings` regenerates the README.
    expect(withSettingsTables(readme)).toBe(readme);
  });

  it('every row of the table names each setting with its variable, key, default and bounds', () => {
    const tables = settingsTables();
    for (const [, setting] of allSettings()) {
      const row = tables.split('\n').find((line) => line.includes(setting.description));
      expect(row, setting.description).toBeDefined();
      for (const name of [setting.env, setting.context, setting.prop]) {
        if (name !== undefined) expect(row).toContain(`\`${name}\``);
      }
      if (setting.kind === 'wholeNumber') expect(row).toContain(`${setting.min}..${setting.max}`);
    }
  });

  it('the collector reads exactly the variables the definitions name', () => {
    const read = new Set<string>();
    const env = new Proxy(REQUIRED as Record<string, string | undefined>, {
      get(target, name) {
        if (typeof name === 'string') read.add(name);
        return target[name as string];
      },
    });
    loadConfig(env);
    const named = entriesOf(COLLECTOR_SETTINGS).map(([, setting]) => setting.env);
    expect([...read].sort()).toEqual([...named].sort());
    expectTypeOf<keyof CollectorConfig>().toEqualTypeOf<CollectorSettingKey>();
  });

  it('every variable the collector reads is a prop and a context key, or says why not', () => {
    for (const [key, setting] of entriesOf(COLLECTOR_SETTINGS)) {
      const configurable = setting.prop !== undefined && setting.context !== undefined;
      expect(configurable !== (setting.notConfigurable !== undefined), key).toBe(true);
    }
  });

  it('every context key of a setting is one the app reads, and every other key is in the deploy guide', () => {
    const settingKeys = allSettings().flatMap(([, s]) => (s.context ? [s.context] : []));
    for (const key of settingKeys) expect(CONTEXT_KEYS).toContain(key);
    const guide = readText('../../docs/deploy.md');
    for (const key of CONTEXT_KEYS.filter((k) => !settingKeys.includes(k))) {
      expect(guide, key).toContain(`| \`${key}\` |`);
    }
  });

  it("each prop's @default in the construct's JSDoc is the definition's default", () => {
    const source = readText('../../infra/props/pipeline-props.ts');
    for (const [key, setting] of allSettings()) {
      if (setting.kind !== 'wholeNumber' || setting.prop === undefined) continue;
      const field = setting.prop.split('.').at(-1);
      const doc = new RegExp(`@default ([^\\n]*?)\\s*\\*/\\s*readonly ${field}\\?:`).exec(source);
      expect(doc, `JSDoc of ${setting.prop}`).not.toBeNull();
      const shown = defaultText(key, (k) => settingOf(k).prop ?? k);
      const expected =
        typeof setting.default !== 'number'
          ? `- ${shown}`
          : setting.propType === 'Duration'
            ? `Duration.${setting.unit}(${shown})`
            : setting.propType === 'Size'
              ? `Size.mebibytes(${shown})`
              : shown;
      expect(doc?.[1]?.startsWith(expected), `${key}: @default ${doc?.[1]} (expected ${expected})`).toBe(
        true,
      );
    }
  });
});
