import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Charger16 } from '../support/charger16.js';
import { startCsmsProcess, type CsmsProcess } from '../support/csmsProcess.js';
import { LoadBalancer } from '../support/loadBalancer.js';
import { eventually, rest } from '../support/rest.js';
import { createScenarioDatabase, type ScenarioDatabase, type ScenarioDatabaseKind } from '../support/scenarioDatabase.js';

// Scenario 1: three example-CSMS processes sharing presence through the Redis adapter and one database
// (a SQLite file, as on one host; or PostgreSQL, as on several hosts), a load balancer in front, 300
// chargers spread over them. REST calls on every node start and stop transactions on chargers connected
// to other nodes; one node is killed and its chargers move. The whole scenario runs once per database.
const CHARGERS = 300;
const WH_PER_TRANSACTION = 1_000; // Charger16: 2 samples of 500 Wh

interface ChargerView {
  id: string;
  connected: boolean;
  nodeId: string | null;
}
interface Tx {
  id: number;
  chargerId: string;
  active: boolean;
  energyWh: number;
}

async function placement(via: CsmsProcess): Promise<Map<string, string | null>> {
  const { body } = await rest<{ items: ChargerView[] }>(via.api, 'GET', '/api/v1/chargers');
  return new Map(body.items.map((c) => [c.id, c.connected ? c.nodeId : null]));
}

async function transactions(via: CsmsProcess): Promise<Tx[]> {
  const all: Tx[] = [];
  for (let offset = 0; ; offset += 500) {
    const { body } = await rest<{ items: Tx[]; total: number }>(via.api, 'GET', `/api/v1/transactions?status=all&limit=500&offset=${offset}`);
    all.push(...body.items);
    if (all.length >= body.total || body.items.length === 0) return all;
  }
}

/**
 * Remote start from `starter`, wait until the charger charges, leave it running. Each charger has its own
 * id tag: the CSMS answers ConcurrentTx to one tag charging on two chargers at once, and a refused start is
 * never active.
 */
async function startRemotely(cp: Charger16, starter: CsmsProcess): Promise<Tx> {
  const idTag = `TAG-${cp.identity}`;
  const created = await rest(starter.api, 'POST', '/api/v1/id-tags', { idTag });
  expect([201, 409], `${idTag} registered`).toContain(created.status);
  const started = await rest<{ status: string }>(starter.api, 'POST', `/api/v1/chargers/${cp.identity}/remote-start`, { idTag, connectorId: 1 });
  expect(started, `${cp.identity} via ${starter.nodeId}`).toMatchObject({ status: 200, body: { status: 'Accepted' } });
  await eventually(async () => (cp.active && cp.transactions.length > 0 ? true : undefined), 20_000, `${cp.identity} charging`);
  await cp.idle();
  return eventually(
    async () => (await rest<{ items: Tx[] }>(starter.api, 'GET', `/api/v1/transactions?chargerId=${cp.identity}&status=active`)).body.items[0],
    20_000,
    `${cp.identity} active transaction`,
  );
}

/** Remote stop from `stopper` and wait until the store shows the transaction completed. */
async function stopRemotely(cp: Charger16, tx: Tx, stopper: CsmsProcess): Promise<void> {
  const stopped = await rest<{ status: string }>(stopper.api, 'POST', `/api/v1/chargers/${cp.identity}/remote-stop`, { transactionId: tx.id });
  expect(stopped, `${cp.identity} stop via ${stopper.nodeId}`).toMatchObject({ status: 200, body: { status: 'Accepted' } });
  await eventually(async () => (cp.active === undefined ? true : undefined), 20_000, `${cp.identity} stopped`);
  await cp.idle();
}

/** Runs `task` over `items` with at most `width` at a time. */
async function inBatches<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(task));
}

