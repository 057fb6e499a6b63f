import type * as z from 'zod/mini';

/** True when the value certainly matches the schema it was compiled from. */
export type FastCheck = (value: unknown) => boolean;

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

/**
 * Compiles a zod/mini schema into a plain predicate that answers "matches" with no allocation, for
 * the hot path: zod builds an output object per event even when only the verdict is wanted. It
 * understands strings, finite numbers, safe integers, optional, nullable and (loose or strip) objects
 * of those, exactly as zod decides them; for any other construct it returns undefined and the caller
 * uses zod itself. Callers still ask zod when the predicate says no, so zod names the failing fields.
 */
export function compileFastCheck(schema: z.ZodMiniType<unknown>): FastCheck | undefined {
  const def = schema._zod.def as unknown as SchemaDef;
  if (def.coerce || (def.checks !== undefined && def.checks.length > 0)) return undefined;
  switch (def.type) {
    case 'string':
      return def.check === undefined ? (value) => typeof value === 'string' : undefined;
    case 'number':
      if (def.check === undefined) return (value) => typeof value === 'number' && Number.isFinite(value);
      return def.check === 'number_format' && def.format === 'safeint' ? Number.isSafeInteger : undefined;
    case 'optional':
      return wrap(def.innerType, (inner) => (value) => value === undefined || inner(value));
    case 'nullable':
      return wrap(def.innerType, (inner) => (value) => value === null || inner(value));
    case 'object':
      return compileObject(def);
    default:
      return undefined;
  }
}

function wrap(
  inner: z.ZodMiniType<unknown> | undefined,
  make: (inner: FastCheck) => FastCheck,
): FastCheck | undefined {
  const check = inner && compileFastCheck(inner);
  return check && make(check);
}

/** Objects whose unknown keys pass (loose) or are ignored (strip): either way they never fail. */
function compileObject(def: SchemaDef): FastCheck | undefined {
  const catchallType = def.catchall ? (def.catchall._zod.def as unknown as SchemaDef).type : undefined;
  if (!def.shape || (catchallType !== undefined && catchallType !== 'unknown')) return undefined;
  const fields: [string, FastCheck][] = [];
  for (const [key, field] of Object.entries(def.shape)) {
    const check = compileFastCheck(field);
    if (!check || key === '__proto__') return undefined;
    fields.push([key, check]);
  }
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (const [key, check] of fields) if (!check(record[key])) return false;
    return true;
  };
}
