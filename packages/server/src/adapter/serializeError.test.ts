import { ConnectionClosedError, NotConnectedError, RpcError, TimeoutError } from '@chargewire/rpc-core';
import { describe, expect, it } from 'vitest';
import { deserializeError, RemoteCallError, serializeError } from './serializeError.js';

describe('serializeError / deserializeError', () => {
  it('round-trips RpcError with code, description and details', () => {
    const e = deserializeError(serializeError(new RpcError('SecurityError', 'Unknown tag', { tag: 'X' })));
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: 'SecurityError', description: 'Unknown tag', details: { tag: 'X' } });
  });

  it('keeps the kind of transport errors', () => {
    expect(deserializeError(serializeError(new TimeoutError('Reset', 'id', 100)), { action: 'Reset', timeoutMs: 100 })).toBeInstanceOf(TimeoutError);
    expect(deserializeError(serializeError(new NotConnectedError()))).toBeInstanceOf(NotConnectedError);
    expect(deserializeError(serializeError(new ConnectionClosedError(1006, '')))).toBeInstanceOf(ConnectionClosedError);
  });

  it('never leaks the text of unexpected errors', () => {
    const s = serializeError(new Error('password=hunter2'));
    expect(s).toEqual({ kind: 'internal', message: 'Internal error on the node that owns the charger' });
    expect(deserializeError(s)).toBeInstanceOf(RemoteCallError);
    expect(serializeError('a string')).toMatchObject({ kind: 'internal' });
  });
});
