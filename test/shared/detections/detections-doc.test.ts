import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DETECTIONS_DOC,
  generatedSections,
  renderCatalogue,
  renderThresholds,
} from '../../../scripts/detections-doc';
import { ALL_RULES } from '../../../shared/detections/catalogue';

describe('docs/detections.md', () => {
  const sections = generatedSections(readFileSync(DETECTIONS_DOC, 'utf8'));

  it('holds the generated catalogue and thresholds (npm run docs:detections regenerates them)', () => {
    expect(sections.catalogue).toBe(renderCatalogue());
    expect(sections.thresholds).toBe(renderThresholds());
  });

  it('has a row for every rule in both tables, with its severity and MITRE technique', () => {
    for (const rule of ALL_RULES) {
      const rows = (sections.catalogue ?? '')
        .split('\n')
        .filter((line) => line.startsWith(`| \`${rule.id}\` |`));
      expect(rows, rule.id).toHaveLength(2);
      expect(rows[0]).toContain(`| ${rule.severity} |`);
      expect(rows[0]).toContain(rule.mitre.id);
    }
  });

  it('would fail on a catalogue that left a rule out', () => {
    expect(renderCatalogue(ALL_RULES.slice(1))).not.toBe(sections.catalogue);
  });
});
