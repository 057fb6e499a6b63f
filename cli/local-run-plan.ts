import { checkTokenScope } from '../shared/collector/events-api/scope-check';
import { loadConfig } from '../shared/collector/run/environment';
import { type EventType, specFor } from '../shared/contracts/event-types';
import { parseCount, parseEventTypes } from './inputs';
import type { Output } from './io';
import { LOCAL_NAMES } from './local-services';
import { flag, type ParsedCommandLine, stringValue } from './options';
import { checkSource, resolveStateDir, type StateDir, type StateSource } from './state-dir';
import { apiClientFor, checkedEnvironmentToken, readApiUrlSettings, TOKEN_VARIABLE } from './token-choice';
import { localRunRefusals } from './usage-errors';

type Env = Readonly<Record<string, string | undefined>>;

/** Everything `npm start` decided before it changes any state. */
export interface LocalRunPlan {
  readonly state: StateDir;
  readonly types: readonly EventType[];
  readonly watch: boolean;
  readonly intervalSeconds: number;
  readonly maxRuns: number;
  /** Show each run's schema-mismatch line instead of one note at the end. */
  readonly verbose: boolean;
  /** No token given: the local simulator with demo data. */
  readonly demo: boolean;
  /** The operator's token (empty for the demo, whose token exists once the simulator runs). */
  readonly token: string;
  readonly source: StateSource;
  readonly env: Env;
}

const PLACEHOLDER_URL = 'http://127.0.0.1:1';

/**
 * The collector's environment for one type in a local run: the operator's variables (START_TIME,
 * PAGE_SIZE, ...) plus the local resource names; for the demo, the simulator's URL.
 */
export function collectorEnvironment(
  plan: Pick<LocalRunPlan, 'env'>,
  type: EventType,
  demoUrl?: string,
): NodeJS.ProcessEnv {
  return {
    ...plan.env,
    EVENT_TYPE: type,
    TOKEN_SECRET_ID: LOCAL_NAMES.tokenSecret,
    CURSOR_TABLE: LOCAL_NAMES.cursorTable,
    DELIVERY_STREAM: LOCAL_NAMES.deliveryStream(type),
    // The one-event rules run as in the stack, publishing to the local EventBridge's default bus.
    ALERT_EVENT_BUS: LOCAL_NAMES.alertBus,
    ...(demoUrl ? { EVENTS_API_URL: demoUrl, EVENTS_API_ALLOW_LOOPBACK: 'true' } : {}),
  };
}

/**
 * Reads the command line and environment and checks everything that can be wrong before state is
 * touched: options, the collector's variables, the events host, the state folder's source, and (with
 * a real token) that the token is accepted and has each type's feature.
 */
export async function planLocalRun(args: ParsedCommandLine, env: Env, out: Output): Promise<LocalRunPlan> {
  const types = parseEventTypes(stringValue(args, 'types'));
  const watch = flag(args, 'watch');
  if (!watch && stringValue(args, 'interval') !== undefined) {
    throw localRunRefusals.intervalWithoutWatch();
  }
  const intervalSeconds = parseCount(stringValue(args, 'interval'), '--interval', 1, 86_400, 60);
  const maxRuns = parseCount(stringValue(args, 'max-runs'), '--max-runs', 1, 1_000, 20);
  const state = resolveStateDir(stringValue(args, 'state-dir'), env);
  const token = env[TOKEN_VARIABLE]?.trim() ?? '';
  const demo = token === '';
  for (const type of types)
    loadConfig(collectorEnvironment({ env }, type, demo ? PLACEHOLDER_URL : undefined));
  const verbose = flag(args, 'verbose');
  const base = { state, types, watch, intervalSeconds, maxRuns, verbose, env };
  if (demo) {
    const source: StateSource = { kind: 'demo' };
    checkSource(state, source);
    return { ...base, demo, token, source };
  }
  checkedEnvironmentToken(token);
  const settings = readApiUrlSettings(env);
  const chosen = { token, from: TOKEN_VARIABLE, ...settings, demo: false, close: async () => undefined };
  const api = apiClientFor(chosen);
  const origin = await api.origin();
  const source: StateSource = { kind: 'events-api', host: origin };
  checkSource(state, source);
  const deadline = Date.now() + 30_000;
  await checkTokenScope(api, token, types.map(specFor), deadline);
  out.note(`Token accepted by ${origin} for ${types.join(', ')} (checked before any state was written).`);
  return { ...base, demo, token, source };
}
