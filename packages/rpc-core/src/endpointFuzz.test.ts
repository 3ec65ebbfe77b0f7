import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RPC_ERROR_CODES } from '@chargewire/ocpp-types';
import { parseFrame } from './frames.js';
import { endpointWithRawPeer } from './testing/peers.fixture.js';

const WIRE_16 = new Set([
  'NotImplemented', 'NotSupported', 'InternalError', 'ProtocolError', 'SecurityError', 'FormationViolation',
  'PropertyConstraintViolation', 'OccurenceConstraintViolation', 'TypeConstraintViolation', 'GenericError',
]);
const WIRE_2X = new Set<string>(RPC_ERROR_CODES);

const actions = fc.constantFrom('Heartbeat', 'BootNotification', 'MeterValues', 'StatusNotification', 'RemoteStartTransaction', 'NotifyPeriodicEventStream', 'Vendor', '__proto__', 'constructor', '');
const ids = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null));
/** Mostly frame-shaped input, plus arbitrary JSON, text and bytes. */
const input = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(2, 3, 4, 5, 6, 7, '2'), ids, actions, fc.jsonValue({ maxDepth: 2, depthSize: 'small' })).map((t) => JSON.stringify(t)) },
  { weight: 2, arbitrary: fc.tuple(fc.constant(2), fc.string({ minLength: 1, maxLength: 36 }), actions, fc.dictionary(fc.constantFrom('chargePointVendor', 'chargePointModel', 'connectorId', 'status', 'errorCode', 'x'), fc.jsonValue({ maxDepth: 1 }))).map((t) => JSON.stringify(t)) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2, depthSize: 'small' }), { maxLength: 6 }).map((a) => JSON.stringify(a)) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 60 }).map((b) => new TextDecoder().decode(b)) },
);

describe('RpcEndpoint under arbitrary input', () => {
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
    it(`${protocol}: never crashes; every frame is answered per spec, ignored per spec, or served`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 8 }), fc.boolean(), async (frames, strictMode) => {
          const { endpoint, peer } = endpointWithRawPeer(protocol, 'CSMS', { strictMode });
          endpoint.handle(({ params }) => ({ echo: params }));
          let expected = 0;
          for (const text of frames) {
            const parsed = parseFrame(text, protocol);
            if (parsed.ok ? parsed.frame.type === 2 : parsed.reply !== undefined) expected++;
            peer.send(text);
          }
          await peer.settle(6);
          expect(endpoint.attached).toBe(true);
          expect(peer.received.length).toBe(expected);
          for (const raw of peer.received) {
            const frame = JSON.parse(raw) as unknown[];
            const [type, id] = frame;
            expect(typeof id === 'string' && id.length >= 1 && id.length <= 36).toBe(true);
            if (type === 3) {
              expect(frame).toHaveLength(3);
              continue;
            }
            expect(type).toBe(4);
            expect(frame).toHaveLength(5);
            const [, , code, description, details] = frame;
            expect((protocol === 'ocpp1.6' ? WIRE_16 : WIRE_2X).has(code as string)).toBe(true);
            expect(typeof description).toBe('string');
            if (protocol !== 'ocpp1.6') expect((description as string).length).toBeLessThanOrEqual(255);
            expect(typeof details === 'object' && details !== null && !Array.isArray(details)).toBe(true);
            expect(raw).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
          }
        }),
        { numRuns: 80 },
      );
    }, 90_000);
  }
});
