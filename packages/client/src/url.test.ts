import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEndpointUrl } from './url.js';

describe('buildEndpointUrl', () => {
  it('appends the identity as the last path segment', () => {
    expect(buildEndpointUrl('ws://h:9000/ocpp', 'CP-1').href).toBe('ws://h:9000/ocpp/CP-1');
    expect(buildEndpointUrl('ws://h:9000/ocpp/', 'CP-1').href).toBe('ws://h:9000/ocpp/CP-1');
    expect(buildEndpointUrl('wss://h', 'CP-1').href).toBe('wss://h/CP-1');
  });

  it('percent-encodes reserved characters of the identity', () => {
    expect(buildEndpointUrl('ws://h/ocpp', 'a/b c?d#e%f').pathname).toBe('/ocpp/a%2Fb%20c%3Fd%23e%25f');
    expect(buildEndpointUrl('ws://h/ocpp', 'Zähler').pathname).toBe('/ocpp/Z%C3%A4hler');
  });

  it('keeps the query of the endpoint and appends extra query parameters', () => {
    const url = buildEndpointUrl('ws://h/ocpp?tenant=7', 'CP-1', { token: 'a b', n: 2, flag: true });
    expect(url.pathname).toBe('/ocpp/CP-1');
    expect(url.searchParams.get('tenant')).toBe('7');
    expect(url.searchParams.get('token')).toBe('a b');
    expect(url.searchParams.get('n')).toBe('2');
    expect(url.searchParams.get('flag')).toBe('true');
  });

  it('maps http(s) to ws(s)', () => {
    expect(buildEndpointUrl('http://h/x', 'A').protocol).toBe('ws:');
    expect(buildEndpointUrl('https://h/x', 'A').protocol).toBe('wss:');
  });

  it('rejects bad endpoints and identities with a TypeError', () => {
    expect(() => buildEndpointUrl('not a url', 'A')).toThrow(TypeError);
    expect(() => buildEndpointUrl('ftp://h/x', 'A')).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => buildEndpointUrl('ws://h/x#frag', 'A')).toThrow(/fragment/);
    expect(() => buildEndpointUrl('ws://h/x', '')).toThrow(/identity/);
  });

  it('refuses the dot-segment identities "." and ".." that no URL can carry as a path segment', () => {
    expect(() => buildEndpointUrl('ws://127.0.0.1:1/base', '.')).toThrow(TypeError);
    expect(() => buildEndpointUrl('ws://127.0.0.1:1/base', '..')).toThrow(TypeError);
    expect(buildEndpointUrl('ws://127.0.0.1:1/base', '.a.').pathname).toBe('/base/.a.');
  });

  it('round-trips any identity through the last path segment', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }).filter((s) => s !== '.' && s !== '..'), (identity) => {
        const url = buildEndpointUrl('ws://127.0.0.1:1/base/path', identity);
        const segments = url.pathname.split('/');
        expect(segments).toHaveLength(4);
        expect(decodeURIComponent(segments[3] ?? '')).toBe(identity);
      }),
    );
  });
});
