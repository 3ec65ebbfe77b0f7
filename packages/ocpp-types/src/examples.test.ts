import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleFor } from './examples.js';
import { getValidator, listActions, PROTOCOLS } from './index.js';
import type { PayloadKind, ProtocolName } from './index.js';
import { getSchema } from './index.js';

type Payload = { protocol: ProtocolName; action: string; kind: PayloadKind };

const payloads: Payload[] = PROTOCOLS.flatMap((protocol) =>
  listActions(protocol).flatMap((action) =>
    (['request', 'response'] as const)
      .filter((kind) => getValidator(protocol, action, kind) !== undefined)
      .map((kind) => ({ protocol, action, kind }))));

/** Paths of every required property present in a value, found by walking value and schema together. */
function requiredPaths(schema: Record<string, unknown>, root: Record<string, unknown>, value: unknown, path: string[] = []): string[][] {
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const defs = root['definitions'] as Record<string, Record<string, unknown>>;
    return requiredPaths(defs[ref.replace('#/definitions/', '')]!, root, value, path);
  }
  const out: string[][] = [];
  if (Array.isArray(value) && schema['items']) {
    value.forEach((item, i) => out.push(...requiredPaths(schema['items'] as Record<string, unknown>, root, item, [...path, String(i)])));
  } else if (value !== null && typeof value === 'object') {
    const props = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
    for (const name of (schema['required'] ?? []) as string[]) out.push([...path, name]);
    for (const [name, child] of Object.entries(value)) {
      if (props[name]) out.push(...requiredPaths(props[name], root, child, [...path, name]));
    }
  }
  return out;
}

describe('exampleFor', () => {
  it('is deterministic without a seed and reproducible with one', () => {
    expect(exampleFor('ocpp1.6', 'BootNotification', 'request')).toEqual({ chargePointVendor: 'x', chargePointModel: 'x' });
    expect(exampleFor('ocpp2.1', 'TransactionEvent', 'request', { seed: 42 }))
      .toEqual(exampleFor('ocpp2.1', 'TransactionEvent', 'request', { seed: 42 }));
  });

  it('types the example from the action map', () => {
    const req = exampleFor('ocpp1.6', 'RemoteStartTransaction', 'request');
    expect(typeof req.idTag).toBe('string');
  });

  it('throws on unknown actions and on the response of a SEND', () => {
    expect(() => exampleFor('ocpp1.6', 'Nope', 'request')).toThrow(TypeError);
    expect(() => exampleFor('ocpp2.1', 'NotifyPeriodicEventStream', 'response')).toThrow(TypeError);
  });

  it('property: seeded examples of any payload always validate', () => {
    fc.assert(fc.property(fc.constantFrom(...payloads), fc.integer(), ({ protocol, action, kind }, seed) => {
      const result = getValidator(protocol, action, kind)!(exampleFor(protocol, action, kind, { seed }));
      expect(result, `${protocol} ${action} ${kind} seed ${seed}`).toEqual({ valid: true });
    }), { numRuns: 1500 });
  });

  it('property: dropping any required field yields OccurrenceConstraintViolation (1.6 wire spelling: Occurence…)', () => {
    fc.assert(fc.property(fc.constantFrom(...payloads), fc.integer(), fc.nat(), ({ protocol, action, kind }, seed, pick) => {
      const schema = getSchema(protocol, action, kind) as Record<string, unknown>;
      const example = exampleFor(protocol, action, kind, { seed }) as Record<string, unknown>;
      const paths = requiredPaths(schema, schema, example);
      fc.pre(paths.length > 0);
      const path = paths[pick % paths.length]!;
      let node: Record<string, unknown> = example;
      for (const step of path.slice(0, -1)) node = node[step] as Record<string, unknown>;
      delete node[path[path.length - 1]!];
      const result = getValidator(protocol, action, kind)!(example);
      expect(result.valid).toBe(false);
      if (result.valid) return;
      const pointer = `/${path.join('/')}`;
      const hit = result.violations.find((v) => v.pointer === pointer);
      expect(hit).toMatchObject({ keyword: 'required', code: 'OccurrenceConstraintViolation',
        wireCode: protocol === 'ocpp1.6' ? 'OccurenceConstraintViolation' : 'OccurrenceConstraintViolation' });
    }), { numRuns: 1500 });
  });
});
