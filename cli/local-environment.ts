import { type AcceptedEvent, EventBridgeStandIn } from '../local/eventbridge-standin';
import { newLocalCredentials } from '../local/request-auth';
import { SecretsStandIn } from '../local/secrets-standin';
import {
  LOCAL_NAMES,
  LOCAL_REGION,
  type LocalCursorTable,
  openLocalCursorTable,
  startLocalFirehose,
} from './local-services';
import type { StateDir } from './state-dir';

/**
 * The AWS side of a local run: the cursor table (dynalite over `<state>/dynamodb`), Firehose (writing
 * `<state>/s3` in the bucket's layout), Secrets Manager (holding the token) and EventBridge (the
 * default bus, where the collector publishes its alerts), all on 127.0.0.1.
 * The collector reaches them through the SDK's standard AWS_ENDPOINT_URL_* variables, with random
 * credentials made for this run, exactly as it reaches AWS in Lambda: no collector code is swapped.
 * The stand-ins answer only requests signed with those credentials, so no other local process can
 * read the token from the Secrets Manager stand-in.
 */
export interface LocalEnvironment {
  readonly table: LocalCursorTable;
  /** The alert events the collectors published in this run, in order. */
  readonly alerts: readonly AcceptedEvent[];
  stop(): Promise<void>;
}

/** Variables removed so no setting of the operator's shell can send the local run to a real AWS account. */
const REMOVED_AWS_VARIABLES = [
  'AWS_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
];

export async function startLocalEnvironment(
  state: StateDir,
  token: string,
  env: NodeJS.ProcessEnv,
  purpose: string,
): Promise<LocalEnvironment> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of stops.reverse()) await close();
  };
  const credentials = newLocalCredentials();
  try {
    const table = await openLocalCursorTable(state, { create: true, purpose, credentials });
    stops.push(table.close);
    const firehose = await startLocalFirehose(state, credentials);
    stops.push(firehose.close);
    const secrets = await SecretsStandIn.start({
      secrets: { [LOCAL_NAMES.tokenSecret]: token },
      credentials,
    });
    stops.push(() => secrets.stop());
    const alerts: AcceptedEvent[] = [];
    const eventBridge = await EventBridgeStandIn.start({
      credentials,
      onEvent: (event) => alerts.push(event),
    });
    stops.push(() => eventBridge.stop());
    for (const name of REMOVED_AWS_VARIABLES) delete env[name];
    Object.assign(env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_ENDPOINT_URL_FIREHOSE: firehose.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.url,
    });
    return { table, alerts, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
