import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../shared/detections/rule-ids';
import { removeTempDirs, runBin, runStart, tempDir } from './cli-harness';

afterAll(removeTempDirs);

/** Issue 22: after `npm start`, `op-events detections run --json` shows what the demo data acts out. */
describe('the demo data and the detections', () => {
  it('every rule detects something after the first start; the demo watchlists are kept as the settings', async () => {
    const state = tempDir('op-events-detections-demo-');
    const started = await runStart(['--state-dir', state]);
    expect(started.code, started.stderr).toBe(0);
    const settings = JSON.parse(readFileSync(join(state, 'detections', 'settings.json'), 'utf8'));
    expect(Object.keys(settings)).toEqual(['watchlists']);

    const { code, stdout, stderr } = await runBin(['detections', 'run', '--json', '--state-dir', state]);
    expect(code, stderr).toBe(0);
    const detections = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect([...new Set(detections.map((d) => d.rule_id))].sort()).toEqual([...RULE_IDS].sort());
    for (const d of detections) {
      expect(Object.keys(d)).toEqual(
        expect.arrayContaining(['rule_id', 'severity', 'title', 'event_uuids', 'first_seen', 'last_seen']),
      );
      expect(d.event_uuids.length).toBeGreaterThan(0);
      expect(Date.parse(d.first_seen)).toBeLessThanOrEqual(Date.parse(d.last_seen));
    }
    // Generated sign-ins come from each person's usual addresses, now and then from a new one: the
    // baseline rule reports those few, not every sign-in.
    const newIp = detections.filter((d) => d.rule_id === 'new-ip-successful-sign-in').length;
    expect(newIp).toBeLessThan(150);
  });
});
