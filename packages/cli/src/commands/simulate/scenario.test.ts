import { describe, expect, it } from 'vitest';
import { parseScript, parseStep, scriptTexts } from './scenario.js';

describe('scenario language', () => {
  it('parses the documented example', () => {
    const steps = parseScript('boot; plug 1; tap 1 TAG; start 1; meter 1 x3; stop 1; unplug 1', 1).map((s) => s.step);
    expect(steps).toEqual([
      { op: 'boot' },
      { op: 'plug', connector: 1 },
      { op: 'tap', connector: 1, tag: 'TAG' },
      { op: 'start', connector: 1 },
      { op: 'meter', connector: 1, times: 3 },
      { op: 'stop', connector: 1 },
      { op: 'unplug', connector: 1 },
    ]);
  });

  it('accepts new lines, comments and JSON arrays', () => {
    expect(scriptTexts('boot # power up\nplug 2\n\n# done')).toEqual(['boot', 'plug 2']);
    expect(scriptTexts('["boot", "wait 10"]')).toEqual(['boot', 'wait 10']);
    expect(parseStep('expect 2 Charging', 2)).toEqual({ op: 'expect', connector: 2, status: 'Charging' });
    expect(parseStep('stop 1 EmergencyStop', 1)).toEqual({ op: 'stop', connector: 1, reason: 'EmergencyStop' });
  });

  it('names the step that is wrong', () => {
    expect(() => parseScript('boot; plug 3', 2)).toThrow("step 2 'plug 3': connector must be 1-2");
    expect(() => parseScript('jump 1', 1)).toThrow("unknown step 'jump'");
    expect(() => parseScript('meter 1 3', 1)).toThrow('repeat count');
    expect(() => parseScript('tap 1', 1)).toThrow('expects 2 argument(s)');
    expect(() => parseScript('expect 1 Sleeping', 1)).toThrow("unknown status 'Sleeping'");
    expect(() => parseScript('[1,2]', 1)).toThrow('array of step strings');
  });
});
