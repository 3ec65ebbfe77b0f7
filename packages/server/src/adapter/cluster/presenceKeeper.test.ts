import { describe, expect, it } from 'vitest';
import type { AdapterHost, PresenceRecord } from '../adapter.js';
import { InMemoryPresenceStore } from './inMemoryPresenceStore.js';
import { PresenceKeeper, type PresenceKeeperSink } from './presenceKeeper.js';
import type { RefreshResult } from './presenceStore.js';

/** The in-memory store, noting when each refresh() ran and what it carried. */
class RecordingStore extends InMemoryPresenceStore {
  readonly refreshes: Array<{ at: number; identities: string[] }> = [];
  constructor(readonly parts?: (identity: string, slices: number) => number) {
    super();
    if (parts) this.sliceOf = parts;
  }
  sliceOf?: (identity: string, slices: number) => number;
  override async refresh(records: readonly PresenceRecord[]): Promise<RefreshResult[]> {
    this.refreshes.push({ at: performance.now(), identities: records.map((r) => r.identity) });
    return super.refresh(records);
  }
}

const records = (n: number): PresenceRecord[] =>
  Array.from({ length: n }, (_, i) => ({ identity: `CP-${i}`, nodeId: 'n1', connectionId: `c-${i}`, protocol: 'ocpp1.6', connectedAt: 1 }));

const host = (list: PresenceRecord[]): AdapterHost => ({
  nodeId: 'n1',
  callLocal: () => Promise.reject(new Error('not used')),
  broadcastLocal: () => Promise.reject(new Error('not used')),
  localPresence: () => list,
  closeSuperseded: () => undefined,
});

const sink = (active: () => boolean = () => true): PresenceKeeperSink => ({ conflict: () => undefined, replaced: () => undefined, error: () => undefined, active });

async function registered(store: InMemoryPresenceStore, list: PresenceRecord[]): Promise<void> {
  for (const r of list) await store.register(r);
}

describe('PresenceKeeper heartbeat', () => {
  it('refreshes a large node in parts spread over the time it is given, every record once', async () => {
    const list = records(2_000);
    const store = new RecordingStore();
    await registered(store, list);
    const started = performance.now();
    expect(await new PresenceKeeper(store, host(list), sink()).beat(400)).toBe(0);
    const parts = store.refreshes;
    expect(parts.length).toBe(8); // 2,000 records in parts of ~256
    expect(parts.flatMap((p) => p.identities).sort()).toEqual(list.map((r) => r.identity).sort());
    // The parts are paced (400 ms / 8 apart), not sent in one burst.
    for (let i = 1; i < parts.length; i++) expect(parts[i]!.at - parts[i - 1]!.at).toBeGreaterThanOrEqual(45);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await store.liveNodes()).toEqual(['n1']);
  });

  it('keeps a store\'s groups whole: each part holds the records of one slice the store names', async () => {
    const list = records(1_000);
    const sliceOf = (identity: string, slices: number): number => Number(identity.slice(3)) % slices;
    const store = new RecordingStore(sliceOf);
    await registered(store, list);
    await new PresenceKeeper(store, host(list), sink()).beat(0);
    expect(store.refreshes.length).toBe(4);
    for (const part of store.refreshes) expect(new Set(part.identities.map((id) => sliceOf(id, 4))).size).toBe(1);
  });

  it('leaves out the records of connections that closed while the beat paused between parts', async () => {
    const list = records(1_000);
    const store = new RecordingStore();
    await registered(store, list);
    let current = list;
    const conflicts: unknown[] = [];
    // The host answers with whatever is live now: half of the chargers leave during the beat and reconnect elsewhere.
    const liveHost = host(list);
    liveHost.localPresence = () => current;
    const spread = new PresenceKeeper(store, liveHost, { ...sink(), conflict: (c) => conflicts.push(c) });
    const beat = spread.beat(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const gone = new Set(list.filter((_, i) => i % 2 === 1).map((r) => r.identity));
    current = list.filter((r) => !gone.has(r.identity));
    for (const identity of gone) await store.register({ identity, nodeId: 'n2', connectionId: `elsewhere-${identity}`, protocol: 'ocpp1.6', connectedAt: 2 });
    await beat;
    const refreshedAfterFirst = store.refreshes.slice(1).flatMap((p) => p.identities);
    expect(refreshedAfterFirst.some((id) => gone.has(id))).toBe(false);
    expect(refreshedAfterFirst.length).toBeGreaterThan(0);
    expect(conflicts).toEqual([]);
  });

  it('refreshes a small node in one round trip, and a paused beat finishes at once when hurried', async () => {
    const small = records(100);
    const store = new RecordingStore();
    await registered(store, small);
    await new PresenceKeeper(store, host(small), sink()).beat(10_000);
    expect(store.refreshes.length).toBe(1);

    const list = records(1_500);
    const big = new RecordingStore();
    await registered(big, list);
    let active = true;
    const keeper = new PresenceKeeper(big, host(list), sink(() => active));
    const started = performance.now();
    const beat = keeper.beat(60_000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    active = false; // closing
    keeper.hurry();
    await beat;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(big.refreshes.length).toBe(1); // stopped after the part in flight
  });
});
