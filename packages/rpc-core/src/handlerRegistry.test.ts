import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HandlerRegistry } from './handlerRegistry.js';
import type { AnyHandler } from './inboundCalls.js';

const protocols = fc.constantFrom('ocpp1.6', 'ocpp2.0.1', 'ocpp2.1');
const actions = fc.constantFrom('Heartbeat', 'BootNotification', 'MeterValues', '__proto__');
const operation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), protocol: protocols, action: actions, tag: fc.nat(99) }),
  fc.record({ op: fc.constant('delete' as const), protocol: fc.option(protocols, { nil: undefined }), action: fc.option(actions, { nil: undefined }) }),
  fc.record({ op: fc.constant('wildcard' as const), tag: fc.nat(99) }),
);

/** The obvious model: one Map per protocol. */
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

class ModelRegistry {
  wildcard: AnyHandler | undefined;
  readonly byProtocol = new Map<string, Map<string, AnyHandler>>();
  set(protocol: string, action: string, handler: AnyHandler): void {
    let byAction = this.byProtocol.get(protocol);
    if (!byAction) this.byProtocol.set(protocol, (byAction = new Map()));
    byAction.set(action, handler);
  }
  delete(protocol?: string, action?: string): void {
    if (protocol === undefined) this.wildcard = undefined;
    else if (action === undefined) this.byProtocol.delete(protocol);
    else this.byProtocol.get(protocol)?.delete(action);
  }
  get(protocol: string, action: string): AnyHandler | undefined {
    return this.byProtocol.get(protocol)?.get(action) ?? this.wildcard;
  }
}

const handlers = new Map<number, AnyHandler>();
const handlerFor = (tag: number): AnyHandler => {
  let h = handlers.get(tag);
  if (!h) handlers.set(tag, (h = () => tag));
  return h;
};

/** Applies one operation to the registry under test and to its model alike. */
function apply(o: Operation, registry: HandlerRegistry, model: ModelRegistry): void {
  if (o.op === 'set') {
    registry.set(o.protocol, o.action, handlerFor(o.tag));
    model.set(o.protocol, o.action, handlerFor(o.tag));
  } else if (o.op === 'delete') {
    registry.delete(o.protocol, o.action);
    model.delete(o.protocol, o.action);
  } else {
    registry.wildcard = model.wildcard = handlerFor(o.tag);
  }
}

describe('HandlerRegistry', () => {
  it('finds the same handler as a Map-per-protocol model after any sequence of set/delete/wildcard', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (ops) => {
        const registry = new HandlerRegistry();
        const model = new ModelRegistry();
        for (const o of ops) {
          apply(o, registry, model);
          for (const p of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']) {
            for (const a of ['Heartbeat', 'BootNotification', 'MeterValues', '__proto__', 'Other']) {
              expect(registry.get(p, a)).toBe(model.get(p, a));
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps one action without a Map and replaces it when registered again', () => {
    const registry = new HandlerRegistry();
    registry.set('ocpp1.6', 'Heartbeat', handlerFor(1));
    registry.set('ocpp1.6', 'Heartbeat', handlerFor(2));
    expect(registry.get('ocpp1.6', 'Heartbeat')).toBe(handlerFor(2));
    expect(registry.get('ocpp1.6', 'BootNotification')).toBeUndefined();
    expect(registry.get('ocpp2.0.1', 'Heartbeat')).toBeUndefined();
  });

  it('finds along a chain (client → route → server): nearest specific handler, else nearest wildcard', () => {
    const level = fc.nat(2);
    fc.assert(
      fc.property(fc.array(fc.tuple(level, operation), { maxLength: 40 }), (ops) => {
        const server = new HandlerRegistry();
        const route = new HandlerRegistry(server);
        const client = new HandlerRegistry(route);
        const chain = [client, route, server];
        const models = [new ModelRegistry(), new ModelRegistry(), new ModelRegistry()];
        for (const [at, o] of ops) apply(o, chain[at]!, models[at]!);
        for (const p of ['ocpp1.6', 'ocpp2.0.1']) {
          for (const a of ['Heartbeat', 'BootNotification', '__proto__', 'Other']) {
            const specific = models.map((m) => m.byProtocol.get(p)?.get(a)).find((h) => h !== undefined);
            const wildcard = models.map((m) => m.wildcard).find((h) => h !== undefined);
            expect(client.find(p, a)).toBe(specific ?? wildcard);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('register() checks its arguments (plain JavaScript callers get no compile-time check)', () => {
    const registry = new HandlerRegistry();
    expect(() => registry.register('ocpp1.6', 'Heartbeat', 'not a function')).toThrow(TypeError);
    expect(() => registry.register('ocpp1.6', handlerFor(1))).toThrow(TypeError);
    registry.register(handlerFor(3));
    registry.register('ocpp1.6', 'Heartbeat', handlerFor(4));
    expect(registry.find('ocpp1.6', 'Heartbeat')).toBe(handlerFor(4));
    expect(registry.find('ocpp1.6', 'Other')).toBe(handlerFor(3));
  });
});
