import * as ioredis from 'ioredis';
import { describe, expect, it } from 'vitest';

// The suite runs once per supported ioredis major (see vitest.config.ts); this proves which one was loaded.
// ioredis 6 added WatchError (among other exports) to the package's named exports.
describe('ioredis under test', () => {
  const expected = process.env['CHARGEWIRE_IOREDIS_MAJOR'] ?? '5';
  it(`is ioredis ${expected}`, () => {
    expect('WatchError' in ioredis ? '6' : '5').toBe(expected);
  });
});
