import type { EventTypeSpec } from '../../contracts/event-types';
import { AuthError } from '../../util/errors';
import type { EventsApiClient, Introspection } from './events-api-client';
import { decodeTokenClaims } from './events-host';

/**
 * Fails with a message naming the missing feature when the token cannot read this event type (or each
 * of these, with one introspection): expired per its own claims, or the feature is not granted.
 * Returns the introspection (the token's account, among others).
 */
export async function checkTokenScope(
  client: EventsApiClient,
  token: string,
  specs: EventTypeSpec | readonly EventTypeSpec[],
  deadlineMs: number,
  now: number = Date.now(),
): Promise<Introspection> {
  const claims = decodeTokenClaims(token);
  if (claims?.expiresAt && claims.expiresAt.getTime() <= now) {
    throw new AuthError(
      `The token expired on ${claims.expiresAt.toISOString()}. Issue a new one in 1Password ` +
        '(Integrations > Events Reporting) and put it in the secret.',
    );
  }
  const introspection = await client.introspect(deadlineMs);
  // One introspection answers for every type; the first type missing its feature is named.
  const spec = (Array.isArray(specs) ? specs : [specs]).find(
    (s) => !introspection.features.includes(s.feature),
  );
  if (spec) {
    const granted = introspection.features.length > 0 ? introspection.features.join(', ') : 'none';
    throw new AuthError(
      `The token lacks the ${spec.feature} feature (granted: ${granted}), so ` +
        `${spec.label.toLowerCase()} cannot be collected. Issue a token that includes ${spec.feature} in ` +
        `1Password (Integrations > Events Reporting), or stop collecting ${spec.type}.`,
    );
  }
  return introspection;
}
