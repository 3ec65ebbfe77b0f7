import { HttpError, type FieldProblem } from './httpError.js';

/** Declarative description of one field. */
export type FieldSpec =
  | { type: 'string'; optional?: boolean; nullable?: boolean; minLength?: number; maxLength?: number; pattern?: RegExp; patternHint?: string }
  | { type: 'integer'; optional?: boolean; min?: number; max?: number }
  | { type: 'enum'; optional?: boolean; values: readonly string[] }
  | { type: 'datetime'; optional?: boolean; nullable?: boolean };

export type Shape = Record<string, FieldSpec>;

type ValueOf<F extends FieldSpec> = F extends { type: 'integer' }
  ? number
  : F extends { type: 'enum'; values: readonly (infer V)[] }
    ? V
    : F extends { nullable: true }
      ? string | null
      : string;

type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];

/** The parsed type of a shape: optional fields may be absent. */
export type Parsed<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: ValueOf<S[K]> } & {
  [K in OptionalKeys<S>]?: ValueOf<S[K]>;
};

/** Keeps the literal types of a shape (enum values) for Parsed<>. */
export function shape<const S extends Shape>(s: S): S {
  return s;
}

function check(field: string, spec: FieldSpec, value: unknown, problems: FieldProblem[]): unknown {
  if (value === null && 'nullable' in spec && spec.nullable === true) return null;
  switch (spec.type) {
    case 'string': {
      if (typeof value !== 'string') return void problems.push({ field, message: 'must be a string' });
      const length = [...value].length;
      if (spec.minLength !== undefined && length < spec.minLength)
        problems.push({ field, message: `must be at least ${spec.minLength} characters` });
      else if (spec.maxLength !== undefined && length > spec.maxLength)
        problems.push({ field, message: `must be at most ${spec.maxLength} characters` });
      else if (spec.pattern !== undefined && !spec.pattern.test(value))
        problems.push({ field, message: spec.patternHint ?? `must match ${String(spec.pattern)}` });
      return value;
    }
    case 'integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) return void problems.push({ field, message: 'must be an integer' });
      if (spec.min !== undefined && n < spec.min) problems.push({ field, message: `must be >= ${spec.min}` });
      else if (spec.max !== undefined && n > spec.max) problems.push({ field, message: `must be <= ${spec.max}` });
      return n;
    }
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value))
        problems.push({ field, message: `must be one of ${spec.values.join(', ')}` });
      return value;
    case 'datetime':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value)))
        return void problems.push({ field, message: 'must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z' });
      return new Date(value).toISOString();
  }
}

/**
 * Validates a JSON body (or a query object) against a shape. Unknown fields are refused so a typo never
 * passes silently. Integers in query strings may be given as decimal text.
 * @throws HttpError 400 `ValidationError` listing every problem.
 */
export function parse<S extends Shape>(input: unknown, spec: S, where: 'body' | 'query' = 'body'): Parsed<S> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HttpError(400, 'ValidationError', `${where} must be a JSON object`);
  }
  const problems: FieldProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(spec, key)) problems.push({ field: key, message: 'is not a known field' });
  }
  for (const [field, fieldSpec] of Object.entries(spec)) {
    const value = (input as Record<string, unknown>)[field];
    if (value === undefined) {
      if (fieldSpec.optional !== true) problems.push({ field, message: 'is required' });
      continue;
    }
    const parsed = check(field, fieldSpec, value, problems);
    if (parsed !== undefined) out[field] = parsed;
  }
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.field} ${p.message}`).join('; ');
    throw new HttpError(400, 'ValidationError', `invalid ${where}: ${summary}`, problems);
  }
  return out as Parsed<S>;
}

/** Charger identities: 1–48 characters, no ':' (OCPP-J 2.x §3.1.1), no '/', whitespace or control characters. */
export const CHARGER_ID = /^[^\s:/\\?#%\u0000-\u001f\u007f]{1,48}$/u;
