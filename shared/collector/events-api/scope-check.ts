import type { EventTypeSpec } from '../../contracts/event-types';
import type { EventsApiClient, Introspection } from './events-api-client';
import { scopeRefusals } from './events-api-errors';
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
    throw scopeRefusals.expired(claims.expiresAt);
  }
  const introspection = await client.introspect(deadlineMs);
  // One introspection answers for every type; the first type missing its feature is named.
  const spec = (Array.isArray(specs) ? specs : [specs]).find(
    (s) => !introspection.features.includes(s.feature),
  );
  if (spec) throw scopeRefusals.featureMissing(spec, introspection.features);
  return introspection;
}
