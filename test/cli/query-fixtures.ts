import { writeEventFiles } from '../../cli/detections/case-events';
import type { EventType } from '../../shared/contracts/event-types';

const DAY = 86_400_000;

/** Writes events as the collector and Firehose would: one gzip NDJSON object per event date. */
export function writeEvents(
  s3Dir: string,
  type: EventType,
  events: readonly Record<string, unknown>[],
  runId = 'run-1',
): void {
  writeEventFiles(s3Dir, { [type]: events }, runId);
}

/** Sign-in attempts of three users over the last days: failures by ann from two countries. */
export function signInFixture(now: number): Record<string, unknown>[] {
  const at = (daysAgo: number, minute: number) =>
    new Date(now - daysAgo * DAY + minute * 60_000).toISOString();
  const attempt = (uuid: string, when: string, category: string, email: string, country: string) => ({
    uuid,
    timestamp: when,
    category,
    type: category === 'success' ? 'credentials_ok' : 'password_secret_bad',
    country,
    target_user: { uuid: `U-${email}`, email, name: email },
    client: { ip_address: `192.0.2.${uuid.length}` },
    location: { country },
  });
  return [
    attempt('S1', at(3, 0), 'credentials_failed', 'ann@example.com', 'NL'),
    attempt('S2', at(2, 1), 'credentials_failed', 'ann@example.com', 'NL'),
    attempt('S3', at(1, 2), 'credentials_failed', 'ann@example.com', 'BR'),
    attempt('S4', at(1, 3), 'success', 'ann@example.com', 'NL'),
    attempt('S5', at(2, 4), 'mfa_failed', 'bob@example.com', 'US'),
    attempt('S6', at(1, 5), 'success', 'cy@example.com', 'US'),
  ];
}
