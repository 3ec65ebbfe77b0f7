import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsmsService, type AuthorizationResult } from '../domain/csmsService.js';
import type { CsmsEvent } from '../domain/events.js';
import { silentLogger } from '../logger.js';
import type { SampleInput } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { StoreFactory, StoreTarget } from './storeSuite.fixture.js';

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const register = (wh: number, seconds: number, context?: string): SampleInput => ({
  timestamp: at(seconds),
  measurand: 'Energy.Active.Import.Register',
  unit: 'Wh',
  value: wh,
  ...(context === undefined ? {} : { context }),
});

/** A cluster node: its own store instance (own connection or pool) on the shared database, its own service. */
interface Node {
  store: Store;
  service: CsmsService;
  events: CsmsEvent[];
}

/** Runs every task at once, in the order given (fast-check shuffles it). */
const together = (tasks: Array<() => Promise<unknown>>): Promise<unknown[]> => Promise.all(tasks.map((task) => task()));

/**
 * Two store instances writing the same rows at once, as two CSMS nodes sharing one database do: a charger
 * that reconnected to another node while messages were still in flight on the first, an id tag used on
 * two chargers at once. Each property runs many interleavings and checks the final state exactly.
 */
export function twoNodeWritesSuite(name: string, factory: StoreFactory, numRuns: number): void {
  describe(`two nodes writing one ${name} database at once`, { timeout: 180_000 }, () => {
    let target: StoreTarget;
    let nodes: [Node, Node];
    let run = 0;
    const node = (i: number): Node => nodes[i % 2] as Node;

    beforeAll(async () => {
      target = await factory();
      const open = async (): Promise<Node> => {
        const store = await target.open();
        const service = new CsmsService({ store, logger: silentLogger, unknownChargers: 'accept', now: () => new Date(T0) });
        const events: CsmsEvent[] = [];
        service.on('event', (e) => events.push(e));
        return { store, service, events };
      };
      nodes = [await open(), await open()];
    });
    afterAll(async () => {
      await Promise.all((nodes ?? []).map((n) => n.store.close()));
      await target?.drop();
    });

    /** A fresh charger (and events cleared) per run: runs share the database. */
    async function freshCharger(): Promise<string> {
      const id = `CP-${++run}`;
      await node(0).service.chargerConnected(id, 'ocpp1.6', 'a', `conn-${run}`);
      for (const n of nodes) n.events.length = 0;
      return id;
    }
    const eventsOf = (type: CsmsEvent['type'], chargerId: string) =>
      nodes.flatMap((n) => n.events).filter((e) => e.type === type && 'transaction' in e && e.transaction.chargerId === chargerId);

    it('1.6: meter values and a stop of one transaction, each on either node and some re-sent to both, end exactly right', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ node: fc.nat(1), resent: fc.boolean() }), { minLength: 1, maxLength: 8 }),
          fc.record({ node: fc.nat(1), resent: fc.boolean() }),
          fc.infiniteStream(fc.nat()),
          async (meters, stop, order) => {
            const chargerId = await freshCharger();
            await node(0).store.idTags.upsert({ idTag: `TAG-${chargerId}`, status: 'Accepted', expiryDate: null, parentIdTag: null, description: null }, at(0));
            const { transaction } = await node(1).service.startTransaction16(chargerId, { connectorId: 1, idTag: `TAG-${chargerId}`, meterStartWh: 1000, timestamp: at(0) });
            const stopWh = 1000 + (meters.length + 1) * 100;
            const tasks: Array<() => Promise<unknown>> = [];
            meters.forEach((m, i) => {
              const send = (n: number) => () => node(n).service.meterValues(chargerId, 1, transaction.id, [register(1000 + (i + 1) * 100, i + 1)]);
              tasks.push(send(m.node));
              if (m.resent) tasks.push(send(m.node + 1));
            });
            const sendStop = (n: number) => () =>
              node(n).service.stopTransaction16(chargerId, { transactionId: transaction.id, meterStopWh: stopWh, timestamp: at(meters.length + 1), reason: 'Local' }, []);
            tasks.push(sendStop(stop.node));
            if (stop.resent) tasks.push(sendStop(stop.node + 1));
            // A deterministic shuffle of the tasks from the generated stream.
            const shuffled = tasks.map((task) => ({ task, key: order.next().value as number })).sort((a, b) => a.key - b.key).map((x) => x.task);
            await together(shuffled);

            const stored = await node(0).store.transactions.get(transaction.id);
            expect(stored).toMatchObject({ active: false, meterStartWh: 1000, meterStopWh: stopWh, lastMeterWh: stopWh, energyWh: stopWh - 1000, closedBy: 'charger', stopReason: 'Local' });
            const samples = await node(1).store.meterValues.listByTransaction(transaction.id);
            expect(samples.map((s) => s.value)).toEqual(meters.map((_, i) => 1000 + (i + 1) * 100));
            expect(eventsOf('transaction.stopped', chargerId)).toHaveLength(1);
          },
        ),
        { numRuns },
      );
    });

    it('2.0.1: Started, Updated and Ended events of one transaction split over both nodes make one complete transaction', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(1), { minLength: 4, maxLength: 8 }), fc.infiniteStream(fc.nat()), async (placement, order) => {
          const chargerId = await freshCharger();
          const ocppTransactionId = `TX-${chargerId}`;
          const last = placement.length - 1;
          const events = placement.map((n, i) => () =>
            node(n).service.transactionEvent(chargerId, {
              eventType: i === 0 ? 'Started' : i === last ? 'Ended' : 'Updated',
              ocppTransactionId,
              timestamp: at(i),
              connectorId: 1,
              chargingState: i === last ? 'EVConnected' : 'Charging',
              ...(i === last ? { stoppedReason: 'EVDisconnected' } : {}),
              samples: [register(2000 + i * 250, i, i === 0 ? 'Transaction.Begin' : i === last ? 'Transaction.End' : 'Sample.Periodic')],
            }),
          );
          const shuffled = events.map((task) => ({ task, key: order.next().value as number })).sort((a, b) => a.key - b.key).map((x) => x.task);
          await together(shuffled);

          const { items } = await node(0).store.transactions.list({ chargerId, limit: 10, offset: 0 });
          expect(items).toHaveLength(1);
          expect(items[0]).toMatchObject({
            ocppTransactionId,
            active: false,
            meterStartWh: 2000,
            meterStopWh: 2000 + last * 250,
            energyWh: last * 250,
            stopReason: 'EVDisconnected',
            closedBy: 'charger',
          });
          expect(await node(1).store.meterValues.listByTransaction(items[0]!.id)).toHaveLength(placement.length);
          expect(eventsOf('transaction.started', chargerId)).toHaveLength(1);
          expect(eventsOf('transaction.stopped', chargerId)).toHaveLength(1);
        }),
        { numRuns },
      );
    });

    it('one id tag starting on several chargers through both nodes at once is accepted exactly once (ConcurrentTx for the rest)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(1), { minLength: 2, maxLength: 6 }), async (placement) => {
          const chargers: string[] = [];
          for (let i = 0; i < placement.length; i++) chargers.push(await freshCharger());
          const idTag = `SHARED-${run}`;
          await node(1).store.idTags.upsert({ idTag, status: 'Accepted', expiryDate: null, parentIdTag: null, description: null }, at(0));
          const answers = (await together(
            placement.map((n, i) => () => node(n).service.startTransaction16(chargers[i]!, { connectorId: 1, idTag, meterStartWh: 0, timestamp: at(i) })),
          )) as Array<{ authorization: AuthorizationResult }>;
          expect(answers.map((a) => a.authorization.status).sort()).toEqual(['Accepted', ...Array<string>(placement.length - 1).fill('ConcurrentTx')]);
          expect(await node(0).store.transactions.activeWithIdTag(idTag)).toHaveLength(1);
        }),
        { numRuns },
      );
    });

    it('an operator updating a tag on one node while the other authorises with it: the tag is never missing, it is created once, the last write wins', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom<'Accepted' | 'Blocked'>('Accepted', 'Blocked'), { minLength: 1, maxLength: 5 }), async (statuses) => {
          const chargerId = await freshCharger();
          const idTag = `TAG-${chargerId}`;
          const tag = { idTag, expiryDate: null, parentIdTag: null, description: null };
          const created = (await together([
            () => node(0).store.idTags.upsert({ ...tag, status: 'Accepted' }, at(0)),
            () => node(1).store.idTags.upsert({ ...tag, status: 'Accepted' }, at(0)),
          ])) as boolean[];
          expect(created.filter(Boolean)).toHaveLength(1); // two operators creating the tag: "created" once

          let writes = Promise.resolve();
          const tasks: Array<() => Promise<unknown>> = [];
          for (const status of statuses) {
            // The operator's writes are sequential (one person); authorisations run alongside them.
            tasks.push(() => (writes = writes.then(async () => void (await node(1).store.idTags.upsert({ ...tag, status }, at(0))))));
            tasks.push(() => node(0).service.authorize(idTag));
          }
          const results = await together(tasks);
          for (const r of results) if (r !== undefined) expect(['Accepted', 'Blocked']).toContain((r as AuthorizationResult).status);
          await writes;
          expect((await node(0).store.idTags.get(idTag))?.status).toBe(statuses.at(-1));
        }),
        { numRuns },
      );
    });

    it('transaction ids are unique across nodes: concurrent 1.6 starts on both nodes get distinct ids', async () => {
      const chargers: string[] = [];
      for (let i = 0; i < 20; i++) chargers.push(await freshCharger());
      const answers = (await together(
        chargers.map((chargerId, i) => () => node(i).service.startTransaction16(chargerId, { connectorId: 1, idTag: `NO-SUCH-TAG-${i}`, meterStartWh: 0, timestamp: at(i) })),
      )) as Array<{ transaction: { id: number; ocppTransactionId: string } }>;
      const ids = answers.map((a) => a.transaction.id);
      expect(new Set(ids).size).toBe(chargers.length);
      for (const a of answers) expect(a.transaction.ocppTransactionId).toBe(String(a.transaction.id));
    });
  });
}
