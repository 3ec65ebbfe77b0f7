import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromWireErrorCode, isRpcErrorCode, PROTOCOLS, RPC_ERROR_CODES, toWireErrorCode } from './index.js';

const SPEC_16 = ['NotImplemented', 'NotSupported', 'InternalError', 'ProtocolError', 'SecurityError', 'FormationViolation',
  'PropertyConstraintViolation', 'OccurenceConstraintViolation', 'TypeConstraintViolation', 'GenericError'];

describe('error codes', () => {
  it('has the 2.x code set', () => {
    expect(RPC_ERROR_CODES).toEqual(['FormatViolation', 'GenericError', 'InternalError', 'MessageTypeNotSupported',
      'NotImplemented', 'NotSupported', 'OccurrenceConstraintViolation', 'PropertyConstraintViolation', 'ProtocolError',
      'RpcFrameworkError', 'SecurityError', 'TypeConstraintViolation']);
  });

  it('spells codes the 1.6 way on a 1.6 wire (typos are normative)', () => {
    expect(toWireErrorCode('ocpp1.6', 'FormatViolation')).toBe('FormationViolation');
    expect(toWireErrorCode('ocpp1.6', 'OccurrenceConstraintViolation')).toBe('OccurenceConstraintViolation');
    expect(toWireErrorCode('ocpp1.6', 'RpcFrameworkError')).toBe('ProtocolError');
    expect(toWireErrorCode('ocpp1.6', 'MessageTypeNotSupported')).toBe('ProtocolError');
    expect(toWireErrorCode('ocpp1.6', 'SecurityError')).toBe('SecurityError');
    // Every 1.6 wire code is one of the ten the 1.6 spec defines.
    for (const code of RPC_ERROR_CODES) expect(SPEC_16).toContain(toWireErrorCode('ocpp1.6', code));
  });

  it('leaves 2.x spelling unchanged', () => {
    for (const p of ['ocpp2.0.1', 'ocpp2.1']) {
      for (const code of RPC_ERROR_CODES) expect(toWireErrorCode(p, code)).toBe(code);
    }
  });

  it('reads both spellings on every protocol', () => {
    for (const p of [...PROTOCOLS, 'vendor']) {
      expect(fromWireErrorCode(p, 'FormationViolation')).toBe('FormatViolation');
      expect(fromWireErrorCode(p, 'FormatViolation')).toBe('FormatViolation');
      expect(fromWireErrorCode(p, 'OccurenceConstraintViolation')).toBe('OccurrenceConstraintViolation');
      expect(fromWireErrorCode(p, 'OccurrenceConstraintViolation')).toBe('OccurrenceConstraintViolation');
    }
  });

  it('round-trips every code except those 1.6 folds into ProtocolError', () => {
    fc.assert(fc.property(fc.constantFrom(...PROTOCOLS), fc.constantFrom(...RPC_ERROR_CODES), (protocol, code) => {
      const back = fromWireErrorCode(protocol, toWireErrorCode(protocol, code));
      const folded = protocol === 'ocpp1.6' && (code === 'RpcFrameworkError' || code === 'MessageTypeNotSupported');
      expect(back).toBe(folded ? 'ProtocolError' : code);
    }));
  });

  it('maps any unknown string to GenericError', () => {
    const known = new Set<string>([...RPC_ERROR_CODES, 'FormationViolation', 'OccurenceConstraintViolation']);
    fc.assert(fc.property(fc.constantFrom(...PROTOCOLS), fc.string(), (protocol, wire) => {
      fc.pre(!known.has(wire));
      expect(fromWireErrorCode(protocol, wire)).toBe('GenericError');
    }));
    expect(fromWireErrorCode('ocpp2.0.1', '__proto__')).toBe('GenericError');
    for (const wire of [null, 42, {}, ['FormatViolation'], undefined]) expect(fromWireErrorCode('ocpp2.1', wire)).toBe('GenericError');
    expect(isRpcErrorCode('constructor')).toBe(false);
  });
});
