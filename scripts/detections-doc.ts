import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ALL_RULES } from '../shared/detections/catalogue';
import { DEFAULT_DETECTION_SETTINGS, type DetectionThresholds } from '../shared/detections/settings';
import { SUPPRESSION_MINUTES_BOUNDS, THRESHOLD_BOUNDS } from '../shared/detections/settings-input';
import { findSection, replaceSection, type SectionMarkers } from './generated-section';
import { cell, row } from './markdown-table';

/** docs/detections.md: its rule catalogue and its thresholds table, generated from the rule files. */
export const DETECTIONS_DOC = fileURLToPath(new URL('../docs/detections.md', import.meta.url));

export const CATALOGUE_MARKERS: SectionMarkers = {
  begin: '<!-- BEGIN GENERATED from shared/detections/rules/ by `npm run docs:detections` -->',
  end: '<!-- END GENERATED rule catalogue -->',
};
export const THRESHOLD_MARKERS: SectionMarkers = {
  begin: '<!-- BEGIN GENERATED from shared/detections/settings.ts by `npm run docs:detections` -->',
  end: '<!-- END GENERATED thresholds -->',
};

type Rule = (typeof ALL_RULES)[number];

function ruleRow(rule: Rule): string {
  const runs = rule.kind === 'event' ? 'each page' : 'schedule';
  const page = `https://attack.mitre.org/techniques/${rule.mitre.id.replace('.', '/')}/`;
  const technique = `[${rule.mitre.id}](${page}) ${rule.mitre.name}`;
  return row(
    `\`${rule.id}\``,
    rule.severity,
    runs,
    rule.eventTypes.join(', '),
    cell(technique),
    cell(rule.condition),
    cell(rule.groupKeyText),
  );
}

function responderRow(rule: Rule): string {
  return row(`\`${rule.id}\``, cell(rule.title), cell(rule.responderChecks));
}

/** The catalogue, markers included: one row per rule, then what a responder checks for each. */
export function renderCatalogue(rules: readonly Rule[] = ALL_RULES): string {
  return [
    CATALOGUE_MARKERS.begin,
    `${rules.length} rules. "each page": decided by one event, in the collector as it delivers each page; ` +
      '"schedule": over a window, a baseline or several types, on Athena (and locally on DuckDB).',
    '',
    '| Rule | Severity | Runs | Event types | MITRE ATT&CK | Fires on | Group key |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rules.map(ruleRow),
    '',
    'What a responder checks first:',
    '',
    "| Rule | Title (the alert's `title`) | Check |",
    '| --- | --- | --- |',
    ...rules.map(responderRow),
    CATALOGUE_MARKERS.end,
  ].join('\n');
}

/** The thresholds with their defaults and bounds, markers included. */
export function renderThresholds(): string {
  const rows = (Object.keys(THRESHOLD_BOUNDS) as (keyof DetectionThresholds)[]).map((key) => {
    const bounds = THRESHOLD_BOUNDS[key];
    const allowed = `${bounds.min} to ${bounds.max} ${bounds.unit}`;
    return row(`\`thresholds.${key}\``, DEFAULT_DETECTION_SETTINGS.thresholds[key], allowed);
  });
  const { min, max } = SUPPRESSION_MINUTES_BOUNDS;
  return [
    THRESHOLD_MARKERS.begin,
    '| Setting | Default | Allowed |',
    '| --- | --- | --- |',
    ...rows,
    row(
      '`suppressionMinutes`',
      DEFAULT_DETECTION_SETTINGS.suppressionMinutes,
      `${min} to ${max} minutes (0: every alert is sent)`,
    ),
    THRESHOLD_MARKERS.end,
  ].join('\n');
}

/** The page with both generated parts rewritten. */
export function renderDetectionsDoc(text: string): string {
  const withCatalogue = replaceSection(text, CATALOGUE_MARKERS, renderCatalogue(), DETECTIONS_DOC);
  return replaceSection(withCatalogue, THRESHOLD_MARKERS, renderThresholds(), DETECTIONS_DOC);
}

export function generatedSections(text: string): { catalogue?: string; thresholds?: string } {
  return {
    catalogue: findSection(text, CATALOGUE_MARKERS),
    thresholds: findSection(text, THRESHOLD_MARKERS),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(DETECTIONS_DOC, renderDetectionsDoc(readFileSync(DETECTIONS_DOC, 'utf8')));
  console.log(`Updated ${DETECTIONS_DOC} (${ALL_RULES.length} rules).`);
}
