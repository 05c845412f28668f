// Patches: "change only the keys I name". zod's `.partial()` keeps each field's `.default()`, so a
// key left out of a partial comes back as its default and overwrites what was stored. A patch
// schema here has every key optional and no default anywhere; nested objects are patches too.
// Semantics follow JSON Merge Patch (RFC 7386): a key left out is kept, a nested object is merged,
// anything else (arrays, records, scalars) is replaced whole, and `null` removes a key that is
// optional in the full schema (JSON cannot carry `undefined`, so `null` is how a form clears one).
import { z } from 'zod';

type AnyObject = z.ZodObject<z.ZodRawShape, z.core.$ZodObjectConfig>;

type Some = z.core.SomeType;
/** The schema under any `.default()` / `.optional()` wrappers. */
type Bare<T extends Some> = T extends z.ZodDefault<infer I> ? Bare<I> : T extends z.ZodOptional<infer I> ? Bare<I> : T;
/** Optional in the full schema (no default): a patch may remove it with null. */
type Removable<T> = T extends z.ZodDefault<Some> ? false : T extends z.ZodOptional<Some> ? true : false;
type PatchField<T extends Some> = z.ZodOptional<
  Removable<T> extends true ? z.ZodNullable<PatchSchema<Bare<T>>> : PatchSchema<Bare<T>>
>;
export type PatchSchema<T extends Some> =
  T extends z.ZodObject<infer S, infer C> ? z.ZodObject<{ -readonly [K in keyof S]: PatchField<S[K]> }, C> : T;

function bare(t: z.ZodType): { inner: z.ZodType; removable: boolean } {
  let inner = t;
  let removable = false;
  let hadDefault = false;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      hadDefault = true;
      inner = inner.unwrap() as z.ZodType;
    } else if (inner instanceof z.ZodOptional) {
      removable = !hadDefault;
      inner = inner.unwrap() as z.ZodType;
    } else return { inner, removable };
  }
}

/** The patch schema of an object schema (strictness kept, defaults dropped, nested objects patched). */
export function patchOf<T extends AnyObject>(schema: T): PatchSchema<T> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const { inner, removable } = bare(field);
    const value = inner instanceof z.ZodObject ? (patchOf(inner as AnyObject) as unknown as z.ZodType) : inner;
    shape[key] = removable ? value.nullable().optional() : value.optional();
  }
  // extend keeps the object's own config (strict / catchall) and only swaps the fields.
  return schema.extend(shape) as unknown as PatchSchema<T>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `base` with `patch` applied, guided by the full schema: only fields that are objects in the
 * schema are merged key by key; the result is not parsed (callers parse it with the full schema).
 */
export function applyPatch<T extends Record<string, unknown>>(schema: AnyObject, base: T, patch: unknown): T {
  if (!isPlainObject(patch)) return base;
  const out: Record<string, unknown> = { ...base };
  const fields = schema.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const field = fields[key];
    const inner = field ? bare(field).inner : undefined;
    const current = out[key];
    // An object not stored yet is patched from empty: its nulls remove nothing, and are not kept.
    out[key] =
      inner instanceof z.ZodObject && isPlainObject(value)
        ? applyPatch(inner as AnyObject, isPlainObject(current) ? current : {}, value)
        : value;
  }
  return out as T;
}
