import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeWindows, localTime, parseClock, windowCovers } from './timeOfUse.js';

describe('time of use', () => {
  it('reads the local weekday and time of an IANA zone, across daylight saving changes', () => {
    // New York: 2026-03-08 is the spring-forward Sunday (02:00 EST → 03:00 EDT).
    expect(localTime(new Date('2026-03-08T06:59:00Z'), 'America/New_York')).toEqual({ weekday: 7, minutes: 1 * 60 + 59 });
    expect(localTime(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toEqual({ weekday: 7, minutes: 3 * 60 });
    expect(localTime(new Date('2026-12-03T23:30:00Z'), 'Asia/Tokyo')).toEqual({ weekday: 5, minutes: 8 * 60 + 30 });
    expect(localTime(new Date('2026-12-03T23:30:00Z'), 'UTC')).toEqual({ weekday: 4, minutes: 23 * 60 + 30 });
  });

  it('runs a window past midnight into the next day, tied to the day it starts on', () => {
    const night = { from: '22:00', to: '06:00', days: [5] }; // Friday night
    expect(windowCovers(night, { weekday: 5, minutes: 23 * 60 })).toBe(true);
    expect(windowCovers(night, { weekday: 6, minutes: 5 * 60 + 59 })).toBe(true);
    expect(windowCovers(night, { weekday: 6, minutes: 6 * 60 })).toBe(false);
    expect(windowCovers(night, { weekday: 5, minutes: 5 * 60 })).toBe(false); // Thursday night's tail
    expect(windowCovers({ from: '22:00', to: '06:00', days: [7] }, { weekday: 1, minutes: 60 })).toBe(true); // Sunday → Monday
  });

  it('treats from as inclusive and to as exclusive, with 24:00 as the end of the day', () => {
    expect(windowCovers({ from: '17:00', to: '24:00' }, { weekday: 3, minutes: 17 * 60 })).toBe(true);
    expect(windowCovers({ from: '17:00', to: '24:00' }, { weekday: 3, minutes: 23 * 60 + 59 })).toBe(true);
    expect(windowCovers({ from: '17:00', to: '21:00' }, { weekday: 3, minutes: 21 * 60 })).toBe(false);
  });

  it('rejects times that are not HH:MM', () => {
    for (const bad of ['7:00', '25:00', '24:01', '12:60', '', 'noon']) {
      expect(() => parseClock(bad)).toThrow(expect.objectContaining({ code: 'InvalidTimeOfUse' }));
    }
  });

  it('agrees with a minute-by-minute reference for random windows and instants (UTC)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.integer({ min: 1, max: 24 * 60 }),
        fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        (fromMin, toMin, days, at) => {
          const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          const window = { from: hhmm(fromMin), to: hhmm(toMin), days };
          // Reference: walk back from `at` minute by minute to find whether a window start covers it.
          const minuteOfDay = at.getUTCHours() * 60 + at.getUTCMinutes();
          const isoDay = (d: Date): number => ((d.getUTCDay() + 6) % 7) + 1;
          const length = toMin > fromMin ? toMin - fromMin : toMin + 24 * 60 - fromMin;
          let covered = false;
          for (let back = 0; back < length; back++) {
            const t = new Date(at.getTime() - back * 60_000);
            const m = (minuteOfDay - back + 48 * 60) % (24 * 60);
            if (m === fromMin && days.includes(isoDay(t))) covered = true;
          }
          expect(activeWindows({ timeZone: 'UTC', windows: [window] }, at).length === 1).toBe(covered);
        },
      ),
      { numRuns: 150 },
    );
  });
});
