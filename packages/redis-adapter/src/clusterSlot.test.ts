import { describe, expect, it } from 'vitest';
import { clusterSlot } from './clusterSlot.js';

describe('clusterSlot', () => {
  it('matches the slots Redis documents and its hash-tag rule', () => {
    expect(clusterSlot('foo')).toBe(12182);
    expect(clusterSlot('somekey')).toBe(11058);
    expect(clusterSlot('{user1000}.following')).toBe(clusterSlot('user1000'));
    expect(clusterSlot('foo{}{bar}')).not.toBe(clusterSlot('bar')); // an empty tag: the whole key is hashed
    expect(clusterSlot('foo{{bar}}zap')).toBe(clusterSlot('{bar'));
  });
});
