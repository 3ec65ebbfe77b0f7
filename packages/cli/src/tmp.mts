import fc from 'fast-check';
import { fuzzCategories } from './commands/fuzz/categories.js';
import { frameText } from './commands/fuzz/oracle.js';
const cats = fuzzCategories('ocpp2.0.1', 'toCsms');
for (const c of cats) fc.sample(c.arbitrary(), { numRuns: 20, seed: 2 }); // warm up
let total = 0; const rows: [string, number][] = [];
for (const c of cats) {
  const t = performance.now();
  const arb = c.arbitrary();
  for (const v of fc.sample(arb, { numRuns: 300, seed: 1 })) frameText(v);
  const ms = performance.now() - t; total += ms; rows.push([c.name, ms]);
}
rows.sort((a, b) => b[1] - a[1]);
console.log('total', Math.round(total), 'ms for', cats.length * 300, 'cases =', (total / (cats.length * 300)).toFixed(3), 'ms/case');
console.log(rows.slice(0, 10).map(([n, ms]) => `${n} ${(ms / 300).toFixed(3)}`).join('\n'));
