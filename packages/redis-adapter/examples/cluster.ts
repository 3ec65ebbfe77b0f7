// Two CSMS nodes share one Redis. A charger connects to node A; node B calls it as if it were local.
// Run from packages/redis-adapter (needs Redis; REDIS_URL defaults to redis://127.0.0.1:6379):
//   node --import tsx --conditions=@chargewire/source examples/cluster.ts
import { Redis } from 'ioredis';
import { OCPPClient } from '@chargewire/client';
import { OCPPServer } from '@chargewire/server';
import { createRedisAdapter } from '@chargewire/redis-adapter';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function startNode(nodeId: string) {
  const pub = new Redis(REDIS_URL);
  const sub = pub.duplicate(); // subscriber mode needs its own connection
  const adapter = createRedisAdapter({ pub, sub, prefix: 'example-csms', presenceTtlSeconds: 30 });
  adapter.on('error', (err) => console.warn(`[${nodeId}] cluster:`, err.message));
  const server = new OCPPServer({ protocols: ['ocpp1.6'], adapter, nodeId });
  server.on('client', (client) => {
    client.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
  });
  const { port } = await server.listen(0, '127.0.0.1');
  return { server, port, pub, sub };
}

const a = await startNode('node-a');
const b = await startNode('node-b');

// The charger is behind the load balancer, which picked node A.
const charger = new OCPPClient({ endpoint: `ws://127.0.0.1:${a.port}/ocpp`, identity: 'CP-001', protocols: ['ocpp1.6'] });
charger.handle('ocpp1.6', 'RemoteStartTransaction', ({ params }) => {
  console.log(`charger: remote start for ${params.idTag}`);
  return { status: 'Accepted' };
});
charger.handle('ocpp1.6', 'ClearCache', () => ({ status: 'Accepted' }));
await charger.connect();
await charger.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'X1' });

// A REST request landed on node B. findClient() asks the cluster where CP-001 is.
let handle = await b.server.findClient('CP-001');
while (!handle) {
  await new Promise((r) => setTimeout(r, 20)); // presence is written right after the connection is accepted
  handle = await b.server.findClient('CP-001');
}
console.log(`node-b: CP-001 is on ${handle.nodeId} (local: ${handle.isLocal})`);
const result = await handle.call('ocpp1.6', 'RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-1' });
console.log('node-b: charger answered', result);

const report = await b.server.broadcast('ocpp1.6', 'ClearCache', {});
console.log('node-b: broadcast', report.nodes);

await charger.close();
for (const node of [a, b]) {
  await node.server.close();
  node.pub.disconnect();
  node.sub.disconnect();
}
