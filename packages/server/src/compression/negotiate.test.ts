import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDeflateOptions } from './deflateOptions.js';
import type { PerMessageDeflateOptions } from './deflateOptions.js';
import { parseExtensionOffers } from './extensionHeader.js';
import { negotiatePerMessageDeflate } from './negotiate.js';

const respond = (header: string | undefined, options: PerMessageDeflateOptions | true = true): string | undefined => {
  const resolved = resolveDeflateOptions(options);
  if (!resolved) throw new Error('off');
  return negotiatePerMessageDeflate(header, resolved)?.response;
};

describe('Sec-WebSocket-Extensions parsing (RFC 6455 §9.1)', () => {
  it('reads offers in order with their parameters, tokens and quoted strings', () => {
    expect(parseExtensionOffers('permessage-deflate; client_max_window_bits, permessage-deflate;server_max_window_bits="10" , x-foo')).toEqual([
      { name: 'permessage-deflate', params: [['client_max_window_bits', true]] },
      { name: 'permessage-deflate', params: [['server_max_window_bits', '10']] },
      { name: 'x-foo', params: [] },
    ]);
    expect(parseExtensionOffers(['a', 'b;c=1'])).toEqual([
      { name: 'a', params: [] },
      { name: 'b', params: [['c', '1']] },
    ]);
  });

  it('rejects malformed headers as a whole', () => {
    for (const bad of ['permessage-deflate;', 'permessage-deflate; =1', 'permessage-deflate; a="unterminated', 'permessage-deflate a', '@@']) {
      expect(parseExtensionOffers(bad), bad).toBeUndefined();
    }
  });

  it('never throws and stays bounded on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const offers = parseExtensionOffers(s);
        if (offers) expect(offers.length).toBeLessThanOrEqual(16);
      }),
    );
  });
});

describe('permessage-deflate negotiation (RFC 7692 §5, §7.1)', () => {
  it('asks for no context takeover both ways by default, whatever the offer', () => {
    expect(respond('permessage-deflate')).toBe('permessage-deflate; server_no_context_takeover; client_no_context_takeover');
    // What the ws client and Python's websockets client offer by default.
    expect(respond('permessage-deflate; client_max_window_bits')).toBe('permessage-deflate; server_no_context_takeover; client_no_context_takeover');
  });

  it('honours what the charger asks and echoes its hints when takeover is allowed', () => {
    const allow = { serverNoContextTakeover: false, clientNoContextTakeover: false };
    expect(respond('permessage-deflate', allow)).toBe('permessage-deflate');
    expect(respond('permessage-deflate; server_no_context_takeover', allow)).toBe('permessage-deflate; server_no_context_takeover');
    expect(respond('permessage-deflate; client_no_context_takeover', allow)).toBe('permessage-deflate; client_no_context_takeover');
  });

  it('answers server_max_window_bits with the same or a smaller value, and never 8', () => {
    expect(respond('permessage-deflate; server_max_window_bits=10')).toContain('server_max_window_bits=10');
    expect(respond('permessage-deflate; server_max_window_bits=12', { serverMaxWindowBits: 11 })).toContain('server_max_window_bits=11');
    // zlib cannot compress with a 256-byte window: that offer is declined, the next one accepted.
    expect(respond('permessage-deflate; server_max_window_bits=8')).toBeUndefined();
    expect(respond('permessage-deflate; server_max_window_bits=8, permessage-deflate')).toBe('permessage-deflate; server_no_context_takeover; client_no_context_takeover');
    // Not offered: not answered.
    expect(respond('permessage-deflate', { serverMaxWindowBits: 10 })).not.toContain('server_max_window_bits');
  });

  it('answers client_max_window_bits only when offered, with at most the offered value', () => {
    expect(respond('permessage-deflate; client_max_window_bits', { clientMaxWindowBits: 10 })).toContain('client_max_window_bits=10');
    expect(respond('permessage-deflate; client_max_window_bits=9', { clientMaxWindowBits: 12 })).toContain('client_max_window_bits=9');
    expect(respond('permessage-deflate', { clientMaxWindowBits: 10 })).not.toContain('client_max_window_bits');
    expect(respond('permessage-deflate; client_max_window_bits')).not.toContain('client_max_window_bits');
  });

  it('declines offers with unknown, repeated or invalid parameters and takes the next acceptable one', () => {
    for (const bad of [
      'permessage-deflate; foo',
      'permessage-deflate; server_no_context_takeover; server_no_context_takeover',
      'permessage-deflate; server_no_context_takeover=1',
      'permessage-deflate; client_no_context_takeover="x"',
      'permessage-deflate; server_max_window_bits',
      'permessage-deflate; server_max_window_bits=16',
      'permessage-deflate; server_max_window_bits=010',
      'permessage-deflate; client_max_window_bits=7',
      'permessage-deflate; client_max_window_bits=abc',
    ]) {
      expect(respond(bad), bad).toBeUndefined();
      expect(respond(`${bad}, permessage-deflate; client_max_window_bits=12`, { clientNoContextTakeover: false }), bad).toBe('permessage-deflate; server_no_context_takeover; client_max_window_bits=12');
    }
    expect(respond('permessage-deflate; client_max_window_bits="11"', { clientNoContextTakeover: false })).toBe('permessage-deflate; server_no_context_takeover; client_max_window_bits=11');
  });

  it('accepts nothing from a malformed header, another extension or no header', () => {
    expect(respond('permessage-deflate;;')).toBeUndefined();
    expect(respond('x-webkit-deflate-frame')).toBeUndefined();
    expect(respond(undefined)).toBeUndefined();
  });

  it('validates its options', () => {
    expect(() => resolveDeflateOptions({ serverMaxWindowBits: 8 })).toThrow(RangeError);
    expect(() => resolveDeflateOptions({ clientMaxWindowBits: 16 })).toThrow(RangeError);
    expect(() => resolveDeflateOptions({ level: 10 })).toThrow(RangeError);
    expect(() => resolveDeflateOptions({ threshold: -1 })).toThrow(RangeError);
    expect(resolveDeflateOptions(false)).toBe(false);
  });
});
