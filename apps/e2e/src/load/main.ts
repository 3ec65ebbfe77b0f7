// Load mode (`npm run e2e:load`, not part of `npm test`): CHARGERS chargers (default 5,000) spread over
// three example-CSMS processes clustered through Redis, each sending MeterValues every second for
// DURATION_S seconds (default 60). Reports calls/s, latency percentiles, errors and memory per node.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latencyStats } from '@chargewire/cli';
import { FLEET_PER_MESSAGE_DEFLATE, OCPPClient } from '@chargewire/client';
import { startCsmsProcess, type CsmsProcess } from '../support/csmsProcess.js';
import { LoadBalancer } from '../support/loadBalancer.js';

const chargerCount = Number(process.env.CHARGERS ?? 5_000);
const durationS = Number(process.env.DURATION_S ?? 60);
const intervalMs = Number(process.env.INTERVAL_MS ?? 1_000);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'chargewire-load-'));
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: `e2e-load-${process.pid}`, DATABASE_FILE: join(dir, 'csms.sqlite'), LOG_LEVEL: 'error' };
  const nodes: CsmsProcess[] = await Promise.all(['load-a', 'load-b', 'load-c'].map((id) => startCsmsProcess(id, env)));
  const lb = new LoadBalancer(nodes.map((n) => n.port));
  const endpoint = `ws://127.0.0.1:${await lb.listen()}/api/v1/chargers`;
  const clients: OCPPClient[] = [];
  const latencies: number[] = [];
  const errors = new Map<string, number>();
  const countError = (err: unknown) => {
    const name = err instanceof Error ? `${err.name}${'code' in err ? `:${String(err.code)}` : ''}` : String(err);
    errors.set(name, (errors.get(name) ?? 0) + 1);
  };

  try {
    const connectStart = performance.now();
    for (let i = 0; i < chargerCount; i += 200) {
      const batch = Array.from({ length: Math.min(200, chargerCount - i) }, (_, k) => {
        const client = new OCPPClient({ endpoint, identity: `LOAD-${i + k + 1}`, protocols: ['ocpp1.6'], reconnect: false, pingIntervalMs: 0, perMessageDeflate: FLEET_PER_MESSAGE_DEFLATE });
        clients.push(client);
        return client.connect().then(() => client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'chargewire', chargePointModel: 'load' }));
      });
      (await Promise.allSettled(batch)).forEach((r) => r.status === 'rejected' && countError(r.reason));
    }
    const connectS = (performance.now() - connectStart) / 1000;
    console.log(`connected and booted ${chargerCount} chargers in ${connectS.toFixed(1)} s (${(chargerCount / connectS).toFixed(0)}/s)`);

    const idleRss = nodes.map((n) => rssMb(n.child.pid));
    const started = performance.now();
    const deadline = started + durationS * 1000;
    let meter = 0;
    const loops = clients.map(async (client, index) => {
      // Spread the chargers over the interval so the load is steady, not a thundering herd.
      await new Promise((resolve) => setTimeout(resolve, (index / clients.length) * intervalMs));
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await client.call('ocpp1.6', 'MeterValues', {
            connectorId: 1,
            meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: String(meter++), measurand: 'Energy.Active.Import.Register' }] }],
          });
          latencies.push(performance.now() - t0);
        } catch (err) {
          countError(err);
        }
        const wait = intervalMs - (performance.now() - t0);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    });
    await Promise.all(loops);
    const elapsedS = (performance.now() - started) / 1000;
    const stats = latencyStats(latencies);
    console.log(
      JSON.stringify(
        {
          chargers: chargerCount,
          nodes: nodes.length,
          durationS: Number(elapsedS.toFixed(1)),
          calls: latencies.length,
          callsPerSecond: Math.round(latencies.length / elapsedS),
          latencyMs: { p50: stats.p50, p95: stats.p95, p99: stats.p99, max: stats.max },
          errors: Object.fromEntries(errors),
          memoryMb: Object.fromEntries(nodes.map((n, i) => [n.nodeId, { idle: Number(idleRss[i]?.toFixed(1)), underLoad: Number(rssMb(n.child.pid).toFixed(1)) }])),
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => undefined)));
    await lb.close();
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
