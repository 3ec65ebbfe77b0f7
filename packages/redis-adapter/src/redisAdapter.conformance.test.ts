import { runAdapterConformanceSuite, runClusterProtocolSuite } from '@chargewire/server/testing';
import { AdapterTestBed } from './testing/testBed.fixture.js';

runAdapterConformanceSuite('RedisAdapter', async () => {
  const bed = new AdapterTestBed(undefined, { callGraceMs: 500, broadcastTimeoutMs: 5000 });
  const adapters = [await bed.adapter(), await bed.adapter(), await bed.adapter()];
  return { adapters, cleanup: () => bed.cleanup() };
});

runClusterProtocolSuite('RedisAdapter', async (options) => {
  const bed = new AdapterTestBed(undefined, { broadcastTimeoutMs: 5000 });
  const adapters = await Promise.all(
    options.map(({ presenceTtlMs, ...o }) => bed.adapter({ ...o, presenceTtlSeconds: presenceTtlMs / 1000 })),
  );
  return {
    adapters,
    // The node's command connection goes away for good (its heartbeats stop); its subscriber stays subscribed.
    lapse: async (adapter) => {
      (adapter as (typeof adapters)[number]).options.pub.disconnect();
    },
    cleanup: () => bed.cleanup(),
  };
});
