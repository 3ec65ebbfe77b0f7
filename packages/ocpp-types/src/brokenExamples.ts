import type { RpcErrorCode } from './errorCodes.js';
import { exampleFor } from './exampleGenerator.js';
import type { PayloadKind, ProtocolName } from './protocols.js';
import type { JsonSchemaObject } from './schemas.js';
import { schemaFor } from './schemas.js';
import { isArray, isNumber, isObject, kw, propertiesOf, requiredOf, resolveRef, schemaType } from './schemaWalk.js';
import { codeForKeyword } from './violations.js';

/** A payload that breaks exactly one rule of the schema, and the violation a validator must report. */
export interface BrokenExample {
  /** What was broken, e.g. `remove required /idTag`. */
  description: string;
  payload: unknown;
  /** JSON pointer of the expected violation. */
  pointer: string;
  /** The schema keyword expected to fail. */
  keyword: string;
  /** The CALLERROR code that keyword maps to (internal spelling; see toWireErrorCode). */
  code: RpcErrorCode;
}

type Path = readonly (string | number)[];

function pointerOf(path: Path): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Copy of `base` with the value at `path` replaced (or removed when `value` is REMOVE). */
const REMOVE = Symbol('remove');
function mutate(base: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(base);
  if (path.length === 0) return value;
  let node = copy as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return copy;
}

/** A value of a JSON type different from `type`. */
function wrongTypeValue(type: string | undefined): unknown {
  return type === 'string' ? 42 : 'wrong type';
}

function push(out: BrokenExample[], description: string, payload: unknown, path: Path, keyword: string): void {
  out.push({ description, payload, pointer: pointerOf(path), keyword, code: codeForKeyword(keyword) });
}

interface Walk {
  root: JsonSchemaObject;
  base: unknown;
  out: BrokenExample[];
  /** Definitions already broken once: a shared type (CustomDataType, …) is exercised at its first use only. */
  visited: Set<string>;
}

function collect(walk: Walk, input: JsonSchemaObject, value: unknown, path: Path): void {
  const ref = input['$ref'];
  if (typeof ref === 'string') {
    if (walk.visited.has(ref)) return;
    walk.visited.add(ref);
  }
  const { root, base, out } = walk;
  const schema = resolveRef(root, input);
  const type = schemaType(schema);
  const at = pointerOf(path) || '(root)';
  if (type !== undefined) push(out, `wrong type at ${at}`, mutate(base, path, wrongTypeValue(type)), path, 'type');
  if (kw(schema, 'enum', isArray) && type === 'string') {
    push(out, `value outside enum at ${at}`, mutate(base, path, 'NotAnAllowedValue'), path, 'enum');
  }
  if (type === 'string') {
    const maxLength = kw(schema, 'maxLength', isNumber);
    if (maxLength !== undefined && !kw(schema, 'enum', isArray)) {
      push(out, `string longer than ${maxLength} at ${at}`, mutate(base, path, 'y'.repeat(maxLength + 1)), path, 'maxLength');
    }
    if (schema['format'] === 'date-time') push(out, `malformed date-time at ${at}`, mutate(base, path, '2025-13-45 25:61'), path, 'format');
  }
  if (type === 'integer' || type === 'number') {
    const minimum = kw(schema, 'minimum', isNumber);
    const maximum = kw(schema, 'maximum', isNumber);
    if (minimum !== undefined) push(out, `below minimum at ${at}`, mutate(base, path, minimum - 1), path, 'minimum');
    if (maximum !== undefined) push(out, `above maximum at ${at}`, mutate(base, path, maximum + 1), path, 'maximum');
    if (type === 'integer') push(out, `fraction for an integer at ${at}`, mutate(base, path, 1.5), path, 'type');
  }
  if (type === 'array' && Array.isArray(value)) {
    const items = kw(schema, 'items', isObject);
    const minItems = kw(schema, 'minItems', isNumber);
    const maxItems = kw(schema, 'maxItems', isNumber);
    if (minItems !== undefined && minItems > 0) push(out, `fewer than ${minItems} items at ${at}`, mutate(base, path, value.slice(0, minItems - 1)), path, 'minItems');
    if (maxItems !== undefined && value.length > 0) {
      push(out, `more than ${maxItems} items at ${at}`, mutate(base, path, Array.from({ length: maxItems + 1 }, (): unknown => value[0])), path, 'maxItems');
    }
    if (items && value.length > 0) collect(walk, items, value[0], [...path, 0]);
  }
  if (type === 'object' && isObject(value)) {
    const props = propertiesOf(schema);
    for (const name of requiredOf(schema)) {
      push(out, `remove required ${pointerOf([...path, name])}`, mutate(base, [...path, name], REMOVE), [...path, name], 'required');
    }
    if (schema['additionalProperties'] === false) {
      const extra = [...path, 'unexpectedProperty'];
      push(out, `unexpected property ${pointerOf(extra)}`, mutate(base, extra, 1), extra, 'additionalProperties');
    }
    for (const [name, prop] of Object.entries(props)) {
      if (name in value) collect(walk, prop, value[name], [...path, name]);
    }
  }
}

/**
 * Payloads that each break one rule of the official schema — a missing required field, a wrong type, a value
 * outside an enum, a string too long, an unexpected property, … — at every level of a full example (a shared
 * definition such as CustomDataType at its first occurrence only), each with the violation (pointer, keyword,
 * CALLERROR code) a conforming validator reports. For conformance tests and fuzzing of CSMS and charger
 * implementations.
 * @throws TypeError for an unknown action, or the response of a SEND-only message.
 */
export function brokenExamplesFor(protocol: ProtocolName, action: string, kind: PayloadKind): BrokenExample[] {
  const root = schemaFor(protocol, action, kind);
  if (!root) throw new TypeError(`No ${kind} schema for ${protocol} ${action}`);
  const base = exampleFor(protocol, action, kind, { optional: 'all' });
  const out: BrokenExample[] = [];
  collect({ root, base, out, visited: new Set() }, root, base, []);
  return out;
}