function clusterScenario(kind: ScenarioDatabaseKind): void {
  describe(`three CSMS nodes over Redis behind a load balancer, sharing ${kind}`, () => {
    let database: ScenarioDatabase | undefined;
    let nodes: CsmsProcess[];
    let lb: LoadBalancer;
    const chargers: Charger16[] = [];

    const others = (nodeId: string | null, alive: CsmsProcess[]) => alive.filter((n) => n.nodeId !== nodeId);

    beforeAll(async () => {
      database = await createScenarioDatabase(kind);
      const env = {
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `e2e-cluster-${kind}-${process.pid}-${Date.now()}`,
        CALL_TIMEOUT_MS: '15000',
        ...database.env,
      };
      nodes = await Promise.all(['node-a', 'node-b', 'node-c'].map((id) => startCsmsProcess(id, env)));
      // The banner names the store each node opened: the scenario really runs on the database it names.
      for (const node of nodes) expect(node.output()).toMatch(kind === 'PostgreSQL' ? /Database: +PostgreSQL postgres:\/\// : /Database: +\/.*csms\.sqlite/);
      lb = new LoadBalancer(nodes.map((n) => n.port));
      const lbPort = await lb.listen();
      for (let i = 1; i <= CHARGERS; i++) {
        chargers.push(new Charger16({ endpoint: `ws://127.0.0.1:${lbPort}/api/v1/chargers`, identity: `CL-${String(i).padStart(3, '0')}` }));
      }
      await inBatches(chargers, 50, (cp) => cp.start());
    }, 180_000);

    afterAll(async () => {
      await Promise.all(chargers.map((cp) => cp.close().catch(() => undefined)));
      await lb?.close();
      await Promise.all((nodes ?? []).map((n) => n.kill()));
      await database?.drop();
    }, 60_000);

    it('spreads 300 chargers over the three nodes, and every node sees every charger', async () => {
      for (const via of nodes) {
        const where = await placement(via);
        expect([...where.values()].filter((n) => n !== null)).toHaveLength(CHARGERS);
      }
      const counts = new Map<string, number>();
      for (const nodeId of (await placement(nodes[0]!)).values()) counts.set(String(nodeId), (counts.get(String(nodeId)) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual(['node-a', 'node-b', 'node-c']);
    });

    it('starts and stops transactions through nodes other than the charger\'s own', async () => {
      const where = await placement(nodes[0]!);
      const sample = chargers.filter((_, i) => i % 10 === 0); // 30 chargers
      await inBatches(sample, 10, async (cp) => {
        const [starter, stopper] = others(where.get(cp.identity) ?? null, nodes);
        const tx = await startRemotely(cp, starter!);
        await stopRemotely(cp, tx, stopper ?? starter!);
      });
    }, 180_000);

    it('survives a node being killed: its chargers reconnect elsewhere, running transactions finish, nothing is lost or double-counted', async () => {
      const where = await placement(nodes[0]!);
      const victim = nodes[1]!;
      const survivors = nodes.filter((n) => n !== victim);
      const onVictim = chargers.filter((cp) => where.get(cp.identity) === victim.nodeId);
      expect(onVictim.length).toBeGreaterThan(0);

      // Transactions running on the victim's chargers when it dies, started from another node.
      const running = onVictim.slice(0, 5);
      const runningTx = new Map<Charger16, Tx>();
      await Promise.all(running.map(async (cp) => runningTx.set(cp, await startRemotely(cp, survivors[0]!))));

      await victim.kill();
      lb.remove(victim.port);
      await eventually(
        async () => {
          const now = await placement(survivors[0]!);
          const moved = [...now.values()].filter((n) => n !== null && n !== victim.nodeId).length;
          return moved === CHARGERS ? true : undefined;
        },
        60_000,
        'every charger connected to a surviving node',
      );

      // The running transactions are stopped through the survivors, from the node that does not hold the charger.
      const after = await placement(survivors[0]!);
      await inBatches(running, 5, async (cp) => {
        const [stopper] = others(after.get(cp.identity) ?? null, survivors);
        await stopRemotely(cp, runningTx.get(cp)!, stopper!);
      });
      // And moved chargers take new transactions across nodes.
      await inBatches(onVictim.slice(5, 20), 5, async (cp) => {
        const [starter] = others(after.get(cp.identity) ?? null, survivors);
        const tx = await startRemotely(cp, starter!);
        await stopRemotely(cp, tx, starter!);
      });

      // The store holds exactly the transactions the chargers ran, each once, complete, with the right energy.
      const stored = await transactions(survivors[1]!);
      const ran = chargers.flatMap((cp) => cp.transactions.map((t) => ({ chargerId: cp.identity, id: t.transactionId })));
      expect(stored.map((t) => ({ chargerId: t.chargerId, id: t.id })).sort((a, b) => a.id - b.id)).toEqual(ran.sort((a, b) => a.id - b.id));
      expect(new Set(stored.map((t) => t.id)).size).toBe(stored.length);
      expect(stored.filter((t) => t.active)).toEqual([]);
      expect(stored.filter((t) => t.energyWh !== WH_PER_TRANSACTION)).toEqual([]);
      expect(stored.length).toBe(30 + 5 + 15);
    }, 240_000);
  });
}

clusterScenario('SQLite');
clusterScenario('PostgreSQL');
