import type { ActionOf, RequestOf, ResponseOf } from './actionMaps.js';
import type { PayloadKind, ProtocolName } from './protocols.js';
import type { Random } from './random.js';
import { randomInt, seededRandom } from './random.js';
import type { JsonSchemaObject } from './schemas.js';
import { schemaFor } from './schemas.js';
import { isArray, isNumber, isObject, kw, propertiesOf, requiredOf, resolveRef, schemaType } from './schemaWalk.js';

/** How {@link exampleFor} builds a payload. */
export interface ExampleOptions {
  /**
   * Seed of a reproducible pseudo-random payload: random enum values, lengths, numbers within bounds and a
   * random subset of optional properties. Omit for the minimal deterministic example.
   */
  seed?: number;
  /**
   * Which optional properties to include: 'none' (only required ones), 'all', or 'random' (each with
   * probability ½; needs `seed`).
   * @default 'none' without a seed, 'random' with one
   */
  optional?: 'none' | 'all' | 'random';
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const FIXED_DATE = '2025-01-01T12:00:00.000Z';
/** Beyond this depth only required properties are generated (guards against recursive schemas). */
const MAX_DEPTH = 24;

interface Ctx {
  root: JsonSchemaObject;
  random: Random | undefined;
  optional: 'none' | 'all' | 'random';
}

function stringValue(schema: JsonSchemaObject, ctx: Ctx): string {
  const format = schema['format'];
  const maxLength = kw(schema, 'maxLength', isNumber) ?? Infinity;
  const minLength = kw(schema, 'minLength', isNumber) ?? 0;
  if (format === 'date-time') {
    if (!ctx.random) return FIXED_DATE;
    // Anywhere in 2000–2049, millisecond precision, UTC as OCPP 2.x requires.
    return new Date(946684800000 + Math.floor(ctx.random() * 1577836800000)).toISOString();
  }
  if (format === 'uri') return ctx.random ? `https://example.com/${randomInt(ctx.random, 0, 99999)}` : 'https://example.com/';
  const lower = Math.max(minLength, 1);
  const upper = Math.min(maxLength, Math.max(lower, 24));
  if (!ctx.random) return 'x'.repeat(Math.min(lower, maxLength));
  // Hit the maximum length now and then: boundary values are where peers disagree.
  const length = ctx.random() < 0.1 && maxLength <= 5500 ? maxLength : randomInt(ctx.random, Math.min(lower, upper), upper);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ctx.random, 0, ALPHABET.length - 1)];
  return out;
}

function numberValue(schema: JsonSchemaObject, ctx: Ctx, integer: boolean): number {
  const exMin = kw(schema, 'exclusiveMinimum', isNumber);
  const exMax = kw(schema, 'exclusiveMaximum', isNumber);
  const step = kw(schema, 'multipleOf', isNumber) ?? (integer ? 1 : undefined);
  let min = kw(schema, 'minimum', isNumber) ?? (exMin !== undefined ? exMin + (step ?? 0.5) : undefined);
  let max = kw(schema, 'maximum', isNumber) ?? (exMax !== undefined ? exMax - (step ?? 0.5) : undefined);
  if (min === undefined) min = max !== undefined ? Math.min(0, max) : 0;
  if (max === undefined) max = min + 1000;
  let value = ctx.random ? min + ctx.random() * (max - min) : Math.min(Math.max(0, min), max);
  if (step !== undefined) {
    value = Math.ceil(value / step - 1e-9) * step;
    if (value > max) value -= step;
    value = Math.round(value * 1e6) / 1e6;
  }
  return integer ? Math.round(value) : value;
}

function includeOptional(ctx: Ctx, depth: number): boolean {
  if (depth > MAX_DEPTH || ctx.optional === 'none') return false;
  if (ctx.optional === 'all') return true;
  return ctx.random ? ctx.random() < 0.5 : false;
}

/** A value valid against `schema` (resolved against `root` for `$ref`). */
export function valueFor(input: JsonSchemaObject, ctx: Ctx, depth = 0): unknown {
  const schema = resolveRef(ctx.root, input);
  if (depth > MAX_DEPTH * 2) throw new Error('Schema recursion too deep to build an example');
  const enumValues = kw(schema, 'enum', isArray);
  if (enumValues && enumValues.length > 0) {
    return ctx.random ? enumValues[randomInt(ctx.random, 0, enumValues.length - 1)] : enumValues[0];
  }
  if ('const' in schema) return schema['const'];
  switch (schemaType(schema)) {
    case 'string': return stringValue(schema, ctx);
    case 'integer': return numberValue(schema, ctx, true);
    case 'number': return numberValue(schema, ctx, false);
    case 'boolean': return ctx.random ? ctx.random() < 0.5 : false;
    case 'null': return null;
    case 'array': {
      const items = kw(schema, 'items', isObject);
      const minItems = kw(schema, 'minItems', isNumber) ?? 0;
      const maxItems = kw(schema, 'maxItems', isNumber) ?? Infinity;
      if (!items) return [];
      // One item even where none is required, so the example exercises the item schema.
      const base = Math.min(Math.max(minItems, depth > MAX_DEPTH ? minItems : 1), maxItems);
      const count = ctx.random ? randomInt(ctx.random, base, Math.min(maxItems, base + 2)) : base;
      return Array.from({ length: count }, () => valueFor(items, ctx, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set(requiredOf(schema));
      for (const [name, prop] of Object.entries(propertiesOf(schema))) {
        if (required.has(name) || includeOptional(ctx, depth)) out[name] = valueFor(prop, ctx, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

export function exampleFor<P extends ProtocolName, A extends ActionOf<P>>(
  protocol: P, action: A, kind: 'request', options?: ExampleOptions): RequestOf<P, A>;
export function exampleFor<P extends ProtocolName, A extends ActionOf<P>>(
  protocol: P, action: A, kind: 'response', options?: ExampleOptions): ResponseOf<P, A>;
export function exampleFor(protocol: ProtocolName, action: string, kind: PayloadKind, options?: ExampleOptions): unknown;
/**
 * A payload that is valid against the official schema of `protocol`/`action`/`kind`, derived from the
 * schema itself: required fields, the first enum value, short strings within maxLength, dates in RFC 3339.
 * With `seed`, a reproducible random variant (for property tests and fuzzing).
 * @throws TypeError for an unknown action, or the response of a SEND-only message.
 * @example exampleFor('ocpp1.6', 'BootNotification', 'request') // { chargePointVendor: 'x', chargePointModel: 'x' }
 */
export function exampleFor(protocol: ProtocolName, action: string, kind: PayloadKind, options: ExampleOptions = {}): unknown {
  const root = schemaFor(protocol, action, kind);
  if (!root) throw new TypeError(`No ${kind} schema for ${protocol} ${action}`);
  const random = options.seed === undefined ? undefined : seededRandom(options.seed);
  const optional = options.optional ?? (random ? 'random' : 'none');
  return valueFor(root, { root, random, optional });
}
