import { describe, expect, it } from 'vitest';
import { MessageLog, type MessageLogEntry } from './messageLog.js';

describe('MessageLog', () => {
  it('settles a CALL with its latency or CALLERROR code and emits each change', () => {
    const log = new MessageLog();
    const seen: MessageLogEntry[] = [];
    log.on('entry', (e) => seen.push({ ...e }));
    log.call('CP-1', 'in', 'm1', 'Heartbeat');
    log.call('CP-1', 'out', 'm1', 'GetConfiguration');
    log.settle('CP-1', 'in', 'm1');
    log.settle('CP-1', 'out', 'm1', 'NotSupported');
    log.settle('CP-1', 'out', 'unknown-id', 'GenericError');
    expect(seen.map((e) => [e.direction, e.action, e.outcome])).toEqual([
      ['in', 'Heartbeat', 'pending'], ['out', 'GetConfiguration', 'pending'], ['in', 'Heartbeat', 'result'], ['out', 'GetConfiguration', 'error'],
    ]);
    const [heartbeat, config] = log.list('CP-1');
    expect(heartbeat).toMatchObject({ outcome: 'result', latencyMs: expect.any(Number) });
    expect(config).toMatchObject({ outcome: 'error', errorCode: 'NotSupported' });
  });

  it('keeps per-charger entries, chargers and pending calls within their bounds', () => {
    const log = new MessageLog({ perCharger: 3, maxChargers: 2, maxPendingPerCharger: 2 });
    for (let i = 0; i < 10; i++) log.call('CP-1', 'in', `m${i}`, 'Heartbeat');
    expect(log.list('CP-1').map((e) => e.messageId)).toEqual(['m7', 'm8', 'm9']);
    // Only the 2 newest pending calls can still settle.
    log.settle('CP-1', 'in', 'm7');
    log.settle('CP-1', 'in', 'm9');
    expect(log.list('CP-1').map((e) => e.outcome)).toEqual(['pending', 'pending', 'result']);
    log.call('CP-2', 'in', 'x', 'Heartbeat');
    log.call('CP-3', 'in', 'y', 'Heartbeat');
    expect(log.list('CP-1')).toEqual([]);
    expect(log.list('CP-3')).toHaveLength(1);
  });
});
