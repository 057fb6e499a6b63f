import { describe, expect, it } from 'vitest';
import { athenaCostUsd, billedBytes, describeCost, formatBytes, formatUsd } from '../../cli/athena-cost';

const MB = 2 ** 20;
const TB = 2 ** 40;

describe('Athena cost at the list price ($5 per TB, whole MB, 10 MB minimum)', () => {
  it('charges at least 10 MB', () => {
    expect(billedBytes({ scannedBytes: 0, state: 'SUCCEEDED', statementType: 'DML' })).toBe(10 * MB);
    expect(billedBytes({ scannedBytes: 3 * MB, state: 'SUCCEEDED', statementType: 'DML' })).toBe(10 * MB);
  });

  it('rounds up to the next whole MB', () => {
    expect(billedBytes({ scannedBytes: 10 * MB + 1, state: 'SUCCEEDED', statementType: 'DML' })).toBe(
      11 * MB,
    );
  });

  it('charges a cancelled query for what it scanned, nothing for DDL or a failed query', () => {
    expect(billedBytes({ scannedBytes: 20 * MB, state: 'CANCELLED', statementType: 'DML' })).toBe(20 * MB);
    expect(billedBytes({ scannedBytes: 20 * MB, state: 'SUCCEEDED', statementType: 'DDL' })).toBe(0);
    expect(billedBytes({ scannedBytes: 20 * MB, state: 'FAILED', statementType: 'DML' })).toBe(0);
  });

  it('one TB costs $5', () => {
    expect(athenaCostUsd({ scannedBytes: TB, state: 'SUCCEEDED', statementType: 'DML' })).toBe(5);
  });

  it('prints small costs with their digits and cites the price', () => {
    expect(formatUsd(athenaCostUsd({ scannedBytes: 1, state: 'SUCCEEDED', statementType: 'DML' }))).toBe(
      '$0.000048',
    );
    expect(formatUsd(0.25)).toBe('$0.25');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(12 * MB)).toBe('12.0 MB');
    expect(describeCost({ scannedBytes: 12 * MB, state: 'SUCCEEDED', statementType: 'DML' })).toBe(
      "12.0 MB scanned; $0.000057 at Athena's list price of $5.00 per TB (rounded up to whole MB, 10 MB minimum; https://aws.amazon.com/athena/pricing/).",
    );
    expect(describeCost({ scannedBytes: 0, state: 'SUCCEEDED', statementType: 'DDL' })).toBe(
      '0 B scanned; no charge (DDL statements are free in Athena).',
    );
  });
});
