import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { deferListenerTable } from './listenerTable.js';

class Deferred extends EventEmitter {
  constructor() {
    super();
    deferListenerTable(this);
  }
}

describe('deferListenerTable', () => {
  it('leaves an emitter that behaves like any other', () => {
    const e = new Deferred();
    expect(e.listenerCount('x')).toBe(0);
    expect(e.emit('x')).toBe(false);
    expect(e.eventNames()).toEqual([]);
    expect(e.listeners('x')).toEqual([]);
    e.removeAllListeners();
    const got: number[] = [];
    e.once('x', (n: number) => got.push(n));
    e.on('y', (n: number) => got.push(n * 10));
    e.emit('x', 1);
    e.emit('x', 2);
    e.emit('y', 3);
    expect(got).toEqual([1, 30]);
    expect(e.eventNames()).toEqual(['y']);
    e.removeAllListeners('y');
    expect(e.listenerCount('y')).toBe(0);
    expect(() => new Deferred().emit('error', new Error('boom'))).toThrow('boom');
  });

  it('keeps a table that already has listeners', () => {
    const e = new EventEmitter();
    const listener = (): void => undefined;
    e.on('x', listener);
    deferListenerTable(e);
    expect(e.listeners('x')).toEqual([listener]);
  });
});
