/**
 * Validator throughput: a typical OCPP 1.6 MeterValues request, validated by the precompiled validator this
 * package ships versus what an application would otherwise do: `ajv.compile` at run time with stock
 * ajv-formats (same ajv options), in one run.
 *
 *   npm run bench            (inside packages/ocpp-types)
 */
import { getValidator, getSchema } from '../src/index.js';
import { loadCompiledValidator } from '../src/validatorModules.js';
import { createStockAjv } from '../../../tools/generate-types/emitValidators.js';

const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 1_000_000);

const meterValues = {
  connectorId: 1,
  transactionId: 4711,
  meterValue: [
    {
      timestamp: '2025-06-01T12:00:00.000Z',
      sampledValue: [
        { value: '12345.6', context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: '7360', context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'W' },
        { value: '32.0', context: 'Sample.Periodic', measurand: 'Current.Import', phase: 'L1', unit: 'A' },
        { value: '230.1', context: 'Sample.Periodic', measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
        { value: '64', context: 'Sample.Periodic', measurand: 'SoC', location: 'EV', unit: 'Percent' },
      ],
    },
  ],
};

const ROUNDS = 3;

/** Validations per second of one round. */
function round(label: string, fn: (payload: unknown) => unknown): number {
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < ITERATIONS; i++) if (fn(meterValues)) sink++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink !== ITERATIONS) throw new Error(`${label}: payload unexpectedly invalid`);
  return ITERATIONS / seconds;
}

/** Interleaved rounds (the machine may be shared), best round per candidate. */
function compare(candidates: ReadonlyArray<[string, (payload: unknown) => unknown]>): number[] {
  for (const [, fn] of candidates) for (let i = 0; i < 50_000; i++) fn(meterValues); // warm-up
  const best = candidates.map(() => 0);
  for (let r = 0; r < ROUNDS; r++) candidates.forEach(([label, fn], i) => (best[i] = Math.max(best[i]!, round(label, fn))));
  candidates.forEach(([label], i) => {
    const perSecond = best[i]!;
    console.log(`${label.padEnd(48)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} validations/s  (${(1e9 / perSecond).toFixed(0)} ns each)`);
  });
  return best;
}

function ms(start: bigint): string {
  return `${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(2)} ms`;
}

console.log(`OCPP 1.6 MeterValues request (5 sampled values), ${ITERATIONS.toLocaleString('en-US')} iterations × best of 3 rounds, Node ${process.version}\n`);

let t = process.hrtime.bigint();
const precompiled = getValidator('ocpp1.6', 'MeterValues', 'request')!;
console.log(`first use, precompiled (load module):       ${ms(t)}`);

// fast-uri cannot serialise ids like `urn:MeterValues.req`, so compile the schema without $id/$schema.
const { $id: _id, $schema: _s, ...schema } = getSchema('ocpp1.6', 'MeterValues', 'request') as Record<string, unknown>;
t = process.hrtime.bigint();
const ajv = createStockAjv();
console.log(`first use, run time: new Ajv + ajv-formats:  ${ms(t)}`);
t = process.hrtime.bigint();
const compiledAtRuntime = ajv.compile(schema);
console.log(`first use, run time: ajv.compile(schema):    ${ms(t)}\n`);

const raw = loadCompiledValidator('ocpp1.6', 'MeterValues', 'request');
const [viaApi = 0, viaRaw = 0, runtime = 1] = compare([
  ['precompiled, getValidator() → ValidationResult', (p) => precompiled(p).valid],
  ['precompiled, raw standalone function', (p) => raw(p)],
  ['ajv.compile at run time (stock ajv-formats)', (p) => compiledAtRuntime(p)],
]);

console.log(`\nratio precompiled (getValidator) / run-time compiled: ${(viaApi / runtime).toFixed(2)}`);
console.log(`ratio precompiled (raw) / run-time compiled:          ${(viaRaw / runtime).toFixed(2)}`);
