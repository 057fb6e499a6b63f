import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writePrivateFile } from '../../local/private-files';
import { lookupKeyFor } from '../../shared/contracts/lookup-schema';
import { ALERT_ENV } from '../../shared/detections/alert-config';
import type { DetectionSettings } from '../../shared/detections/settings';
import { DetectionSettingsError, parseDetectionSettings } from '../../shared/detections/settings-input';
import { displayPath, type StateDir } from '../state-dir';
import { detectionsRefusals } from '../usage-errors';

/**
 * Detection settings of the local runs: a JSON file in the shape of the stack's `detectionSettings`
 * (docs/detections.md), stored in the state folder by `op-events detections settings load FILE`
 * and read by every `op-events detections run`; `--settings FILE` reads another for one run.
 *
 *   <state>/detections/settings.json   the loaded settings, checked
 *   <state>/detections/detections.ndjson   the last run's detections, one JSON object per line
 */
function detectionsDir(state: StateDir): string {
  return join(state.root, 'detections');
}

export function storedSettingsPath(state: StateDir): string {
  return join(detectionsDir(state), 'settings.json');
}

export function lastRunPath(state: StateDir): string {
  return join(detectionsDir(state), 'detections.ndjson');
}

/** The settings a file holds, checked; a bad file is a usage error naming the file and the field. */
export function readSettingsFile(path: string): DetectionSettings {
  return checkedSettingsFile(path).settings;
}

/** A settings file's text, read once, and the settings it holds, checked. */
function checkedSettingsFile(path: string): { readonly text: string; readonly settings: DetectionSettings } {
  if (!existsSync(path)) throw detectionsRefusals.settingsFileMissing(path);
  let text = '';
  let parsed: unknown;
  try {
    text = readFileSync(path, 'utf8');
    parsed = JSON.parse(text);
  } catch (error) {
    throw detectionsRefusals.settingsNotJson(
      displayPath(path),
      error instanceof Error ? error.message : String(error),
    );
  }
  try {
    return { text, settings: parseDetectionSettings(parsed) };
  } catch (error) {
    if (error instanceof DetectionSettingsError)
      throw detectionsRefusals.settingsRejected(displayPath(path), error.message);
    throw error;
  }
}

/**
 * Checks a settings file and stores it in the state folder (replacing what was there, atomically):
 * the text checked is the text stored, the file read once.
 */
export function storeSettingsFile(
  state: StateDir,
  path: string,
): { readonly settings: DetectionSettings; readonly stored: string } {
  const { text, settings } = checkedSettingsFile(path);
  return { settings, stored: writeStoredSettings(state, text) };
}

/** Writes checked settings text as the state folder's settings; returns the path. */
export function writeStoredSettings(state: StateDir, text: string): string {
  const target = storedSettingsPath(state);
  writePrivateFile(target, text);
  return target;
}

/** Where a run's settings came from, for its output. */
export type SettingsSource = 'defaults' | 'stored' | 'file';

/** `--settings FILE`, else the stored settings, else the defaults. */
export function localSettings(
  state: StateDir,
  file: string | undefined,
): { readonly settings: DetectionSettings; readonly source: SettingsSource; readonly path?: string } {
  if (file !== undefined) return { settings: readSettingsFile(file), source: 'file', path: file };
  const stored = storedSettingsPath(state);
  if (existsSync(stored)) return { settings: readSettingsFile(stored), source: 'stored', path: stored };
  return { settings: parseDetectionSettings(undefined), source: 'defaults' };
}

/**
 * The collector's DETECTION_SETTINGS (shared/detections/alert-config.ts) for the state folder's
 * stored settings, watched item titles turned into uuids; nothing when none are stored.
 */
export function storedDetectionSettingsEnv(state: StateDir): Record<string, string> {
  const stored = localSettings(state, undefined);
  if (stored.source === 'defaults') return {};
  const { settings } = withItemTitles(state, stored.settings);
  return { [ALERT_ENV.settings]: JSON.stringify(settings) };
}

/** An item of the items lookup: uuid and title. */
interface LookupItem {
  readonly id: string;
  readonly title: string;
}

function localItems(state: StateDir): LookupItem[] {
  const path = join(state.s3, lookupKeyFor('items'));
  if (!existsSync(path)) return [];
  return gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { id?: unknown; title?: unknown })
    .filter((row): row is LookupItem => typeof row.id === 'string' && typeof row.title === 'string');
}

/**
 * The settings with the watched item titles turned into uuids through the local items lookup
 * (`op-events lookups load items`), and the titles no item has (none when the lookup is not loaded).
 */
export function withItemTitles(
  state: StateDir,
  settings: DetectionSettings,
): { readonly settings: DetectionSettings; readonly unmatchedTitles: readonly string[] } {
  const titles = settings.watchlists.itemTitles;
  if (titles.length === 0) return { settings, unmatchedTitles: [] };
  const items = localItems(state);
  const matched = items.filter((item) => titles.includes(item.title));
  const uuids = [...settings.watchlists.items];
  for (const item of matched)
    if (!uuids.some((u) => u.toUpperCase() === item.id.toUpperCase())) uuids.push(item.id);
  return {
    settings: { ...settings, watchlists: { ...settings.watchlists, items: uuids } },
    unmatchedTitles: titles.filter((title) => !matched.some((item) => item.title === title)),
  };
}
