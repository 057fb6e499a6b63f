import type { TokenClaims } from '../../shared/collector/events-api/events-host';
import type { EventType } from '../../shared/contracts/event-types';
import { formatDuration, formatEpoch, formatTable } from '../format-table';
import type { CommandResult, ResultView } from '../render';

/** One chosen type: the feature it needs and whether introspection granted it. */
export interface TypeGrant {
  readonly type: EventType;
  readonly feature: string;
  readonly granted: boolean;
}

/** What the Events API says the token may do (GET /api/v2/auth/introspect). */
export interface Grants {
  readonly account: string | undefined;
  readonly tokenId: string | undefined;
  readonly features: readonly string[];
  readonly types: readonly TypeGrant[];
}

/** What `op-events check` learned of a token; the token itself is never part of it. */
export interface TokenCheck extends CommandResult {
  readonly now: number;
  /** Where the token came from (OP_EVENTS_TOKEN, a secret, the demo). */
  readonly tokenFrom: string;
  readonly host: string;
  readonly hostFrom: string;
  /** The token's own claims, decoded; undefined when its payload does not decode. */
  readonly claims: TokenClaims | undefined;
  readonly expired: boolean;
  /** Absent when the token has expired: the API is then not asked. */
  readonly grants?: Grants;
}

export const EXPIRED_TOKEN_ADVICE =
  'The token has expired. Issue a new one in 1Password (Integrations > Events Reporting) ' +
  'and put it in OP_EVENTS_TOKEN or the secret.';

/** What to do when the token lacks the features of some chosen types. */
export function missingFeaturesAdvice(missing: readonly TypeGrant[]): string {
  const several = missing.length > 1;
  return (
    `The token lacks ${missing.map((t) => t.feature).join(', ')}: ` +
    `${missing.map((t) => t.type).join(', ')} cannot be collected with it. ` +
    `Issue a token that includes ${several ? 'them' : 'it'} in 1Password (Integrations > Events ` +
    'Reporting), ' +
    `or leave ${several ? 'those types' : 'that type'} out (--types).`
  );
}

function missingTypes(result: TokenCheck): TypeGrant[] {
  return result.grants?.types.filter((t) => !t.granted) ?? [];
}

function notes(result: TokenCheck): string[] {
  if (result.expired) return [EXPIRED_TOKEN_ADVICE];
  const missing = missingTypes(result);
  return missing.length > 0 ? [missingFeaturesAdvice(missing)] : [];
}

function expiryText({ claims, now, expired }: TokenCheck): string {
  const expiresAt = claims?.expiresAt?.getTime();
  if (expiresAt === undefined) return 'never (no exp claim)';
  const when = expired
    ? `EXPIRED ${formatDuration((now - expiresAt) / 1000)} ago`
    : `in ${formatDuration((expiresAt - now) / 1000)}`;
  return `${formatEpoch(expiresAt)} (${when})`;
}

/** The rows of the text report, name and value, in the order they are printed. */
function reportRows(result: TokenCheck): [string, string][] {
  const { claims, grants } = result;
  const rows: [string, string][] = [
    ['token', `from ${result.tokenFrom} (decoded claims; the token itself is never shown)`],
    ['host', `${result.host} (from ${result.hostFrom})`],
  ];
  if (grants) {
    rows.push(['account', grants.account ?? 'unknown (not in the introspection answer)']);
    if (grants.tokenId) rows.push(['token id', grants.tokenId]);
  }
  if (claims?.audience.length) rows.push(['audience', claims.audience.join(', ')]);
  const issuedAt = claims?.issuedAt?.getTime();
  rows.push(['issued', issuedAt === undefined ? 'unknown (no iat claim)' : formatEpoch(issuedAt)]);
  rows.push(['expires', expiryText(result)]);
  if (claims?.features.length) rows.push(['claims', `features ${claims.features.join(', ')}`]);
  if (grants) rows.push(['features', `${grants.features.join(', ') || 'none'} (granted, per introspection)`]);
  return rows;
}

function text(result: TokenCheck): { lines: string[]; notes: string[] } {
  const lines = reportRows(result).map(([name, value]) => `${name.padEnd(10)}${value}`);
  const { grants } = result;
  if (grants) {
    const rows = grants.types.map((t) => [t.type, t.feature, t.granted ? 'yes' : 'NO']);
    lines.push('', formatTable(['type', 'feature', 'granted'], rows));
  }
  return { lines, notes: notes(result) };
}

/** One object: the decoded claims, then (when the API was asked) what it granted. */
function json(result: TokenCheck): { lines: object[]; notes: string[] } {
  const { claims, grants } = result;
  const decoded = {
    tokenFrom: result.tokenFrom,
    host: result.host,
    hostFrom: result.hostFrom,
    audience: claims?.audience ?? [],
    issuedAt: claims?.issuedAt?.toISOString(),
    expiresAt: claims?.expiresAt?.toISOString(),
    expired: result.expired,
    claimedFeatures: claims?.features ?? [],
  };
  const granted = grants && {
    account: grants.account,
    tokenId: grants.tokenId,
    grantedFeatures: grants.features,
    types: grants.types,
  };
  return { lines: [{ ...decoded, ...granted }], notes: notes(result) };
}

export const checkView: ResultView<TokenCheck> = { text, json };
