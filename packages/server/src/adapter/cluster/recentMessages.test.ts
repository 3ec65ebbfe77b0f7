import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecentMessages } from './recentMessages.js';

describe('RecentMessages', () => {
  it('accepts an id once within the window, again after it', () => {
    let now = 0;
    const recent = new RecentMessages(1000, 100, () => now);
    expect(recent.firstSeen('a')).toBe(true);
    expect(recent.firstSeen('a')).toBe(false);
    now = 999;
    expect(recent.firstSeen('a')).toBe(false);
    now = 1000;
    expect(recent.firstSeen('a')).toBe(true);
  });

  it('never holds more than max ids, whatever the sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.nat(50)), { maxLength: 300 }), (steps) => {
        let now = 0;
        const recent = new RecentMessages(100, 10, () => now);
        for (const [id, dt] of steps) {
          now += dt;
          recent.firstSeen(String(id));
          expect(recent.size).toBeLessThanOrEqual(10);
        }
      }),
    );
  });

  it('a repeat right after the first sighting is always caught', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { maxLength: 200 }), (ids) => {
        const recent = new RecentMessages(60_000, 50);
        for (const id of ids) {
          expect(recent.firstSeen(id)).toBe(true);
          expect(recent.firstSeen(id)).toBe(false);
        }
      }),
    );
  });
});
