import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCollector } from '../../shared/collector/run/collector-runtime';
import { toWholeSecondRfc3339 } from '../../shared/util/timestamp';
import { makeEvents, PipelineHarness } from '../support/pipeline-harness';

// START_TIME older than the API's 120-day retention: accepted (it ages after deploy), and the first
// run, the only one that reads it, says so.
let h: PipelineHarness;
beforeEach(async () => {
  h = await PipelineHarness.start();
});
afterEach(() => h.stop());

const soon = () => Date.now() + 30_000;
const warnings = () => h.telemetry.logs.filter((l) => l.level === 'warn').map((l) => l.message);

describe('a first run with START_TIME before the retention', () => {
  it('collects from the oldest event the API keeps and warns once, on the run that reads START_TIME', async () => {
    h.api.addEvents('auditevents', makeEvents('auditevents', 5));
    const runtime = h.runtime('auditevents', { START_TIME: '2020-01-01T00:00:00Z' });
    expect((await runCollector(runtime, { deadlineMs: soon() })).events).toBe(5);
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^START_TIME 2020-01-01T00:00:00Z is older than the Events API keeps events \(120 days, .*nothing older can be collected\.$/,
      ),
    ]);
    // The next run continues from the cursor: START_TIME is not read again.
    await runCollector(runtime, { deadlineMs: soon() });
    expect(warnings()).toHaveLength(1);
  });

  it('does not warn for a START_TIME within the retention', async () => {
    const recent = toWholeSecondRfc3339(Date.now() - 3 * 86_400_000);
    await runCollector(h.runtime('auditevents', { START_TIME: recent }), { deadlineMs: soon() });
    expect(warnings()).toEqual([]);
  });
});
