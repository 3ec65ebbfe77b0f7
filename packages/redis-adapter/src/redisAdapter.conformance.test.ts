import { runAdapterConformanceSuite } from '@chargewire/server/testing';
import { AdapterTestBed } from './testing/testBed.fixture.js';

runAdapterConformanceSuite('RedisAdapter', async () => {
  const bed = new AdapterTestBed(undefined, { callGraceMs: 500, broadcastTimeoutMs: 5000 });
  const adapters = [await bed.adapter(), await bed.adapter(), await bed.adapter()];
  return { adapters, cleanup: () => bed.cleanup() };
});
