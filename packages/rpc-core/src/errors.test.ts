import { describe, expect, it } from 'vitest';
import { ConnectionClosedError, RpcError, TimeoutError, toRpcError } from './errors.js';
import type { RpcErrorCode } from './ocppTypes.js';

describe('RpcError', () => {
  it('carries code, description and details, with the spec description by default', () => {
    const e = new RpcError('NotImplemented');
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('NotImplemented');
    expect(e.description).toBe('Requested Action is not known by receiver');
    expect(e.details).toEqual({});
    expect(e.message).toBe('NotImplemented: Requested Action is not known by receiver');
    expect(new RpcError('SecurityError', 'x', { a: 1 })).toMatchObject({ description: 'x', details: { a: 1 } });
  });

  it('keeps the wire valid when untyped callers pass junk', () => {
    const e = new RpcError('Oops' as RpcErrorCode, 42 as unknown as string, [1] as unknown as Record<string, unknown>);
    expect(e.code).toBe('GenericError');
    expect(typeof e.description).toBe('string');
    expect(e.details).toEqual({});
  });
});

describe('toRpcError', () => {
  it('passes RpcErrors through', () => {
    const e = new RpcError('ProtocolError');
    expect(toRpcError(e)).toBe(e);
  });

  it('turns anything else into a generic InternalError that keeps the original only as cause', () => {
    for (const thrown of [new Error('password=hunter2'), 'password=hunter2', null, undefined, 42, { code: 'NotSupported' }]) {
      const e = toRpcError(thrown);
      expect(e.code).toBe('InternalError');
      expect(e.description).not.toContain('hunter2');
      expect(e.details).toEqual({});
      expect(e.cause).toBe(thrown);
    }
  });

  it('recognises an RpcError from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { name: 'RpcError', code: 'SecurityError', description: 'd', details: { k: 1 } });
    expect(toRpcError(foreign)).toMatchObject({ code: 'SecurityError', description: 'd', details: { k: 1 } });
    const fake = Object.assign(new Error('x'), { name: 'RpcError', code: 'ENOENT', description: 'd', details: {} });
    expect(toRpcError(fake).code).toBe('InternalError');
  });
});

describe('local error classes', () => {
  it('expose their properties', () => {
    expect(new TimeoutError('Reset', 'id1', 500)).toMatchObject({ name: 'TimeoutError', action: 'Reset', messageId: 'id1', timeoutMs: 500 });
    expect(new ConnectionClosedError(1006, '')).toMatchObject({ name: 'ConnectionClosedError', code: 1006, reason: '', message: 'Connection closed (1006)' });
  });
});
