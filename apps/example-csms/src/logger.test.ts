import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsoleLogger } from './logger.js';

describe('console logger', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never writes secrets, whatever the field is called', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    const logger = createConsoleLogger('debug');
    logger.info('registering', { chargerId: 'CP-1', password: 'hunter2-hunter2-hunter2', passwordHash: 'scrypt$x', authorization: 'Basic abc', idToken: 'TAG-1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"chargerId":"CP-1"');
    expect(lines[0]).toContain('"idToken":"TAG-1"');
    expect(lines[0]).not.toMatch(/hunter2|scrypt\$x|Basic abc/);
  });

  it('filters by level and sends warnings and errors to stderr', () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    const logger = createConsoleLogger('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w', { err: new Error('boom') });
    logger.error('e');
    expect(out).toEqual([]);
    expect(err).toHaveLength(2);
    expect(err[0]).toContain('WARN  w {"err":"boom"}');
  });
});
