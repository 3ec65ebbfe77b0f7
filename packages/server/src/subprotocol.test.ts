import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_OFFERED_SUBPROTOCOLS, parseProtocolHeader, selectProtocol } from './subprotocol.js';

/** The obvious (quadratic) reading of the header, as the reference for the linear parser. */
function referenceParse(header: string): string[] {
  const out: string[] = [];
  for (const part of header.split(',')) {
    const token = part.trim();
    if (token !== '' && !out.includes(token)) out.push(token);
  }
  return out;
}

describe('subprotocol negotiation (rule 2)', () => {
  it('parses comma-separated and repeated headers, dropping blanks and duplicates', () => {
    expect(parseProtocolHeader(undefined)).toEqual([]);
    expect(parseProtocolHeader('')).toEqual([]);
    expect(parseProtocolHeader('ocpp1.6, ocpp2.0.1 ,,ocpp1.6')).toEqual(['ocpp1.6', 'ocpp2.0.1']);
    expect(parseProtocolHeader(['ocpp1.6', 'ocpp2.1'])).toEqual(['ocpp1.6', 'ocpp2.1']);
  });

  it('parses like the reference reading, and stops after `limit` distinct tokens', () => {
    const token = fc.constantFrom('ocpp1.6', 'ocpp2.0.1', 'ocpp2.1', 'a', 'b', ' ', '', 'x y');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), fc.integer({ min: 0, max: 10 }), (tokens, limit) => {
        const header = tokens.join(',');
        const full = referenceParse(header);
        expect(parseProtocolHeader(header)).toEqual(full);
        expect(parseProtocolHeader(header, limit)).toEqual(full.slice(0, limit));
      }),
    );
  });

  it('caps the tokens it collects from a huge header', () => {
    const header = Array.from({ length: 3500 }, (_, i) => i.toString(36)).join(',');
    expect(parseProtocolHeader(header, MAX_OFFERED_SUBPROTOCOLS + 1)).toHaveLength(MAX_OFFERED_SUBPROTOCOLS + 1);
  });

  it("picks by the server's preference order, not the client's", () => {
    expect(selectProtocol(['ocpp2.0.1', 'ocpp1.6'], ['ocpp1.6', 'ocpp2.0.1'])).toBe('ocpp2.0.1');
    expect(selectProtocol(['ocpp1.6', 'ocpp2.0.1'], ['ocpp2.0.1', 'ocpp1.6'])).toBe('ocpp1.6');
  });

  it('matches exactly and returns undefined without a match', () => {
    expect(selectProtocol(['ocpp1.6'], ['OCPP1.6'])).toBeUndefined();
    expect(selectProtocol(['ocpp1.6'], [])).toBeUndefined();
    expect(selectProtocol(['ocpp2.0.1'], ['ocpp2.0'])).toBeUndefined();
  });
});
