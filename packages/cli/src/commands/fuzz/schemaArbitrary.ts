import fc from 'fast-check';
import { getSchema, getValidator, type PayloadKind, type ProtocolName } from '@chargewire/ocpp-types';

/** A draft-07 schema node as the OCA publishes them. */
type Schema = { readonly [keyword: string]: unknown };

/** Bounds of {@link payloadArbitrary}: they keep frames small enough for any sane maxPayload. */
export interface PayloadArbitraryOptions {
  /** Below this depth optional properties are generated; deeper only required ones. @default 6 */
  maxDepth?: number;
  /** Strings get at most this many random characters (longer limits are reached by exact-length strings). @default 24 */
  maxFreeLength?: number;
  /** A string is generated at exactly its maxLength only when that is at most this. @default 8000 */
  maxLimitLength?: number;
  /** Below the top two levels, strings at their maxLength and arrays at their maxItems stay this small. @default 64 */
  maxNestedLimitLength?: number;
  /** An array is generated at exactly its maxItems only when that is at most this. @default 16 */
  maxLimitItems?: number;
}

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (schema: Schema, key: string): number | undefined => (typeof schema[key] === 'number' ? schema[key] : undefined);

/** Follows a local `#/definitions/X` reference (the only form the OCA schemas use). */
function resolve(root: Schema, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; hops < 16 && typeof current['$ref'] === 'string'; hops++) {
    const name = /^#\/definitions\/(.+)$/.exec(current['$ref'])?.[1];
    const target = name && isObject(root['definitions']) ? root['definitions'][name] : undefined;
    if (!isObject(target)) throw new Error(`Unresolvable $ref ${String(current['$ref'])}`);
    current = target;
  }
  return current;
}

/** RFC 3339 date-times the way chargers write them: with and without milliseconds, UTC and offsets. */
const dateTime = (): fc.Arbitrary<string> =>
  fc
    .tuple(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom('ms', 's', 'offset'))
    .map(([date, style]) => {
      const iso = date.toISOString();
      if (style === 'ms') return iso;
      if (style === 's') return `${iso.slice(0, 19)}Z`;
      return `${iso.slice(0, 19)}+02:00`;
    });

/**
 * One Unicode scalar value (no lone surrogates): ASCII controls, Latin, CJK, emoji (outside the BMP, two
 * UTF-16 units but one code point, as JSON Schema counts length). fast-check's 'binary' unit builds a table
 * of every code point on first use (seconds); this maps an integer instead.
 */
const codePoint = (): fc.Arbitrary<string> =>
  fc
    .oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff }))
    .map((n) => String.fromCodePoint(n));

/**
 * A string of exactly `length` code points: a short random pattern (ASCII or Unicode) repeated. Generating
 * thousands of independent characters would cost milliseconds per payload; the length is what matters here.
 */
const exactLength = (length: number): fc.Arbitrary<string> =>
  fc.array(fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), codePoint()), { minLength: 1, maxLength: 8 }).map((units) => {
    const out: string[] = [];
    for (let i = 0; i < length; i++) out.push(units[i % units.length]!);
    return out.join('');
  });

function stringArb(schema: Schema, depth: number, o: Required<PayloadArbitraryOptions>): fc.Arbitrary<string> {
  const format = schema['format'];
  if (format === 'date-time') return dateTime();
  const min = num(schema, 'minLength') ?? 0;
  const max = num(schema, 'maxLength');
  if (format === 'uri') return fc.webUrl().filter((u) => u.length >= min && (max === undefined || u.length <= max));
  const upper = Math.max(min, Math.min(max ?? o.maxFreeLength, o.maxFreeLength));
  // JSON Schema lengths count code points: one unit is one code point.
  const choices: Array<fc.WeightedArbitrary<string>> = [
    { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: upper }), weight: 5 },
    { arbitrary: fc.string({ unit: codePoint(), minLength: min, maxLength: Math.min(upper, Math.max(min, 16)) }), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: min }), weight: 1 },
  ];
  // Long limits deep inside arrays multiply (MeterValues: values × samples × signed data): keep those to the top.
  if (max !== undefined && max <= (depth <= 2 ? o.maxLimitLength : o.maxNestedLimitLength)) {
    choices.push({ arbitrary: exactLength(max), weight: 1 });
  }
  return fc.oneof(...choices);
}

function integerArb(schema: Schema): fc.Arbitrary<number> {
  const exMin = num(schema, 'exclusiveMinimum');
  const exMax = num(schema, 'exclusiveMaximum');
  const min = Math.ceil(num(schema, 'minimum') ?? (exMin !== undefined ? exMin + 1 : Number.MIN_SAFE_INTEGER));
  const max = Math.floor(num(schema, 'maximum') ?? (exMax !== undefined ? exMax - 1 : Number.MAX_SAFE_INTEGER));
  const edges = [...new Set([min, max, 0, 1, -1, 2 ** 31 - 1, -(2 ** 31)].filter((v) => v >= min && v <= max))];
  return fc.oneof({ arbitrary: fc.integer({ min, max }), weight: 3 }, { arbitrary: fc.constantFrom(...edges), weight: 1 });
}

