import { decodeTokenClaims } from '../../shared/collector/events-api/events-host';
import { specFor } from '../../shared/contracts/event-types';
import type { Command, CommandContext } from '../command';
import { resolveTarget } from '../context';
import { ExitCode } from '../exit-codes';
import { parseEventTypes } from '../inputs';
import { type ParsedCommandLine, stringValue } from '../options';
import { resultCommand } from '../render';
import { JSON_OPTION, STATE_DIR_OPTION, TOKEN_OPTIONS, TYPES_OPTION } from '../shared-options';
import { apiClientFor, chooseToken } from '../token-choice';
import { checkView, type TokenCheck } from './check-view';

const REQUEST_DEADLINE_MS = 30_000;

/** What the token says of itself and, unless it has expired, what the Events API grants it. */
async function checkToken(args: ParsedCommandLine, context: CommandContext): Promise<TokenCheck> {
  const types = parseEventTypes(stringValue(args, 'types'));
  const target = resolveTarget(args, context.env);
  const chosen = await chooseToken(args, context, target);
  try {
    const api = apiClientFor(chosen);
    const claims = decodeTokenClaims(chosen.token);
    const now = context.now();
    const expiresAt = claims?.expiresAt?.getTime();
    const expired = expiresAt !== undefined && expiresAt <= now;
    const found = {
      now,
      tokenFrom: chosen.from,
      host: await api.origin(),
      hostFrom: chosen.configuredUrl ? 'EVENTS_API_URL' : "the token's audience",
      claims,
      expired,
    };
    if (expired) return { ...found, exitCode: ExitCode.Auth };
    const introspection = await api.introspect(now + REQUEST_DEADLINE_MS);
    const grants = {
      account: introspection.accountUuid,
      tokenId: introspection.uuid,
      features: introspection.features,
      types: types.map((type) => {
        const { feature } = specFor(type);
        return { type, feature, granted: introspection.features.includes(feature) };
      }),
    };
    const allGranted = grants.types.every((t) => t.granted);
    return { ...found, grants, exitCode: allGranted ? ExitCode.Ok : ExitCode.Auth };
  } finally {
    await chosen.close();
  }
}

export const checkCommand: Command = resultCommand(
  {
    name: 'check',
    brief: 'Check a token: host, account, features, dates, missing features.',
    usage: 'op-events check [--types a,b] [--json] [--secret-id ID | --stack NAME | --demo]',
    summary:
      'Checks the Events API token: host, account, granted features, issue and expiry dates (decoded ' +
      'from the token, which is never shown), and which of the chosen types it cannot read.',
    options: { ...TYPES_OPTION, ...JSON_OPTION, ...TOKEN_OPTIONS, ...STATE_DIR_OPTION },
    details:
      'The token comes from OP_EVENTS_TOKEN unless --secret-id, --stack or --demo is given. ' +
      'EVENTS_API_URL sets the host\n' +
      'when the token does not name one. Exit code 3 when the token is refused, expired, or lacks a ' +
      "chosen type's feature.",
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
  checkToken,
  checkView,
);
