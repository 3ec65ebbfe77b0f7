import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRoutePattern } from './routePattern.js';

describe('compileRoutePattern', () => {
  it('matches literal segments and decodes :params', () => {
    const p = compileRoutePattern('/api/v1/chargers/:id');
    expect(p.match('/api/v1/chargers/CP-1')).toEqual({ id: 'CP-1' });
    expect(p.match('/api/v1/chargers/CP%201/')).toEqual({ id: 'CP 1' });
    expect(p.match('/api/v1/chargers')).toBeUndefined();
    expect(p.match('/api/v1/chargers/CP/extra')).toBeUndefined();
    expect(p.match('/api/v2/chargers/CP')).toBeUndefined();
    expect(p.match('/api/v1/chargers/%E2%82')).toEqual({ id: '%E2%82' });
  });

  it('supports several params and a rest segment', () => {
    expect(compileRoutePattern('/t/:tenant/cp/:id').match('/t/acme/cp/42')).toEqual({ tenant: 'acme', id: '42' });
    expect(compileRoutePattern('/ocpp/*path').match('/ocpp/a/b%20c')).toEqual({ path: 'a/b c' });
    expect(compileRoutePattern('/*').match('/')).toBeUndefined();
    expect(compileRoutePattern('/*').match('/x')).toEqual({ '*': 'x' });
  });

  it('rejects bad patterns', () => {
    expect(() => compileRoutePattern('no-slash')).toThrow(TypeError);
    expect(() => compileRoutePattern('/:a/:a')).toThrow(/Duplicate/);
    expect(() => compileRoutePattern('/*/x')).toThrow(/last/);
    expect(() => compileRoutePattern('/:1bad')).toThrow(/parameter/);
  });

  it('extracts any encoded parameter (property)', () => {
    const p = compileRoutePattern('/ocpp/:id');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (id) => {
        expect(p.match(`/ocpp/${encodeURIComponent(id)}`)).toEqual({ id });
      }),
    );
  });
});
