import type * as z from 'zod/mini';

/**
 * The dotted paths of the fields that do not match the schema, in the order zod reports them;
 * undefined when the value matches. "(event)" stands for the value itself.
 */
export type MismatchFinder = (value: unknown) => string[] | undefined;

/** The parts of a zod/mini schema definition this compiler understands. */
interface SchemaDef {
  readonly type: string;
  readonly coerce?: boolean;
  readonly checks?: readonly unknown[];
  readonly check?: string;
  readonly format?: string;
  readonly innerType?: z.ZodMiniType<unknown>;
  readonly shape?: Readonly<Record<string, z.ZodMiniType<unknown>>>;
  readonly catchall?: z.ZodMiniType<unknown>;
}

/** A schema reduced to what a value must be: one base kind, plus whether undefined or null pass. */
interface Rule {
  readonly kind: 'string' | 'number' | 'safeint' | 'object';
  /** Objects: each declared key with its rule (unknown keys always pass). */
  readonly fields?: readonly (readonly [string, Rule])[];
  readonly undefinedOk: boolean;
  readonly nullOk: boolean;
}

/**
 * Compiles a zod/mini schema into a plain function for the hot path: zod builds an output object
 * per event even when only the verdict is wanted, reads each field through a generic loop, and for
 * an event that fails builds an issue (message, expected type, input) per field. The function is
 * generated source with every key and path a constant (only the schema's own key names, quoted with
 * JSON.stringify, go into it), so the engine reads fields as fast as hand-written code would, and
 * allocates nothing for an event that matches and one list of paths for one that does not.
 *
 * It understands strings, finite numbers, safe integers, optional, nullable and (loose or strip)
 * objects of those, deciding them exactly as zod does and naming the same fields; for any other
 * construct, or where code generation is disallowed, it returns undefined and the caller uses zod.
 */
export function compileMismatchFinder(schema: z.ZodMiniType<unknown>): MismatchFinder | undefined {
  const rule = ruleOf(schema);
  if (!rule) return undefined;
  try {
    return new Function('v0', `let out;${statementsFor(rule, 0, [])}return out;`) as MismatchFinder;
  } catch {
    return undefined;
  }
}

function ruleOf(schema: z.ZodMiniType<unknown>): Rule | undefined {
  const def = schema._zod.def as unknown as SchemaDef;
  if (def.coerce || (def.checks !== undefined && def.checks.length > 0)) return undefined;
  const base = { undefinedOk: false, nullOk: false };
  switch (def.type) {
    case 'string':
      return def.check === undefined ? { kind: 'string', ...base } : undefined;
    case 'number':
      if (def.check === undefined) return { kind: 'number', ...base };
      return def.check === 'number_format' && def.format === 'safeint'
        ? { kind: 'safeint', ...base }
        : undefined;
    case 'optional': {
      const inner = def.innerType && ruleOf(def.innerType);
      return inner && { ...inner, undefinedOk: true };
    }
    case 'nullable': {
      const inner = def.innerType && ruleOf(def.innerType);
      return inner && { ...inner, nullOk: true };
    }
    case 'object':
      return objectRule(def);
    default:
      return undefined;
  }
}

/** Objects whose unknown keys pass (loose) or are ignored (strip): either way they never fail. */
function objectRule(def: SchemaDef): Rule | undefined {
  const catchallType = def.catchall ? (def.catchall._zod.def as unknown as SchemaDef).type : undefined;
  if (!def.shape || (catchallType !== undefined && catchallType !== 'unknown')) return undefined;
  const fields: [string, Rule][] = [];
  for (const [key, field] of Object.entries(def.shape)) {
    const rule = ruleOf(field);
    if (!rule || key === '__proto__') return undefined;
    fields.push([key, rule]);
  }
  return { kind: 'object', fields, undefinedOk: false, nullOk: false };
}

/** Statements that add `path` to `out` unless variable `v<depth>` follows the rule. */
function statementsFor(rule: Rule, depth: number, path: readonly string[]): string {
  const v = `v${depth}`;
  const passes = [
    ...(rule.undefinedOk ? [`${v} !== undefined`] : []),
    ...(rule.nullOk ? [`${v} !== null`] : []),
  ];
  const test = baseTest(rule, depth, path);
  return passes.length > 0 ? `if (${passes.join(' && ')}) {${test}}` : test;
}

function baseTest(rule: Rule, depth: number, path: readonly string[]): string {
  const v = `v${depth}`;
  const mismatch = `(out ??= []).push(${JSON.stringify(path.join('.') || '(event)')});`;
  switch (rule.kind) {
    case 'string':
      return `if (typeof ${v} !== 'string') ${mismatch}`;
    case 'number':
      return `if (typeof ${v} !== 'number' || !Number.isFinite(${v})) ${mismatch}`;
    case 'safeint':
      return `if (!Number.isSafeInteger(${v})) ${mismatch}`;
    case 'object': {
      const next = `v${depth + 1}`;
      const fields = (rule.fields ?? []).map(
        ([key, field]) =>
          `{const ${next} = ${v}[${JSON.stringify(key)}];${statementsFor(field, depth + 1, [...path, key])}}`,
      );
      return (
        `if (typeof ${v} !== 'object' || ${v} === null || Array.isArray(${v})) ${mismatch} else ` +
        `{${fields.join('')}}`
      );
    }
  }
}
