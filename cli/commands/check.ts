import { specFor } from '../../shared/event-types';
import { decodeTokenClaims } from '../../shared/events-host';
import type { Command, CommandContext } from '../command';
import { resolveTarget } from '../context';
import { ExitCode } from '../exit-codes';
import { formatDuration, formatEpoch, formatTable } from '../format-table';
import { parseEventTypes } from '../inputs';
import { flag, type ParsedCommandLine, stringValue } from '../options';
import { JSON_OPTION, STATE_DIR_OPTION, TOKEN_OPTIONS, TYPES_OPTION } from '../shared-options';
import { apiClientFor, chooseToken } from '../token-choice';

const REQUEST_DEADLINE_MS = 30_000;

async function run(args: ParsedCommandLine, context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const json = flag(args, 'json');
  const types = parseEventTypes(stringValue(args, 'types'));
  const target = resolveTarget(args, context.env);
  const chosen = await chooseToken(args, context, target);
  try {
    const api = apiClientFor(chosen);
    const origin = await api.origin();
    const claims = decodeTokenClaims(chosen.token);
    const now = context.now();
    const expiresAt = claims?.expiresAt?.getTime();
    const expired = expiresAt !== undefined && expiresAt <= now;
    const hostFrom = chosen.configuredUrl ? 'EVENTS_API_URL' : "the token's audience";
    // What the token says of itself (decoded claims; the token itself is never shown).
    const decoded = {
      tokenFrom: chosen.from,
      host: origin,
      hostFrom,
      audience: claims?.audience ?? [],
      issuedAt: claims?.issuedAt?.toISOString(),
      expiresAt: expiresAt === undefined ? undefined : new Date(expiresAt).toISOString(),
      expired,
      claimedFeatures: claims?.features ?? [],
    };
    const rows: [string, string][] = [
      ['token', `from ${chosen.from} (decoded claims; the token itself is never shown)`],
      ['host', `${origin} (from ${hostFrom})`],
    ];
    if (claims?.audience.length) rows.push(['audience', claims.audience.join(', ')]);
    rows.push([
      'issued',
      claims?.issuedAt ? formatEpoch(claims.issuedAt.getTime()) : 'unknown (no iat claim)',
    ]);
    rows.push([
      'expires',
      expiresAt === undefined
        ? 'never (no exp claim)'
        : `${formatEpoch(expiresAt)} (${expired ? `EXPIRED ${formatDuration((now - expiresAt) / 1000)} ago` : `in ${formatDuration((expiresAt - now) / 1000)}`})`,
    ]);
    if (claims?.features.length) rows.push(['claims', `features ${claims.features.join(', ')}`]);
    const print = () => {
      for (const [name, value] of rows) out.line(`${name.padEnd(10)}${value}`);
    };
    if (expired) {
      if (json) out.line(JSON.stringify(decoded));
      else print();
      out.note(
        'The token has expired. Issue a new one in 1Password (Integrations > Events Reporting) and put it in OP_EVENTS_TOKEN or the secret.',
      );
      return ExitCode.Auth;
    }
    const introspection = await api.introspect(now + REQUEST_DEADLINE_MS);
    const missing = types.filter((type) => !introspection.features.includes(specFor(type).feature));
    if (json) {
      out.line(
        JSON.stringify({
          ...decoded,
          account: introspection.accountUuid,
          tokenId: introspection.uuid,
          grantedFeatures: introspection.features,
          types: types.map((type) => ({
            type,
            feature: specFor(type).feature,
            granted: !missing.includes(type),
          })),
        }),
      );
    } else {
      rows.splice(2, 0, [
        'account',
        introspection.accountUuid ?? 'unknown (not in the introspection answer)',
      ]);
      if (introspection.uuid) rows.splice(3, 0, ['token id', introspection.uuid]);
      rows.push(['features', `${introspection.features.join(', ') || 'none'} (granted, per introspection)`]);
      print();
      out.line();
      out.line(
        formatTable(
          ['type', 'feature', 'granted'],
          types.map((type) => [type, specFor(type).feature, missing.includes(type) ? 'NO' : 'yes']),
        ),
      );
    }
    if (missing.length > 0) {
      out.note(
        `The token lacks ${missing.map((t) => specFor(t).feature).join(', ')}: ${missing.join(', ')} cannot be collected with it. Issue a token that includes ${missing.length > 1 ? 'them' : 'it'} in 1Password (Integrations > Events Reporting), or leave ${missing.length > 1 ? 'those types' : 'that type'} out (--types).`,
      );
      return ExitCode.Auth;
    }
    return ExitCode.Ok;
  } finally {
    await chosen.close();
  }
}

export const checkCommand: Command = {
  spec: {
    name: 'check',
    brief: 'Check a token: host, account, features, dates, missing features.',
    usage: 'op-events check [--types a,b] [--json] [--secret-id ID | --stack NAME | --demo]',
    summary:
      'Checks the Events API token: host, account, granted features, issue and expiry dates (decoded from the token, which is never shown), and which of the chosen types it cannot read.',
    options: { ...TYPES_OPTION, ...JSON_OPTION, ...TOKEN_OPTIONS, ...STATE_DIR_OPTION },
    details: `The token comes from OP_EVENTS_TOKEN unless --secret-id, --stack or --demo is given. EVENTS_API_URL sets the host
when the token does not name one. Exit code 3 when the token is refused, expired, or lacks a chosen type's feature.`,
    examples: [
      { args: '', does: 'Check the token in OP_EVENTS_TOKEN for every event type.' },
      {
        args: '--stack OnePasswordEvents',
        does: 'Check the token a deployed stack keeps in Secrets Manager.',
      },
      {
        args: '--types signinattempts --json',
        does: 'Only the sign-in attempts feature; the result as one JSON object.',
      },
    ],
  },
  run,
};
