import type { JsonSchemaObject } from './schemas.js';

/** Reads a keyword of a schema node with a type check (the official schemas are plain draft-07 JSON). */
export function kw<T>(schema: JsonSchemaObject, key: string, guard: (v: unknown) => v is T): T | undefined {
  const value = schema[key];
  return guard(value) ? value : undefined;
}

export const isNumber = (v: unknown): v is number => typeof v === 'number';
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isObject = (v: unknown): v is JsonSchemaObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isArray = (v: unknown): v is readonly unknown[] => Array.isArray(v);
export const isStringArray = (v: unknown): v is readonly string[] => Array.isArray(v) && v.every(isString);

/** Follows a local `#/definitions/X` reference (the only form the OCA schemas use). */
export function resolveRef(root: JsonSchemaObject, schema: JsonSchemaObject): JsonSchemaObject {
  let current = schema;
  for (let hops = 0; hops < 16; hops++) {
    const ref = kw(current, '$ref', isString);
    if (ref === undefined) return current;
    const m = /^#\/definitions\/(.+)$/.exec(ref);
    const defs = kw(root, 'definitions', isObject);
    const target = m && defs ? defs[m[1]!] : undefined;
    if (!isObject(target)) throw new Error(`Unresolvable $ref ${ref}`);
    current = target;
  }
  throw new Error('$ref chain too long');
}

/** The single JSON type of a schema node (the OCA schemas never use type arrays). */
export function schemaType(schema: JsonSchemaObject): string | undefined {
  const t = schema['type'];
  if (typeof t === 'string') return t;
  if (Array.isArray(t) && typeof t[0] === 'string') return t[0];
  if (isObject(schema['properties'])) return 'object';
  return undefined;
}

/** Required property names of an object schema. */
export function requiredOf(schema: JsonSchemaObject): readonly string[] {
  return kw(schema, 'required', isStringArray) ?? [];
}

/** Property schemas of an object schema. */
export function propertiesOf(schema: JsonSchemaObject): Readonly<Record<string, JsonSchemaObject>> {
  const props = kw(schema, 'properties', isObject) ?? {};
  return props as Readonly<Record<string, JsonSchemaObject>>;
}
