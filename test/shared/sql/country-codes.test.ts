import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COUNTRY_CODES_FILE,
  countryRows,
  NOT_IN_ISO_3166_1,
  regularRegions,
  renderCountryCodes,
} from '../../../scripts/country-codes';
import { ISO_3166_COUNTRIES } from '../../../shared/sql/country-codes';

// The names come from the ICU that each Node build bundles (or the system's, for a Node built on it), and
// its CLDR release differs between Node versions, so the generated file is kept in the repository and
// these tests check its shape and that the script writes it so, not that this Node would name every
// country alike (see README, "License").
describe('shared/sql/country-codes.ts, generated from the Unicode CLDR by scripts/country-codes.ts', () => {
  const text = readFileSync(COUNTRY_CODES_FILE, 'utf8');
  const codes = ISO_3166_COUNTRIES.map(([code]) => code);

  it("lists ISO 3166-1's 249 alpha-2 codes, each once, in order, without CLDR's non-ISO regions", () => {
    expect(codes).toHaveLength(249);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{2}$/);
    for (const code of NOT_IN_ISO_3166_1) expect(codes).not.toContain(code);
    expect(codes).toEqual(expect.arrayContaining(['FR', 'GB', 'US', 'CI', 'SS', 'BQ']));
  });

  it('gives every code one or two distinct names (standard, then short), trimmed and not codes', () => {
    for (const [code, ...names] of ISO_3166_COUNTRIES) {
      expect(names.length, code).toBeGreaterThanOrEqual(1);
      expect(names.length, code).toBeLessThanOrEqual(2);
      expect(new Set(names).size, code).toBe(names.length);
      for (const name of names) expect(name, code).toBe(name.trim());
      expect(names[0], code).not.toMatch(/^[A-Z]{2}$/);
    }
    expect(ISO_3166_COUNTRIES.find(([code]) => code === 'US')).toEqual(['US', 'United States', 'US']);
    expect(ISO_3166_COUNTRIES.find(([code]) => code === 'FR')).toEqual(['FR', 'France']);
  });

  it('is byte for byte what the script writes for these rows and the sources its header names', () => {
    const codesFrom = /\* Codes: the regular regions that ISO 3166-1 assigns, from\n \* (.+)\.\n/.exec(
      text,
    )?.[1];
    const namesFrom = /\* Names: CLDR (.+)\.\n/.exec(text)?.[1];
    expect(codesFrom).toMatch(/^CLDR \d+'s common\/validity\/region\.xml/);
    expect(namesFrom).toMatch(/^\d+(\.\d+)? \(Node \d+\.\d+\.\d+, ICU [\d.]+\)$/);
    expect(
      renderCountryCodes(ISO_3166_COUNTRIES, { codesFrom: codesFrom ?? '', namesFrom: namesFrom ?? '' }),
    ).toBe(text);
  });

  it('carries the Unicode License v3 notice, which a copy of CLDR data must keep', () => {
    expect(text).toContain('@license Unicode-3.0');
    expect(text).toContain('Copyright © 1991-2025 Unicode, Inc.');
    expect(text).toContain(
      'provided\n * that either (a) this copyright and permission notice appear with all copies',
    );
  });

  it("names every code from this Node's ICU too, whichever CLDR release it holds", () => {
    const rows = countryRows(codes);
    expect(rows.map(([code]) => code)).toEqual(codes);
    for (const [code, name] of rows) expect(name, code).toBeTruthy();
  });
});

describe('scripts/country-codes.ts', () => {
  it('reads the regular regions of region.xml, expanding ranges and leaving other statuses out', () => {
    const xml = `<supplementalData><idValidity>
      <id type='region' idStatus='regular'>    <!-- 7 items -->
        AC~E FR
        ZA ZM~N
      </id>
      <id type='region' idStatus='deprecated'> SU </id>
    </idValidity></supplementalData>`;
    expect(regularRegions(xml)).toEqual(['AC', 'AD', 'AE', 'FR', 'ZA', 'ZM', 'ZN']);
  });

  it('refuses a file without regular regions, saying which file it needs', () => {
    expect(() => regularRegions('<supplementalData/>')).toThrow(/common\/validity\/region\.xml/);
  });

  it('refuses a code that CLDR does not name rather than writing it without a name', () => {
    expect(() => countryRows(['FR', 'QQ'])).toThrow(/no English name for region QQ/);
  });

  it('sorts the codes and quotes names the way biome formats them', () => {
    expect(countryRows(['FR', 'CI', 'US'])).toEqual([
      ['CI', 'Côte d’Ivoire'],
      ['FR', 'France'],
      ['US', 'United States', 'US'],
    ]);
    const text = renderCountryCodes([['XX', "O'Name", 'Plain']], { codesFrom: 'c', namesFrom: 'n' });
    expect(text).toContain(`  ['XX', "O'Name", 'Plain'],\n];`);
  });
});
