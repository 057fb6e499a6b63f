import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { type BuiltApp, buildApp } from '../../infra/app/app';
import { ConfigurationError } from '../../infra/props/validation';

const CDK_JSON = fileURLToPath(new URL('../../cdk.json', import.meta.url));

/** The context `cdk synth` gets from cdk.json (feature flags), so tests synthesize what the CLI does. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(CDK_JSON, 'utf8')).context;
}

/** Context that skips esbuild bundling (no stack is bundled): for tests that read the template only. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

export interface Synthesized extends BuiltApp {
  readonly template: Template;
}

/** Builds the app as the CLI would (cdk.json context plus `extra`), bundling included, and synthesizes it. */
export function synthApp(extra: Record<string, unknown> = {}): Synthesized {
  const built = buildApp({ context: { ...cdkJsonContext(), ...extra } });
  return { ...built, template: Template.fromStack(built.stack) };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }>;

/** Logical IDs of the resources of one type whose properties contain `needle` (JSON text). */
export function logicalIds(template: Template, type: string, needle = ''): string[] {
  const resources = template.findResources(type) as Resources;
  return Object.entries(resources)
    .filter(([, r]) => JSON.stringify(r.Properties ?? {}).includes(needle))
    .map(([id]) => id);
}

/** The one logical ID matching, failing loudly when there are none or several. */
export function onlyLogicalId(template: Template, type: string, needle = ''): string {
  const ids = logicalIds(template, type, needle);
  if (ids.length !== 1)
    throw new Error(`expected one ${type} containing ${needle}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

export function resource(template: Template, logicalId: string) {
  const all = template.toJSON().Resources as Resources;
  const r = all[logicalId];
  if (!r) throw new Error(`no resource ${logicalId}`);
  return r;
}

/** One statement of an IAM policy document, as the template holds it. */
export interface Statement {
  readonly Sid?: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

type PolicyProps = {
  PolicyDocument?: { Statement: Statement[] };
  Policies?: { PolicyDocument: { Statement: Statement[] } }[];
};

/** Every statement of the template's IAM policies, the roles' inline policies included. */
export function policyStatements(template: Template): Statement[] {
  return ['AWS::IAM::Role', 'AWS::IAM::Policy']
    .flatMap((type) =>
      Object.values(template.findResources(type) as Record<string, { Properties: PolicyProps }>),
    )
    .flatMap(({ Properties: p }) => [
      ...(p.PolicyDocument?.Statement ?? []),
      ...(p.Policies ?? []).flatMap((policy) => policy.PolicyDocument.Statement),
    ]);
}

/** The ConfigurationError `fn` throws (any other error is thrown on; none fails the test). */
export function errorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}
