/**
 * A cluster node in its own process, for the fault tests (a node can be SIGKILLed like a crashed machine).
 * Run: node --import tsx --conditions=@chargewire/source clusterNodeProcess.fixture.ts '<ClusterNodeConfig JSON>'
 * Protocol: one JSON object per line. Out: {"event":"ready",url,nodeId}, {"event":"reregistered",records},
 * {"id",...reply}. In: {"id","cmd":"call"|"locate"|"broadcast"|"stats"|"stop", ...}.
 */
import { createInterface } from 'node:readline';
import { callFrom, startClusterNode, type ClusterNodeConfig } from './clusterNode.fixture.js';

type Command =
  | { id: number; cmd: 'call'; identity: string; action: string; params: unknown; timeoutMs?: number }
  | { id: number; cmd: 'locate'; identity: string }
  | { id: number; cmd: 'broadcast'; action: string; params: unknown }
  | { id: number; cmd: 'stats' }
  | { id: number; cmd: 'stop' };

const send = (msg: object): void => {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
};

const config = JSON.parse(process.argv[2] ?? '{}') as ClusterNodeConfig;
const node = await startClusterNode(config);
node.adapter.on('reregistered', ({ records }) => send({ event: 'reregistered', records }));
send({ event: 'ready', url: node.url, nodeId: node.server.nodeId });

let stopping: Promise<void> | undefined;
const stop = (): Promise<void> => (stopping ??= node.stop().finally(() => process.exit(0)));

async function run(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'call':
      return callFrom(node.server, command.identity, command.action, command.params, command.timeoutMs);
    case 'locate':
      return (await node.adapter.locate(command.identity)) ?? null;
    case 'broadcast': {
      const { nodes, delivered, failed } = await node.server.broadcast('ocpp1.6', command.action, command.params);
      return { nodes, delivered, failed };
    }
    case 'stats':
      return { ...node.adapter.stats(), clients: [...node.server.clients.keys()] };
    case 'stop':
      void stop();
      return null;
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let command: Command;
  try {
    command = JSON.parse(line) as Command;
  } catch {
    send({ event: 'badCommand', line });
    return;
  }
  run(command).then(
    (reply) => send({ id: command.id, reply }),
    (err: unknown) => send({ id: command.id, failure: err instanceof Error ? err.message : String(err) }),
  );
});
// The parent went away (even by crashing): do not linger.
lines.on('close', () => void stop());
