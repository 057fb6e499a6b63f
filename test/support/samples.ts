import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Public API payloads copied into the repo with their provenance (test/fixtures/samples/PROVENANCE.md). */
export const SAMPLES_DIR = join(import.meta.dirname, '..', 'fixtures', 'samples');

export function sampleText(name: string): string {
  return readFileSync(join(SAMPLES_DIR, name), 'utf8');
}

export function sampleJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(sampleText(name)) as T;
}

/** File names of every sample that is a page body (has an items array). */
export function pageSampleNames(): string[] {
  return readdirSync(SAMPLES_DIR).filter((name) => {
    if (!name.endsWith('.json')) return false;
    const body = sampleJson(name);
    return Array.isArray(body.items);
  });
}
