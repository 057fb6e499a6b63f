import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * A resource ARN as cdk-nag names it in a finding (`AwsSolutions-IAM5[Resource::<this>]`), so an
 * acknowledgement names exactly the one resource it is about, owned or imported. cdk-nag writes
 * `Resource::<resource>` with each reference flattened: `Fn::Join` joined, `Ref` and `Fn::GetAtt` as
 * `<Id>` and `<Id.Attribute>`, `${...}` in strings as `<...>` (cdk-nag RULES.md, AwsSolutions-IAM5).
 * test/infra/nag.test.ts proves the form: a finding named otherwise would not be acknowledged.
 */
export function nagResource(scope: IConstruct, arn: string): string {
  return flatten(Stack.of(scope).resolve(arn));
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node !== null && typeof node === 'object') {
    const fn = node as Record<string, unknown>;
    if (Array.isArray(fn['Fn::Join'])) {
      const [delimiter, items] = fn['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (fn['Fn::Sub'] !== undefined) return flatten(fn['Fn::Sub']);
    if (Array.isArray(fn['Fn::GetAtt'])) {
      const [resource, attribute] = fn['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (fn['Fn::ImportValue'] !== undefined) return flatten(fn['Fn::ImportValue']);
    if (fn.Ref !== undefined) return `<${flatten(fn.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** A wildcard resource of a policy, and why the wildcard is as narrow as it can be. */
export interface WildcardResource {
  readonly arn: string;
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for each wildcard resource of `scope`'s policies,
 * named as cdk-nag names it. Done at synth, once references between stacks are resolved: an ARN of
 * a resource in another stack (a bucket of the app's own) is a cross-stack reference there, and only
 * then has the form cdk-nag sees.
 */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly WildcardResource[],
): void {
  const named = () =>
    resources.map(({ arn, reason }) => ({
      id: `AwsSolutions-IAM5[Resource::${nagResource(scope, arn)}]`,
      reason,
    }));
  // Now, for resources of this stack; at synth, again for those whose name has changed since.
  const now = named();
  Validations.of(scope).acknowledge(...now);
  let done = false; // every synth validates again: once is enough
  scope.node.addValidation({
    validate: () => {
      if (done) return [];
      done = true;
      const changed = named().filter((ack) => !now.some((before) => before.id === ack.id));
      if (changed.length > 0) Validations.of(scope).acknowledge(...changed);
      return [];
    },
  });
}
