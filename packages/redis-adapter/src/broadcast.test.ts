import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdapterTestBed } from './testing/testBed.fixture.js';

describe('broadcast', () => {
  let bed: AdapterTestBed;
  beforeEach(() => {
    bed = new AdapterTestBed(undefined, { broadcastTimeoutMs: 800 });
  });
  afterEach(() => bed.cleanup());

  it('reaches every node once and reports per-node delivery counts', async () => {
    const nodes = [await bed.node(), await bed.node(), await bed.node()];
    nodes.forEach(({ host }, i) => (host.broadcastAnswer = async () => ({ delivered: 10 * (i + 1), failed: i })));
    const report = await nodes[1]!.adapter.broadcast('ocpp1.6', 'ClearCache', { note: 'é' });
    expect(report.unresponsiveNodes).toEqual([]);
    expect(new Set(report.nodes)).toEqual(
      new Set(nodes.map(({ host }, i) => ({ nodeId: host.nodeId, delivered: 10 * (i + 1), failed: i }))),
    );
    expect(report.delivered).toBe(60);
    expect(report.failed).toBe(3);
    for (const { host } of nodes) expect(host.broadcasts).toEqual([{ protocol: 'ocpp1.6', action: 'ClearCache', params: { note: 'é' } }]);
    expect(nodes[1]!.adapter.stats().pendingBroadcasts).toBe(0);
  });

  it('names the live nodes that did not report in time instead of waiting for them', async () => {
    const fast = await bed.node();
    const slow = await bed.node();
    slow.host.broadcastAnswer = () => new Promise(() => undefined); // its chargers never answer
    fast.host.broadcastAnswer = async () => ({ delivered: 1, failed: 0 });
    const report = await fast.adapter.broadcast('ocpp2.0.1', 'ClearCache', {});
    expect(report.nodes).toEqual([{ nodeId: fast.host.nodeId, delivered: 1, failed: 0 }]);
    expect(report.unresponsiveNodes).toEqual([slow.host.nodeId]);
    expect(fast.adapter.stats().pendingBroadcasts).toBe(0);
  });

  it('counts a failing local broadcast as nothing delivered and reports the error', async () => {
    const a = await bed.node();
    const b = await bed.node();
    b.host.broadcastAnswer = () => Promise.reject(new Error('boom'));
    a.host.broadcastAnswer = async () => ({ delivered: 2, failed: 1 });
    const report = await a.adapter.broadcast('ocpp1.6', 'ClearCache', {});
    expect(report.delivered).toBe(2);
    expect(report.nodes).toContainEqual({ nodeId: b.host.nodeId, delivered: 0, failed: 0 });
    expect(bed.errors.map((e) => e.message)).toContainEqual(expect.stringContaining('boom'));
  });

  it('rejects parameters that cannot be serialised before sending anything', async () => {
    const a = await bed.node();
    await expect(a.adapter.broadcast('ocpp1.6', 'DataTransfer', { n: 1n })).rejects.toThrow(TypeError);
    expect(a.host.broadcasts).toEqual([]);
  });
});
