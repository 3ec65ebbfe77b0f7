import type { CallErrorEvent, CallResultEvent, RpcEndpoint } from '@chargewire/rpc-core';
import type { StatsCollector } from './stats.js';

const kStats = Symbol('chargewire.stats');
type Tagged = RpcEndpoint<'CSMS'> & { [kStats]: StatsCollector };

// Module-level listeners (`this` is the endpoint): no closures per connection, to keep idle memory low.
function onCallResult(this: Tagged, e: CallResultEvent): void {
  const stats = this[kStats];
  if (e.direction === 'in') {
    stats.callsIn++;
    stats.latencyIn.record(e.durationMs);
  } else {
    stats.callsOut++;
    stats.latencyOut.record(e.durationMs);
  }
}
function onCallError(this: Tagged, e: CallErrorEvent): void {
  const stats = this[kStats];
  if (e.direction === 'in') stats.callsIn++;
  else stats.callsOut++;
  stats.error(e.error.code);
}
function onBadMessage(this: Tagged): void {
  this[kStats].badMessages++;
}

/**
 * Feeds one endpoint's events into the server counters. Calls are counted when they complete (result or
 * error), so no listener is put on the per-call 'call' event (rpc-core skips building it when unobserved).
 */
export function attachStats(endpoint: RpcEndpoint<'CSMS'>, stats: StatsCollector): void {
  (endpoint as Tagged)[kStats] = stats;
  endpoint.on('callResult', onCallResult);
  endpoint.on('callError', onCallError);
  endpoint.on('badMessage', onBadMessage);
}
