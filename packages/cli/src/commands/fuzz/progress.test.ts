import { describe, expect, it } from 'vitest';
import { fuzzProgress } from './progress.js';

describe('fuzz progress bar', () => {
  it('redraws one line at most every 100 ms, always for the last case, and clears it at the end', () => {
    const writes: string[] = [];
    let now = 0;
    const bar = fuzzProgress(4, (t) => writes.push(t), () => now);
    now = 50;
    bar.tick(10, 0); // too soon after the start: skipped
    now = 200;
    bar.tick(40, 1);
    now = 210;
    bar.tick(41, 1); // within 100 ms: skipped
    bar.tick(42, 1); // the last case: drawn
    bar.done();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toBe(`\r\x1b[K[${'#'.repeat(14)}${' '.repeat(14)}]  50%  2/4 cases  200 frames/s  1 finding(s)`);
    expect(writes[1]).toMatch(/^\r\x1b\[K\[#{28}\] 100% {2}4\/4 cases {2}200 frames\/s {2}1 finding\(s\)$/);
    expect(writes[2]).toBe('\r\x1b[K');
  });
});
