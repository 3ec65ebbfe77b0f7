import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { getValidator } from './index.js';

// The CommonJS module cache shared by every createRequire() in this process.
const moduleCache = createRequire(import.meta.url).cache;
const loadedValidators = () => Object.keys(moduleCache).filter((p) => /[\\/]validators[\\/]ocpp/.test(p)).sort();

describe('lazy loading', () => {
  it('loads one validator module per action and kind, on first use only', () => {
    expect(loadedValidators()).toEqual([]);
    const validate = getValidator('ocpp1.6', 'Heartbeat', 'request');
    expect(validate?.({})).toEqual({ valid: true });
    expect(loadedValidators()).toHaveLength(1);
    expect(loadedValidators()[0]).toMatch(/ocpp1\.6[\\/]Heartbeat\.request\.cjs$/);
    getValidator('ocpp1.6', 'Heartbeat', 'request');
    getValidator('ocpp2.1', 'Heartbeat', 'response');
    expect(loadedValidators()).toHaveLength(2);
    // Unknown names never reach the file system.
    getValidator('ocpp2.1', '../../../package', 'request');
    expect(loadedValidators()).toHaveLength(2);
  });
});
