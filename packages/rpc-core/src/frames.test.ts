import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RPC_ERROR_CODES } from '@chargewire/ocpp-types';
import { RpcError } from './errors.js';
import { capDescription, errorFrame, parseFrame, serializeFrame, type Frame } from './frames.js';

const PROTOCOLS = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const;
const WIRE_CODES_16 = new Set([
  'NotImplemented', 'NotSupported', 'InternalError', 'ProtocolError', 'SecurityError', 'FormationViolation',
  'PropertyConstraintViolation', 'OccurenceConstraintViolation', 'TypeConstraintViolation', 'GenericError',
]);
const WIRE_CODES_2X = new Set<string>(RPC_ERROR_CODES);

function reply(text: string, protocol: string): unknown[] | undefined {
  const r = parseFrame(text, protocol);
  if (r.ok) throw new Error(`expected a failure for ${text}`);
  return r.reply ? (JSON.parse(serializeFrame(r.reply)) as unknown[]) : undefined;
}

describe('parseFrame: well-formed frames', () => {
  it('reads every message type', () => {
    expect(parseFrame('[2,"a","Heartbeat",{}]', 'ocpp1.6')).toEqual({ ok: true, frame: { type: 2, messageId: 'a', action: 'Heartbeat', payload: {} } });
    expect(parseFrame('[3,"a",{"x":1}]', 'ocpp1.6')).toEqual({ ok: true, frame: { type: 3, messageId: 'a', payload: { x: 1 } } });
    expect(parseFrame('[4,"a","NotSupported","d",{}]', 'ocpp2.0.1')).toEqual({
      ok: true,
      frame: { type: 4, messageId: 'a', errorCode: 'NotSupported', errorDescription: 'd', errorDetails: {} },
    });
    expect(parseFrame('[5,"a","FormatViolation","d",{"k":1}]', 'ocpp2.1')).toMatchObject({ ok: true, frame: { type: 5 } });
    expect(parseFrame('[6,"a","NotifyPeriodicEventStream",{"id":1}]', 'ocpp2.1')).toMatchObject({ ok: true, frame: { type: 6, action: 'NotifyPeriodicEventStream' } });
  });

  it('accepts a 36-character id and refuses a 37-character one', () => {
    expect(parseFrame(`[2,"${'x'.repeat(36)}","A",{}]`, 'ocpp2.0.1').ok).toBe(true);
    expect(reply(`[2,"${'x'.repeat(37)}","A",{}]`, 'ocpp2.0.1')).toEqual([4, '-1', 'RpcFrameworkError', 'Message id is longer than 36 characters', {}]);
  });
});

describe('parseFrame: per-version answers to malformed frames (DESIGN rules 3, 4, 7)', () => {
  it('invalid JSON → RpcFrameworkError (2.x) / FormationViolation (1.6) with id "-1"', () => {
    expect(reply('[2,"a",', 'ocpp1.6')).toEqual([4, '-1', 'FormationViolation', 'Message is not valid JSON', {}]);
    expect(reply('nope', 'ocpp2.0.1')).toEqual([4, '-1', 'RpcFrameworkError', 'Message is not valid JSON', {}]);
    expect(reply('', 'ocpp2.1')?.slice(0, 3)).toEqual([4, '-1', 'RpcFrameworkError']);
  });

  it('not an array, or a non-numeric type → RpcFrameworkError (1.6 wire: ProtocolError)', () => {
    expect(reply('{"a":1}', 'ocpp2.0.1')?.slice(0, 3)).toEqual([4, '-1', 'RpcFrameworkError']);
    expect(reply('{"a":1}', 'ocpp1.6')?.slice(0, 3)).toEqual([4, '-1', 'ProtocolError']);
    expect(reply('["2","id","A",{}]', 'ocpp2.0.1')?.slice(0, 3)).toEqual([4, 'id', 'RpcFrameworkError']);
    expect(reply('[]', 'ocpp2.1')?.slice(0, 3)).toEqual([4, '-1', 'RpcFrameworkError']);
  });

  it('unknown message types: ignored in 1.6 and 2.1, MessageTypeNotSupported in 2.0.1', () => {
    expect(reply('[7,"id","A",{}]', 'ocpp1.6')).toBeUndefined();
    expect(reply('[7,"id","A",{}]', 'ocpp2.1')).toBeUndefined();
    expect(reply('[7,"id","A",{}]', 'ocpp2.0.1')).toEqual([4, 'id', 'MessageTypeNotSupported', 'Message type 7 is not supported', {}]);
    expect(reply('[9,{"x":1}]', 'ocpp2.0.1')?.slice(0, 3)).toEqual([4, '-1', 'MessageTypeNotSupported']);
    // 5 and 6 exist only in 2.1
    expect(reply('[6,"id","A",{}]', 'ocpp2.0.1')?.[2]).toBe('MessageTypeNotSupported');
    expect(reply('[5,"id","GenericError","",{}]', 'ocpp1.6')).toBeUndefined();
  });

  it('malformed CALLs are answered with their id; unreadable ids with "-1"', () => {
    expect(reply('[2,"id","A"]', 'ocpp2.0.1')).toEqual([4, 'id', 'RpcFrameworkError', 'CALL must have 4 elements', {}]);
    expect(reply('[2,"id",5,{}]', 'ocpp2.0.1')?.slice(0, 3)).toEqual([4, 'id', 'RpcFrameworkError']);
    expect(reply('[2,"id","A",[]]', 'ocpp1.6')?.slice(0, 3)).toEqual([4, 'id', 'FormationViolation']);
    expect(reply('[2,"id","A",null]', 'ocpp2.0.1')?.slice(0, 3)).toEqual([4, 'id', 'FormatViolation']);
    expect(reply('[2,17,"A",{}]', 'ocpp2.0.1')).toEqual([4, '-1', 'RpcFrameworkError', 'Message id is not a string', {}]);
    expect(reply('[2,"","A",{}]', 'ocpp2.0.1')?.slice(0, 2)).toEqual([4, '-1']);
  });

  it('malformed responses and SENDs are never answered', () => {
    for (const text of ['[3,"id"]', '[3,"id",[1]]', '[4,"id","X","d"]', '[4,"id",1,"d",{}]', '[4,"id","X","d",null]', '[3,17,{}]']) {
      expect(reply(text, 'ocpp2.0.1')).toBeUndefined();
    }
    expect(reply('[6,"id","A"]', 'ocpp2.1')).toBeUndefined();
    expect(reply('[6,"id","A",7]', 'ocpp2.1')).toBeUndefined();
    expect(reply('[5,"id","X","d",[]]', 'ocpp2.1')).toBeUndefined();
  });

  it('reports the readable id and type of malformed responses (so a pending call can be settled)', () => {
    const r = parseFrame('[3,"abc",null]', 'ocpp1.6');
    expect(r).toMatchObject({ ok: false, messageType: 3, messageId: 'abc', error: { code: 'FormatViolation' } });
  });
});

