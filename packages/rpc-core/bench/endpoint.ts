/**
 * Benchmark of the rpc-core engine alone: two RpcEndpoints over createChannelPair exchanging OCPP 1.6
 * MeterValues CALLs (parse → validate → handler → validate → serialize, and back), strict mode on vs off,
 * one call in flight and pipelined with callConcurrency 64; plus per-stage costs and a raw
 * JSON.parse + JSON.stringify baseline of the same frame.
 *
 * Run: npm run bench   (BENCH_SECONDS=3 BENCH_ROUNDS=5 for longer runs; each figure is the best round)
 */
import { getValidator } from '@chargewire/ocpp-types';
import type { MeterValuesRequest } from '@chargewire/ocpp-types/ocpp1.6';
import { createChannelPair, RpcEndpoint } from '../src/index.js';
import { parseFrame, serializeFrame } from '../src/internal.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 1);
/** Each figure is the best of ROUNDS runs, alternating configurations, so background load skews it less. */
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const PROTOCOL = 'ocpp1.6';

const meterValues: MeterValuesRequest = {
  connectorId: 1,
  transactionId: 4711,
  meterValue: [
    {
      timestamp: '2026-01-01T12:00:00.000Z',
      sampledValue: [
        { value: '12345.6', context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'Wh', location: 'Outlet' },
        { value: '7.2', context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'kW', location: 'Outlet' },
        { value: '31.9', context: 'Sample.Periodic', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
        { value: '229.8', context: 'Sample.Periodic', measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
      ],
    },
  ],
};
const frameText = JSON.stringify([2, '6f1c2a8e-3d4b-4c5a-9e7f-0a1b2c3d4e5f', 'MeterValues', meterValues]);

function pair(strictMode: boolean, callConcurrency: number) {
  const [a, b] = createChannelPair();
  const csms = new RpcEndpoint({ side: 'CSMS', protocol: PROTOCOL, strictMode });
  const station = new RpcEndpoint({ side: 'ChargingStation', protocol: PROTOCOL, strictMode, callConcurrency });
  csms.handle('ocpp1.6', 'MeterValues', () => ({}));
  csms.attach(a);
  station.attach(b);
  return { csms, station };
}

/** Calls/s with `inFlight` workers each awaiting one call at a time. */
async function callLoop(strictMode: boolean, inFlight: number): Promise<number> {
  const { csms, station } = pair(strictMode, inFlight);
  const run = async (seconds: number): Promise<number> => {
    let done = 0;
    const deadline = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        await station.call('ocpp1.6', 'MeterValues', meterValues);
        done++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: inFlight }, worker));
    return done / ((performance.now() - started) / 1000);
  };
  await run(0.3); // warm-up: JIT, validator loading
  const rate = await run(SECONDS);
  station.close();
  csms.close();
  return rate;
}

/** Operations/s of a synchronous function. */
function opsLoop(fn: () => unknown): number {
  const measure = (seconds: number): number => {
    let n = 0;
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    while (performance.now() < deadline) {
      for (let i = 0; i < 1000; i++) fn();
      n += 1000;
    }
    return n / ((performance.now() - started) / 1000);
  };
  measure(0.2);
  let best = 0;
  for (let r = 0; r < ROUNDS; r++) best = Math.max(best, measure(Math.min(SECONDS, 1)));
  return best;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);

async function main(): Promise<void> {
  console.log(`rpc-core endpoint benchmark — ${PROTOCOL} MeterValues CALL, best of ${ROUNDS} × ${SECONDS}s, node ${process.version}\n`);

  const validate = getValidator(PROTOCOL, 'MeterValues', 'request');
  if (!validate) throw new Error('MeterValues validator missing');
  const baseline = opsLoop(() => JSON.stringify(JSON.parse(frameText)));
  const parse = opsLoop(() => parseFrame(frameText, PROTOCOL));
  const validation = opsLoop(() => validate(meterValues));
  const serialize = opsLoop(() => serializeFrame({ type: 3, messageId: '6f1c2a8e-3d4b-4c5a-9e7f-0a1b2c3d4e5f', payload: {} }));
  console.log('stage costs (single frame, synchronous)            ops/s      µs/op');
  for (const [name, rate] of [
    ['JSON.parse + JSON.stringify (baseline)', baseline],
    ['parseFrame (JSON.parse + frame checks)', parse],
    ['MeterValues request validation', validation],
    ['serializeFrame of the CALLRESULT', serialize],
  ] as const) {
    console.log(`  ${name.padEnd(46)}${fmt(rate)} ${(1e6 / rate).toFixed(3).padStart(10)}`);
  }

  console.log('\nend to end over createChannelPair            calls/s    frames/s');
  const rows: Array<[string, number, number]> = [];
  for (const inFlight of [1, 64]) {
    let off = 0;
    let on = 0;
    for (let r = 0; r < ROUNDS; r++) {
      off = Math.max(off, await callLoop(false, inFlight));
      on = Math.max(on, await callLoop(true, inFlight));
    }
    const name = inFlight === 1 ? 'one in flight' : 'pipelined (callConcurrency 64)';
    rows.push([name, off, on]);
    console.log(`  ${`${name}, strict off`.padEnd(42)}${fmt(off)}${fmt(off * 2)}`);
    console.log(`  ${`${name}, strict on`.padEnd(42)}${fmt(on)}${fmt(on * 2)}`);
  }
  console.log('\nstrict on / strict off');
  for (const [name, off, on] of rows) console.log(`  ${name.padEnd(42)}${(on / off).toFixed(3).padStart(12)}`);
  console.log('\n(frames/s counts the CALL and its CALLRESULT; each call crosses the in-memory channel twice.)');
}

void main();