function numberArb(schema: Schema): fc.Arbitrary<number> {
  const step = num(schema, 'multipleOf');
  const exMin = num(schema, 'exclusiveMinimum');
  const exMax = num(schema, 'exclusiveMaximum');
  const min = num(schema, 'minimum') ?? exMin;
  const max = num(schema, 'maximum') ?? exMax;
  if (step !== undefined) {
    const lo = Math.ceil((min ?? -1e9) / step);
    const hi = Math.floor((max ?? 1e9) / step);
    return fc.integer({ min: lo, max: hi }).map((k) => Math.round(k * step * 1e9) / 1e9);
  }
  const bounds = { ...(min !== undefined ? { min, minExcluded: exMin !== undefined && num(schema, 'minimum') === undefined } : {}), ...(max !== undefined ? { max, maxExcluded: exMax !== undefined && num(schema, 'maximum') === undefined } : {}) };
  const edges = [min, max, 0, 0.5, -1.5].filter((v): v is number => v !== undefined && (min === undefined || v >= min) && (max === undefined || v <= max));
  return fc.oneof(
    { arbitrary: fc.double({ ...bounds, noNaN: true, noDefaultInfinity: true }), weight: 3 },
    { arbitrary: fc.integer({ min: Math.ceil(min ?? -1e6), max: Math.floor(max ?? 1e6) }), weight: 1 },
    ...(edges.length ? [{ arbitrary: fc.constantFrom(...edges), weight: 1 }] : []),
  );
}

function build(root: Schema, input: Schema, depth: number, o: Required<PayloadArbitraryOptions>): fc.Arbitrary<unknown> {
  const schema = resolve(root, input);
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return fc.constantFrom(...(schema['enum'] as unknown[]));
  if ('const' in schema) return fc.constant(schema['const']);
  const type = typeof schema['type'] === 'string' ? schema['type'] : isObject(schema['properties']) ? 'object' : undefined;
  switch (type) {
    case 'string':
      return stringArb(schema, depth, o);
    case 'integer':
      return integerArb(schema);
    case 'number':
      return numberArb(schema);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = isObject(schema['items']) ? schema['items'] : undefined;
      const minItems = num(schema, 'minItems') ?? 0;
      const maxItems = num(schema, 'maxItems');
      if (!items) return fc.constant([]);
      const item = build(root, items, depth + 1, o);
      if (depth >= o.maxDepth) return fc.array(item, { minLength: minItems, maxLength: minItems });
      const upper = Math.min(maxItems ?? minItems + 2, minItems + 2);
      const choices: Array<fc.Arbitrary<unknown[]>> = [fc.array(item, { minLength: minItems, maxLength: upper })];
      if (maxItems !== undefined && maxItems > upper && maxItems <= o.maxLimitItems && depth <= 2) choices.push(fc.array(item, { minLength: maxItems, maxLength: maxItems }));
      return choices.length === 1 ? choices[0]! : fc.oneof(...choices);
    }
    case 'object': {
      const properties = isObject(schema['properties']) ? schema['properties'] : {};
      const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, prop] of Object.entries(properties)) {
        if (!isObject(prop) || (!required.includes(name) && depth >= o.maxDepth)) continue;
        model[name] = build(root, prop, depth + 1, o);
      }
      // fast-check shrinks optional keys towards absent: a crash on a missing optional field shrinks to it.
      return fc.record(model, { requiredKeys: required.filter((k) => k in model) });
    }
    default:
      return fc.constant(null);
  }
}

/**
 * A fast-check arbitrary of payloads valid against the official schema of `protocol`/`action`/`kind`:
 * optional properties present and absent, every enum value, strings from empty (or minLength) to exactly
 * maxLength with unicode, numbers at and between their limits, arrays from minItems to maxItems, nested
 * objects. Every value is checked against the precompiled validator, so the oracle can rely on it.
 */
export function payloadArbitrary(protocol: ProtocolName, action: string, kind: PayloadKind, options: PayloadArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const root = getSchema(protocol, action, kind) as Schema | undefined;
  if (!root) throw new TypeError(`No ${kind} schema for ${protocol} ${action}`);
  const validate = getValidator(protocol, action, kind);
  const o: Required<PayloadArbitraryOptions> = { maxDepth: 6, maxFreeLength: 24, maxLimitLength: 8000, maxNestedLimitLength: 64, maxLimitItems: 16, ...options };
  return build(root, root, 0, o).filter((value) => validate?.(value).valid ?? true);
}
