import type { LocalCredentials } from '../../local/request-auth';

/** Configuration for a real AWS SDK client aimed at a loopback stand-in: no retries, the stand-in's own credentials. */
export function standInClientConfig(
  standIn: { readonly credentials: LocalCredentials },
  endpoint: string,
  requestTimeout?: number,
) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: standIn.credentials,
    maxAttempts: 1,
    ...(requestTimeout === undefined
      ? {}
      : { requestHandler: { requestTimeout, throwOnRequestTimeout: true } }),
  };
}
