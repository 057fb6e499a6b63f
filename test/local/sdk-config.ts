/** Configuration for a real AWS SDK client aimed at a loopback stand-in: no retries, test credentials. */
export function standInClientConfig(endpoint: string, requestTimeout?: number) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...(requestTimeout === undefined
      ? {}
      : { requestHandler: { requestTimeout, throwOnRequestTimeout: true } }),
  };
}
