// Store throughput, SQLite beside PostgreSQL in one run: MeterValues messages (one energy sample each, the
// most frequent write) through the domain service, as the OCPP handler sends them, from one node and from
// two nodes sharing the database. Prints messages/s and the ratio to SQLite on one node.
//   npm run bench -w @chargewire/example-csms        (BENCH_MESSAGES=2000, TEST_DATABASE_URL as in the tests)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsmsService } from '../src/domain/csmsService.js';
import { silentLogger } from '../src/logger.js';
import { openStore } from '../src/store/openStore.js';
import type { Store } from '../src/store/store.js';
import { createTestDatabase } from '../src/testing/postgresDatabase.fixture.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
/** Chargers sending at once (each charger sends one message at a time, OCPP-J §4.1.1). */
const CHARGERS = 16;

interface Result {
  name: string;
  perSecond: number;
}

/** `MESSAGES` MeterValues from `CHARGERS` chargers, spread round-robin over the given nodes' services. */
async function run(name: string, stores: Store[]): Promise<Result> {
  const services = stores.map((store) => new CsmsService({ store, logger: silentLogger, unknownChargers: 'accept' }));
  const first = services[0] as CsmsService;
  const transactions: number[] = [];
  for (let c = 0; c < CHARGERS; c++) {
    await first.chargerConnected(`B-${c}`, 'ocpp1.6', 'bench', `conn-${c}`);
    const { transaction } = await first.startTransaction16(`B-${c}`, { connectorId: 1, idTag: `NONE-${c}`, meterStartWh: 0, timestamp: new Date(0).toISOString() });
    transactions.push(transaction.id);
  }
  const perCharger = Math.ceil(MESSAGES / CHARGERS);
  const started = performance.now();
  await Promise.all(
    transactions.map(async (transactionId, c) => {
      for (let i = 1; i <= perCharger; i++) {
        const service = services[(c + i) % services.length] as CsmsService;
        const sample = { timestamp: new Date(i * 1000).toISOString(), measurand: 'Energy.Active.Import.Register', unit: 'Wh', value: i * 10 };
        await service.meterValues(`B-${c}`, 1, transactionId, [sample]);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { name, perSecond: (perCharger * CHARGERS) / seconds };
}

const dir = mkdtempSync(join(tmpdir(), 'csms-bench-'));
const results: Result[] = [];
try {
  const file = join(dir, 'bench.sqlite');
  const sqlite = [await openStore({ databaseFile: file }), await openStore({ databaseFile: file })];
  results.push(await run('SQLite file, 1 node', [sqlite[0] as Store]));
  await Promise.all(sqlite.map((s) => s.close()));
  rmSync(file);
  const sqliteTwo = [await openStore({ databaseFile: file }), await openStore({ databaseFile: file })];
  results.push(await run('SQLite file, 2 connections', sqliteTwo));
  await Promise.all(sqliteTwo.map((s) => s.close()));

  for (const nodes of [1, 2]) {
    const database = await createTestDatabase();
    try {
      const stores = [];
      for (let n = 0; n < nodes; n++) stores.push(await openStore({ databaseUrl: database.url, databaseFile: '' }));
      results.push(await run(`PostgreSQL, ${nodes} node${nodes > 1 ? 's (2 pools)' : ''}`, stores));
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await database.drop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const base = (results[0] as Result).perSecond;
console.log(`MeterValues through CsmsService, ${MESSAGES} messages from ${CHARGERS} chargers at once`);
for (const r of results) console.log(`  ${r.name.padEnd(32)} ${Math.round(r.perSecond).toString().padStart(7)} msg/s   ×${(r.perSecond / base).toFixed(2)}`);
