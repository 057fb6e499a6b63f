/**
 * Stands in for @aws-sdk/credential-provider-node in the Lambda bundle only (an esbuild alias in
 * infra/defaults/lambda-defaults.ts). Lambda always gives the function's role credentials in the environment;
 * the SDK's full default chain (SSO, ini files, process, web identity, IMDS) is never reached there
 * and adds about 140 KB to the bundle, which every cold start loads.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
