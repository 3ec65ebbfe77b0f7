import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeDescription, translateError } from './errors.js';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Strings rich in control characters, bidi overrides and astral characters (surrogate pairs). */
const hostileText = fc.string({
  unit: fc.oneof(fc.constantFrom('\u0000', '\u001b', '\r', '\n', '\u007f', '\u0085', '\u202e', '\u2067', '😀', 'é'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
  maxLength: 600,
});

describe('sanitizeDescription', () => {
  it('never returns control characters, never exceeds 255 characters, never splits a surrogate pair', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const out = sanitizeDescription(text);
        expect(out.length).toBeLessThanOrEqual(255);
        expect(out).not.toMatch(UNSAFE);
        expect(out).not.toMatch(LONE_SURROGATE);
        // What is kept is the safe text, in order.
        const safe = text.replace(new RegExp(UNSAFE.source, 'g'), '');
        expect(out === safe || (out.endsWith('…') && safe.startsWith(out.slice(0, -1)))).toBe(true);
      }),
    );
  });

  it('is what translateError relays to either side', () => {
    const { description } = translateError('ocpp1.6', { code: 'GenericError', description: `a\u001b[31mb\u0000c${'d'.repeat(300)}` });
    expect(description.startsWith('a[31mbc')).toBe(true);
    expect(description).toHaveLength(255);
  });
});