describe('errorFrame / capDescription', () => {
  it('spells codes per protocol, caps 2.x descriptions at 255 and defaults details to {}', () => {
    const long = new RpcError('OccurrenceConstraintViolation', 'x'.repeat(400));
    expect(errorFrame('ocpp1.6', 'i', long)).toMatchObject({ errorCode: 'OccurenceConstraintViolation', errorDescription: 'x'.repeat(400) });
    expect(errorFrame('ocpp2.0.1', 'i', long).errorDescription).toHaveLength(255);
    expect(errorFrame('ocpp2.1', 'i', new RpcError('GenericError')).errorDetails).toEqual({});
    expect(capDescription('ocpp2.1', 'short')).toBe('short');
    const emoji = capDescription('ocpp2.0.1', `${'x'.repeat(254)}😀tail`);
    expect(emoji).toBe('x'.repeat(254));
    expect(capDescription('ocpp2.0.1', `${'x'.repeat(253)}😀tail`)).toBe(`${'x'.repeat(253)}😀`);
  });
});

// ── properties ──────────────────────────────────────────────────────────────────────────────────────

const messageId = fc.string({ minLength: 1, maxLength: 36 });
const payload = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2, depthSize: 'small' }), { maxKeys: 5 }) as fc.Arbitrary<Record<string, unknown>>;
const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ type: fc.constant(2 as const), messageId, action: fc.string({ minLength: 1 }), payload }),
  fc.record({ type: fc.constant(3 as const), messageId, payload }),
  fc.record({ type: fc.constant(4 as const), messageId, errorCode: fc.string(), errorDescription: fc.string(), errorDetails: payload }),
  fc.record({ type: fc.constant(5 as const), messageId, errorCode: fc.string(), errorDescription: fc.string(), errorDetails: payload }),
  fc.record({ type: fc.constant(6 as const), messageId, action: fc.string({ minLength: 1 }), payload }),
);

/** JSON round trip normalises -0 to 0, which is what the wire does too. */
function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('parseFrame / serializeFrame properties', () => {
  it('parse ∘ serialize is the identity on valid frames, and serialize ∘ parse on their texts', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        const text = serializeFrame(frame);
        const parsed = parseFrame(text, 'ocpp2.1');
        expect(parsed).toEqual({ ok: true, frame: wire(frame) });
        if (parsed.ok) expect(serializeFrame(parsed.frame)).toBe(text);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('never throws on any string and only answers with a spec CALLERROR', () => {
    const json = fc.jsonValue({ maxDepth: 2, depthSize: 'small' });
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      json.map((v) => JSON.stringify(v)),
      fc.tuple(fc.integer({ min: -1, max: 8 }), json, json, json).map((t) => JSON.stringify(t)),
      fc.array(json, { maxLength: 6 }).map((a) => JSON.stringify(a)),
    );
    fc.assert(
      fc.property(input, fc.constantFrom(...PROTOCOLS), (text, protocol) => {
        const r = parseFrame(text, protocol);
        if (r.ok) {
          expect(JSON.parse(serializeFrame(r.frame))).toEqual(JSON.parse(text));
          return;
        }
        expect(r.error).toBeInstanceOf(RpcError);
        if (!r.reply) return;
        const [type, id, code, description, details] = JSON.parse(serializeFrame(r.reply)) as unknown[];
        expect(type).toBe(4);
        expect(typeof id === 'string' && id.length >= 1 && id.length <= 36).toBe(true);
        expect((protocol === 'ocpp1.6' ? WIRE_CODES_16 : WIRE_CODES_2X).has(code as string)).toBe(true);
        expect(typeof description === 'string' && description.length <= 255).toBe(true);
        expect(details).toEqual({});
        // never echoes the input: descriptions are fixed texts
        expect(description).toMatch(/^(Message|CALL|CALLRESULT|SEND)[\w\s()-]*$/);
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
