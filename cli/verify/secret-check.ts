import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretRefusals } from '../../shared/collector/events-api/events-api-errors';
import { decodeTokenClaims } from '../../shared/collector/events-api/events-host';
import { tokenFromSecretString } from '../../shared/collector/events-api/token-source';
import { type EventType, specFor } from '../../shared/contracts/event-types';
import { formatDuration, formatEpoch } from '../format-table';
import { type CheckResult, couldNotCheck, fail, pass, warn } from './check-result';

/** A token this close to expiry is a warning: collection stops when it expires. */
const EXPIRY_WARNING_MS = 30 * 86_400_000;

const SET_IT = secretRefusals.howToSave;

/** The value the deploy puts in the secret: JSON whose token is empty. */
function isPlaceholder(value: string): boolean {
  try {
    const parsed = JSON.parse(value) as { token?: unknown };
    return (
      typeof parsed === 'object' && parsed !== null && (parsed.token === '' || parsed.token === undefined)
    );
  } catch {
    return false;
  }
}

/**
 * The token secret holds a token, not the deploy's placeholder; its claims (read without verifying
 * them) are not expired and grant every collected type. The value is handed to `hide` so no output
 * can show it, and only its claims are described.
 */
export async function secretCheck(
  secrets: SecretsManagerClient,
  stackName: string,
  secretArn: string,
  eventTypes: readonly EventType[],
  now: number,
  hide: (secret: string) => void,
): Promise<CheckResult> {
  const check = 'token secret';
  let value: string;
  try {
    value = (await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString ?? '';
  } catch (error) {
    return couldNotCheck(
      check,
      error,
      `reading secret ${secretArn}`,
      `secretsmanager:GetSecretValue on ${secretArn} (and kms:Decrypt on its key, if it has its own)`,
    );
  }
  if (value.trim() === '' || isPlaceholder(value.trim())) {
    return fail(
      check,
      'still holds the placeholder the deploy put there: every run fails until it is set.',
      SET_IT(secretArn),
    );
  }
  let token: string;
  try {
    token = tokenFromSecretString(secretArn, value);
  } catch (error) {
    return fail(check, error instanceof Error ? error.message : String(error), SET_IT(secretArn));
  }
  hide(token);
  const claims = decodeTokenClaims(token);
  if (!claims) {
    return warn(
      check,
      'is set, but its value is not shaped like a 1Password Events API token (a JWT), so its claims ' +
        'cannot be read.',
      'Check that the secret holds the bearer token from 1Password (Integrations > Events Reporting). ' +
        `${SET_IT(secretArn)}`,
    );
  }
  const expiresAt = claims.expiresAt?.getTime();
  if (expiresAt !== undefined && expiresAt <= now) {
    return fail(
      check,
      `is set, but the token expired ${formatDuration((now - expiresAt) / 1000)} ago ` +
        `(${formatEpoch(expiresAt)}).`,
      `Issue a new token in 1Password (Integrations > Events Reporting). ${SET_IT(secretArn)}`,
    );
  }
  const audience = claims.audience.length > 0 ? ` for ${claims.audience.join(', ')}` : '';
  const expiry =
    expiresAt === undefined
      ? 'no expiry'
      : `expires ${formatEpoch(expiresAt)}, in ${formatDuration((expiresAt - now) / 1000)}`;
  const missing = eventTypes.filter((type) => !claims.features.includes(specFor(type).feature));
  if (missing.length > 0 && claims.features.length > 0) {
    return warn(
      check,
      `is set (a token${audience}, ${expiry}), but its claims do not grant ${missing.join(', ')}, ` +
        'which the stack collects.',
      'Issue a token with those event types in 1Password, or check with: op-events check --stack ' +
        `${stackName}. ${SET_IT(secretArn)}`,
    );
  }
  if (expiresAt !== undefined && expiresAt - now < EXPIRY_WARNING_MS) {
    return warn(
      check,
      `is set (a token${audience}), but it expires soon: ${formatEpoch(expiresAt)}, in ` +
        `${formatDuration((expiresAt - now) / 1000)}.`,
      `Issue a new token in 1Password before then. ${SET_IT(secretArn)}`,
    );
  }
  return pass(check, `is set (a token${audience}, ${expiry}; the value is never shown).`);
}
