import type { RpcEndpoint } from '@chargewire/rpc-core';
import type { StatsCollector } from './stats.js';

/**
 * Feeds one endpoint's events into the server counters. Calls are counted when they complete (result or
 * error), so no listener is put on the per-call 'call' event (rpc-core skips building it when unobserved).
 */
export function attachStats(endpoint: RpcEndpoint<'CSMS'>, stats: StatsCollector): void {
  endpoint.on('callResult', (e) => {
    if (e.direction === 'in') {
      stats.callsIn++;
      stats.latencyIn.record(e.durationMs);
    } else {
      stats.callsOut++;
      stats.latencyOut.record(e.durationMs);
    }
  });
  endpoint.on('callError', (e) => {
    if (e.direction === 'in') stats.callsIn++;
    else stats.callsOut++;
    stats.error(e.error.code);
  });
  endpoint.on('badMessage', () => {
    stats.badMessages++;
  });
}
