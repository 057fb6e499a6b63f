import { Names } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { DEFAULT_GLUE_DATABASE } from './athena-defaults';

/**
 * Most characters of a pipeline's name prefix. Each name stays within its limit
 * (shared/contracts/aws-limits.ts): the workgroup (128) is the prefix, the dashboard (255) too, an alarm
 * (255) adds `-<type>-<alarm>` (at most 33), a Logs Insights query (255) adds `/<query>`.
 */
export const NAME_PREFIX_MAX_CHARS = 100;

/**
 * The prefix of a pipeline's physical names, from its path in the app: `<stack>-<path>-<hash>`, such as
 * `OnePasswordEvents-Pipeline-A43C0000`. Two pipelines in one app never share it; two stacks of one
 * account differ by their stack names.
 */
export function physicalNamePrefix(pipeline: IConstruct): string {
  return Names.uniqueResourceName(pipeline, { separator: '-', maxLength: NAME_PREFIX_MAX_CHARS });
}

/** The default Glue database name of a pipeline: its prefix as Athena names must be (lower case, `_`). */
export function defaultGlueDatabaseName(pipeline: IConstruct): string {
  return Names.uniqueResourceName(pipeline, {
    separator: '_',
    maxLength: NAME_PREFIX_MAX_CHARS,
  }).toLowerCase();
}

/**
 * The Glue database of the app stack (infra/app/app.ts) named `stackName`. Glue database names are
 * unique per account and region (AWS Glue API, CreateDatabase: AlreadyExistsException), so each
 * stack needs its own: `onepassword_events` for the default stack `defaultStackName` (the name every
 * stack deployed so far has), `onepassword_events_<stack name>` for any other, in lower case with `_`
 * for `-` (Athena names: lower case, letters, digits and underscores).
 */
export function appStackGlueDatabaseName(stackName: string, defaultStackName: string): string {
  if (stackName === defaultStackName) return DEFAULT_GLUE_DATABASE;
  return `${DEFAULT_GLUE_DATABASE}_${stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}
