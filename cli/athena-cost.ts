/**
 * What an Athena SQL query costs at the list price. Amazon Athena pricing
 * (https://aws.amazon.com/athena/pricing/): $5.00 per TB of data scanned in US East (N. Virginia)
 * and most regions, rounded up to the nearest megabyte with a 10 MB minimum per query; DDL
 * statements and failed queries are not charged; a cancelled query is charged for what it scanned.
 * Bytes are counted in binary units (1 MB = 2^20 bytes, 1 TB = 2^40 bytes), as AWS bills data.
 */
export const ATHENA_PRICE_USD_PER_TB = 5;

const MB = 2 ** 20;
const TB = 2 ** 40;
const MINIMUM_MB = 10;

export interface ChargedQuery {
  readonly scannedBytes: number;
  /** SUCCEEDED, FAILED or CANCELLED. */
  readonly state: string;
  /** DDL, DML or UTILITY. */
  readonly statementType: string | undefined;
}

/** Billed bytes: 0 for DDL and failed queries, else scanned bytes rounded up to whole MB, at least 10 MB. */
export function billedBytes(query: ChargedQuery): number {
  if (query.state === 'FAILED' || query.statementType === 'DDL') return 0;
  const mb = Math.max(MINIMUM_MB, Math.ceil(query.scannedBytes / MB));
  return mb * MB;
}

export function athenaCostUsd(query: ChargedQuery): number {
  return (billedBytes(query) / TB) * ATHENA_PRICE_USD_PER_TB;
}

/** `1.2 KB`, `12.4 MB`, `3.10 GB` (binary units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${value} B`;
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** `$0.000048`: enough digits that the minimum charge (10 MB, about $0.000048) is not shown as $0.00. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 0.01) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2)}`;
}

/** One line for stderr: what the query scanned and what that costs. */
export function describeCost(query: ChargedQuery): string {
  const usd = athenaCostUsd(query);
  const scanned = `${formatBytes(query.scannedBytes)} scanned`;
  if (billedBytes(query) === 0) {
    const why = query.state === 'FAILED' ? 'failed queries are' : 'DDL statements are';
    return `${scanned}; no charge (${why} free in Athena).`;
  }
  return (
    `${scanned}; ${formatUsd(usd)} at Athena's list price of $${ATHENA_PRICE_USD_PER_TB.toFixed(2)} per ` +
    'TB (rounded up to whole MB, 10 MB minimum; https://aws.amazon.com/athena/pricing/).'
  );
}
