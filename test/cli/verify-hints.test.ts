import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsObjectsCheck } from '../../cli/verify/bucket-checks';
import { collectorCheck } from '../../cli/verify/collector-check';

// A pipeline in another app publishes its outputs with its id in front (shared/contracts/stack-outputs.ts):
// the hints verify prints must name the keys that stack really has.
describe("verify hints name the selected pipeline's output keys", () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  it('a collector that never ran points at the logs of <id>CollectorFunction<Type>', () => {
    const state = { type: 'auditevents', totalEvents: 0 } as const;
    expect(collectorCheck(state, Date.now(), 900_000, 'Audit').fix).toContain(
      'stack output AuditCollectorFunctionAuditevents',
    );
    expect(collectorCheck(state, Date.now(), 900_000).fix).toContain(
      'stack output CollectorFunctionAuditevents',
    );
  });

  it('an empty events prefix after deliveries points at <id>DeliveryStream<Type>', async () => {
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    const check = await eventsObjectsCheck(
      new S3Client({ region: 'eu-west-1' }),
      'b',
      'itemusages',
      5,
      'Access',
    );
    expect(check.found).toBe(false);
    expect(check.result.fix).toContain('stack output AccessDeliveryStreamItemusages');
  });
});
