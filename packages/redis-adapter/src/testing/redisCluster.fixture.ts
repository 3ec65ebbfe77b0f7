import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis, type ClusterOptions } from 'ioredis';
import { freePort, waitFor } from './redis.fixture.js';

const exec = promisify(execFile);

/**
 * How long a master may be unreachable before its replica takes over. Redis' default is 15 s; 2 s keeps the
 * failover test short while leaving room for a loaded machine (a too-short timeout promotes replicas by mistake).
 */
const NODE_TIMEOUT_MS = 2000;

interface ClusterMember {
  port: number;
  child: ChildProcess | undefined;
}

/** Runs `command` on the node at `port` through a short-lived connection. */
async function ask(port: number, ...command: [string, ...string[]]): Promise<unknown> {
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return await probe.call(...command);
  } finally {
    probe.disconnect();
  }
}

/**
 * A private Redis Cluster (no persistence) in a temporary directory: `masters` masters with one replica each,
 * `redis-server --cluster-enabled yes` processes joined by `redis-cli --cluster create`. A test may kill a
 * master (its replica is promoted) and must call `stop()` afterwards.
 */
export class RedisClusterProcess {
  readonly #members: ClusterMember[];

  private constructor(
    readonly dir: string,
    ports: number[],
  ) {
    this.#members = ports.map((port) => ({ port, child: undefined }));
  }

  /** The ports of every member (masters and replicas), as started. */
  get ports(): number[] {
    return this.#members.map((m) => m.port);
  }

  /** Startup nodes for an ioredis `Cluster`. */
  get startupNodes(): Array<{ host: string; port: number }> {
    return this.#members.filter((m) => m.child).map((m) => ({ host: '127.0.0.1', port: m.port }));
  }

  /** Starts 2 × `masters` servers, creates the cluster and waits until every node reports it healthy. */
  static async start(masters = 3): Promise<RedisClusterProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'cw-redis-cluster-'));
    const ports: number[] = [];
    while (ports.length < masters * 2) {
      const port = await freePort();
      // The cluster bus listens on port + 10000: both must be free (and distinct from the other members').
      if (port + 10_000 < 65_536 && !ports.includes(port)) ports.push(port);
    }
    const cluster = new RedisClusterProcess(dir, ports);
    try {
      await Promise.all(cluster.#members.map((m) => cluster.#spawn(m)));
      await exec('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'], {
        timeout: 60_000,
      });
      await cluster.waitHealthy(masters);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** A `Cluster` client on this cluster (ready when it resolves). The caller disconnects it. */
  async client(options: ClusterOptions = {}): Promise<Cluster> {
    const client = new Cluster(this.startupNodes, { lazyConnect: true, ...options });
    client.on('error', () => undefined); // node failures are expected in the failover test
    await client.connect();
    return client;
  }

  /**
   * Waits until every running node reports `cluster_state:ok`, at least `replicas` replicas have their link to
   * their master up, and all running nodes agree on which node serves which slots.
   */
  async waitHealthy(replicas = 0, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        try {
          const maps: string[] = [];
          let linked = 0;
          for (const m of this.#members.filter((x) => x.child)) {
            if (!String(await ask(m.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
            const replication = String(await ask(m.port, 'INFO', 'replication'));
            if (replication.includes('role:slave')) {
              if (!replication.includes('master_link_status:up')) return false;
              linked++;
            }
            // "<id> <addr> <flags> <master> <ping> <pong> <epoch> <link> <slots…>" of the healthy masters
            const lines = String(await ask(m.port, 'CLUSTER', 'NODES')).trim().split('\n').map((l) => l.split(' '));
            const owners = lines.filter((f) => f[2]?.includes('master') && !f[2].includes('fail') && f.length > 8);
            maps.push(owners.map((f) => `${f[1]} ${f.slice(8).join(' ')}`).sort().join('|'));
          }
          return linked >= replicas && maps.every((x) => x === maps[0]);
        } catch {
          return false;
        }
      },
      timeoutMs,
      'the Redis Cluster to be healthy',
    );
  }

  /** The slot of `key` (or channel), as the cluster computes it. */
  async slotOf(key: string): Promise<number> {
    return Number(await ask(this.startupNodes[0]!.port, 'CLUSTER', 'KEYSLOT', key));
  }

  /** Port of the master that serves `slot`. */
  async masterOf(slot: number): Promise<number> {
    const slots = (await ask(this.startupNodes[0]!.port, 'CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
    const range = slots.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`no master serves slot ${slot}`);
    return Number(range[2][1]);
  }

  /** Kills the node at `port` (SIGKILL: like a crashed machine). If it was a master, its replica takes over. */
  async kill(port: number): Promise<void> {
    const member = this.#members.find((m) => m.port === port);
    const child = member?.child;
    if (!member || !child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    member.child = undefined;
  }

  /** Kills every node and removes the temporary directory. */
  async stop(): Promise<void> {
    await Promise.all(this.#members.map((m) => this.kill(m.port)));
    await rm(this.dir, { recursive: true, force: true });
  }

  async #spawn(member: ClusterMember): Promise<void> {
    const { port } = member;
    const child = spawn(
      'redis-server',
      [
        '--cluster-enabled', 'yes',
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--cluster-config-file', join(this.dir, `nodes-${port}.conf`),
        '--cluster-node-timeout', String(NODE_TIMEOUT_MS),
        '--dir', this.dir,
        '--save', '',
        '--appendonly', 'no',
        '--daemonize', 'no',
      ],
      { stdio: 'ignore' },
    );
    member.child = child;
    child.once('exit', () => {
      if (member.child === child) member.child = undefined;
    });
    await waitFor(async () => {
      try {
        return (await ask(port, 'PING')) === 'PONG';
      } catch {
        return false;
      }
    }, 20_000, `redis-server on port ${port}`);
  }
}
