import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EventsApiClient } from '../shared/collector/events-api/events-api-client';
import { isWholeToken } from '../shared/collector/events-api/events-host';
import {
  checkedToken,
  SecretsManagerTokenSource,
  type TokenSource,
} from '../shared/collector/events-api/token-source';
import { loadApiUrlSettings } from '../shared/collector/run/environment';
import { COLLECTOR_SETTINGS } from '../shared/contracts/settings';
import { SecretError } from '../shared/util/errors';
import { DEFAULT_RETRY_POLICY } from '../shared/util/retry-policy';
import type { CommandContext } from './command';
import { type Target, tokenSecretId } from './context';
import { readDemoData, startDemoApi } from './demo-data';
import { flag, type ParsedCommandLine } from './options';
import type { StateSource } from './state-dir';
import { targetRefusals, tokenRefusals } from './usage-errors';

export const TOKEN_VARIABLE = 'OP_EVENTS_TOKEN';

/** The token a command uses and where requests go; the token is only ever handed to the API client. */
export interface ChosenToken {
  readonly token: string;
  /** Where the token came from, for the report (never the token). */
  readonly from: string;
  readonly configuredUrl: string | undefined;
  readonly allowLoopback: boolean;
  /** What a local state folder records for events fetched with this token. */
  readonly demo: boolean;
  close(): Promise<void>;
}

/** EVENTS_API_URL and EVENTS_API_ALLOW_LOOPBACK, checked as the collector checks them. */
export function readApiUrlSettings(env: Readonly<Record<string, string | undefined>>): {
  configuredUrl: string | undefined;
  allowLoopback: boolean;
} {
  const settings = loadApiUrlSettings(env);
  return { configuredUrl: settings.eventsApiUrl, allowLoopback: settings.allowLoopback };
}

/**
 * Picks the token: `--demo` (the simulator's demo token and data, read from the state folder without
 * changing it), else `--secret-id` / the stack's secret, else OP_EVENTS_TOKEN. No token is a usage
 * error. EVENTS_API_URL and EVENTS_API_ALLOW_LOOPBACK apply as they do to the collector.
 */
export async function chooseToken(
  args: ParsedCommandLine,
  context: CommandContext,
  target: Target,
): Promise<ChosenToken> {
  const envToken = context.env[TOKEN_VARIABLE]?.trim() || undefined;
  if (flag(args, 'demo')) {
    if (target.kind !== 'local') {
      throw targetRefusals.demoWithAws();
    }
    const demo = await startDemoApi(readDemoData(target.state.simulator, context.now()), context.now());
    context.out.note(
      `DEMO: using the local Events API simulator on ${demo.url} with demo data and a demo token (not ` +
        'a 1Password account).',
    );
    return {
      token: demo.token,
      from: 'the demo token of the local simulator',
      configuredUrl: demo.url,
      allowLoopback: true,
      demo: true,
      close: demo.stop,
    };
  }
  const settings = readApiUrlSettings(context.env);
  const secretId = await tokenSecretId(target, args);
  if (secretId) {
    const token = await new SecretsManagerTokenSource(
      new SecretsManagerClient(target.kind === 'aws' ? target.clientConfig : {}),
      secretId,
      0,
    ).get();
    context.out.hide(token);
    return { token, from: `secret ${secretId}`, ...settings, demo: false, close: async () => undefined };
  }
  if (!envToken) throw tokenRefusals.noToken(TOKEN_VARIABLE);
  context.out.hide(envToken);
  checkedEnvironmentToken(envToken);
  return { token: envToken, from: TOKEN_VARIABLE, ...settings, demo: false, close: async () => undefined };
}

const SET_TOKEN_VARIABLE = `For example: export ${TOKEN_VARIABLE}="$(tr -d '[:space:]' < token.txt)"`;

/**
 * OP_EVENTS_TOKEN as typed, refused (exit 2, position not content) if it holds a character a token
 * never has, or does not read as a whole token (cut off or garbled when copied).
 */
export function checkedEnvironmentToken(token: string): string {
  try {
    checkedToken(token, TOKEN_VARIABLE, SET_TOKEN_VARIABLE);
  } catch (error) {
    throw error instanceof SecretError ? tokenRefusals.badCharacter(error) : error;
  }
  if (!isWholeToken(token)) throw tokenRefusals.notWhole(TOKEN_VARIABLE, SET_TOKEN_VARIABLE);
  return token;
}

/** What a state folder records about events fetched with this token (see state-dir.ts). */
export function stateSourceFor(chosen: ChosenToken, origin: string): StateSource {
  return chosen.demo ? { kind: 'demo' } : { kind: 'events-api', host: origin };
}

/** Interactive commands retry less than the collector: an operator is waiting. */
const CLI_RETRY = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, maxDelayMs: 2_000 };

export function apiClientFor(chosen: ChosenToken): EventsApiClient {
  const tokens: TokenSource = { get: async () => chosen.token, refresh: async () => false };
  return new EventsApiClient({
    tokens,
    configuredUrl: chosen.configuredUrl,
    allowLoopback: chosen.allowLoopback,
    timeoutMs: COLLECTOR_SETTINGS.requestTimeoutMs.default,
    retry: CLI_RETRY,
    userAgent: 'onepassword-events-to-s3 op-events',
  });
}
