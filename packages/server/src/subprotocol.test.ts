import { describe, expect, it } from 'vitest';
import { parseProtocolHeader, selectProtocol } from './subprotocol.js';

describe('subprotocol negotiation (rule 2)', () => {
  it('parses comma-separated and repeated headers, dropping blanks and duplicates', () => {
    expect(parseProtocolHeader(undefined)).toEqual([]);
    expect(parseProtocolHeader('')).toEqual([]);
    expect(parseProtocolHeader('ocpp1.6, ocpp2.0.1 ,,ocpp1.6')).toEqual(['ocpp1.6', 'ocpp2.0.1']);
    expect(parseProtocolHeader(['ocpp1.6', 'ocpp2.1'])).toEqual(['ocpp1.6', 'ocpp2.1']);
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
