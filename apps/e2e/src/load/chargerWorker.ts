// One of the load run's charger processes: connects and boots its share of the chargers, then sends
// MeterValues from each every interval until the orchestrator's deadline, timing every call. Several
// workers split the fleet so the generator's own event loop is not what the run measures.
import { FLEET_PER_MESSAGE_DEFLATE, OCPPClient } from '@chargewire/client';
import type { FromWorker, ToWorker, WorkerConfig } from './loadMessages.js';

const config = JSON.parse(process.env.LOAD_WORKER_CONFIG ?? '{}') as WorkerConfig;
const send = (message: FromWorker): void => void process.send?.(message);
const errors: Record<string, number> = {};
const countError = (err: unknown): void => {
  const name = err instanceof Error ? `${err.name}${'code' in err ? `:${String(err.code)}` : ''}` : String(err);
  errors[name] = (errors[name] ?? 0) + 1;
};

const clients: OCPPClient[] = [];
for (let i = 0; i < config.count; i += 200) {
  const batch = Array.from({ length: Math.min(200, config.count - i) }, (_, k) => {
    const client = new OCPPClient({
      endpoint: config.endpoint,
      identity: `LOAD-${config.firstIndex + i + k + 1}`,
      protocols: ['ocpp1.6'],
      reconnect: false,
      pingIntervalMs: 0,
      perMessageDeflate: FLEET_PER_MESSAGE_DEFLATE,
    });
    clients.push(client);
    return client.connect().then(() => client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'chargewire', chargePointModel: 'load' }));
  });
  (await Promise.allSettled(batch)).forEach((r) => r.status === 'rejected' && countError(r.reason));
}
send({ type: 'ready', errors: { ...errors } });
for (const key of Object.keys(errors)) delete errors[key];

async function run(deadline: number): Promise<Float64Array> {
  const latencies: number[] = [];
  let meter = 0;
  const start = Date.now();
  await Promise.all(
    clients.map(async (client, index) => {
      // Spread the chargers over the interval so the load is steady, not a thundering herd.
      await new Promise((resolve) => setTimeout(resolve, ((index / clients.length) * config.intervalMs + start) - Date.now()));
      while (Date.now() < deadline) {
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
        const wait = config.intervalMs - (performance.now() - t0);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }),
  );
  return Float64Array.from(latencies);
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'go') {
    void run(message.deadline).then((latencies) => send({ type: 'done', latencies, errors }));
  } else {
    void Promise.all(clients.map((c) => c.close({ force: true }).catch(() => undefined))).then(() => {
      send({ type: 'closed' });
      process.exit(0);
    });
  }
});
