import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createPowertoolsTelemetry,
  SCHEDULED_RULES_SERVICE_NAME,
  SERVICE_NAME,
} from '../../../../shared/collector/run/telemetry';

/** The JSON log lines Powertools writes while `write` runs. */
function logLines(write: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    write();
  } finally {
    spy.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the service each function logs as', () => {
  afterEach(() => vi.restoreAllMocks());

  it('a collector logs as the collector, the scheduled rules as themselves', () => {
    for (const [type, service] of [
      ['auditevents', SERVICE_NAME],
      ['scheduled-rules', SCHEDULED_RULES_SERVICE_NAME],
    ] as const) {
      const [line] = logLines(() => createPowertoolsTelemetry(type).info('hello'));
      expect(line).toMatchObject({ message: 'hello', service, eventType: type });
    }
    expect(SCHEDULED_RULES_SERVICE_NAME).not.toBe(SERVICE_NAME);
  });
});
