/**
 * One child process of the cross-node benchmark (bench/crossNodeCall.ts forks it): a cluster node or the simulated
 * chargers, driven over the IPC channel. Real deployments run each node in its own process, so the benchmark does
 * too: a cross-node call then uses the cores of two nodes, not one event loop for both halves.
 *
 * Every request is `{ id, ...WorkerRequest }`; every answer `{ id, reply }` or `{ id, failure }`.
 */
import { performance } from 'node:perf_hooks';
import type { ServerClientHandle } from '@chargewire/server';
import { startClusterNode, type ClusterNode, type ClusterNodeConfig } from '../src/testing/clusterNode.fixture.js';
import { RawCharger } from '../src/testing/rawCharger.fixture.js';

export type WorkerRequest =
  /** Become a cluster node; replies with its URL. */
  | { cmd: 'startNode'; config: ClusterNodeConfig }
  /** Become the chargers: connect one raw charger per identity to `url`. */
  | { cmd: 'connectChargers'; url: string; identities: string[] }
  /** (node) Find every identity in the cluster; replies with how many handles are local. */
  | { cmd: 'findChargers'; identities: string[] }
  | { cmd: 'sequential'; calls: number }
  | { cmd: 'parallel'; seconds: number }
  /** This process' CPU time so far (`process.cpuUsage()`, user + system, µs). */
  | { cmd: 'cpu' }
  /** (node) Cross-node calls still waiting for an answer. */
  | { cmd: 'pendingCalls' }
  | { cmd: 'stop' };

/** What a call loop measured (the CPU is read separately, around the phase, in every process). */
export interface PhaseResult {
  calls: number;
  seconds: number;
  latencies: number[];
}

const dataTransfer = (handle: ServerClientHandle): Promise<unknown> => handle.call('ocpp1.6', 'DataTransfer', { vendorId: 'bench', data: 'x' });

/** One call after another on a single charger: pure latency. */
async function sequential(handle: ServerClientHandle, n: number): Promise<PhaseResult> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await dataTransfer(handle);
    latencies.push(performance.now() - t);
  }
  return { calls: n, seconds: (performance.now() - started) / 1000, latencies };
}

/** One loop per charger (OCPP allows one outstanding CALL per connection) for `seconds`: throughput. */
async function parallel(handles: readonly ServerClientHandle[], seconds: number): Promise<PhaseResult> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    handles.map(async (handle) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await dataTransfer(handle);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { calls: latencies.length, seconds: (performance.now() - started) / 1000, latencies };
}

let node: ClusterNode | undefined;
let handles: ServerClientHandle[] = [];
const chargers: RawCharger[] = [];

function theNode(): ClusterNode {
  if (!node) throw new Error('this worker is not a node');
  return node;
}

async function run(request: WorkerRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'startNode':
      node = await startClusterNode(request.config);
      return node.url;
    case 'connectChargers':
      for (const identity of request.identities) chargers.push(await RawCharger.connect(request.url, identity));
      return chargers.length;
    case 'findChargers': {
      const server = theNode().server;
      handles = [];
      for (const identity of request.identities) {
        for (;;) {
          const handle = await server.findClient(identity);
          if (handle) {
            handles.push(handle);
            break;
          }
          await new Promise((res) => setTimeout(res, 10)); // presence is written just after the upgrade
        }
      }
      return handles.filter((h) => h.isLocal).length;
    }
    case 'sequential':
      return sequential(handles[0]!, request.calls);
    case 'parallel':
      return parallel(handles, request.seconds);
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      return user + system;
    }
    case 'pendingCalls':
      return theNode().adapter.stats().pendingCalls;
    case 'stop':
      for (const c of chargers) c.terminate();
      await node?.stop();
      return null;
  }
}

process.on('message', (message: { id: number } & WorkerRequest) => {
  run(message).then(
    (reply) => process.send!({ id: message.id, reply }),
    (err: unknown) => process.send!({ id: message.id, failure: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
// The orchestrator went away (even by crashing): do not linger.
process.on('disconnect', () => process.exit(0));
