// Measures how a flood of bad charger passwords affects a legitimate charger's connect.
//   node --import tsx --conditions=@chargewire/source scripts/auth-flood.ts [--unthrottled] [--spread]
// --unthrottled: no password throttle (the behaviour before it existed).
// --spread: the bad attempts come from 60 different addresses (127.0.0.10-69) against 60 different registered
//           chargers, instead of one address (127.0.0.2) against one charger.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCsms } from '../src/app.js';
import { upgradeStatus } from '../src/testing/upgrade.fixture.js';

const FLOOD = 60;
const unthrottled = process.argv.includes('--unthrottled');
const spread = process.argv.includes('--spread');
const dir = mkdtempSync(join(tmpdir(), 'csms-flood-'));
const token = 'flood-measurement-admin-token-0000';
const unlimited = { maxConcurrentChecks: 1e6, maxQueuedChecks: 1e6, maxChecksPerAddress: 1e6, maxChecksPerIdentity: 1e6, failuresPerIdentity: 1e6, failuresPerAddress: 1e6 };
const csms = await createCsms({ databaseFile: join(dir, 'csms.sqlite'), port: 0, host: '127.0.0.1', adminToken: token, pingIntervalMs: 0, ...(unthrottled ? { passwordThrottle: unlimited } : {}) });
const { port } = await csms.listen();
const register = (id: string, password: string) =>
  fetch(`http://127.0.0.1:${port}/api/v1/chargers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, password }),
  });
await register('CP-LEGIT', 'legit-password-123456');
await register('CP-TARGET', 'target-password-123456');
if (spread) await Promise.all(Array.from({ length: FLOOD }, (_, i) => register(`CP-T${i}`, 'target-password-123456')));

async function legitConnectMs(): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const status = await upgradeStatus(port, 'CP-LEGIT', { username: 'CP-LEGIT', password: 'legit-password-123456' });
  return { ms: performance.now() - started, status };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const idle: number[] = [];
for (let i = 0; i < 7; i++) idle.push((await legitConnectMs()).ms);

const underFlood: number[] = [];
const refusals = new Map<number, number>();
for (let round = 0; round < 5; round++) {
  const flood = Array.from({ length: FLOOD }, (_, i) =>
    spread
      ? upgradeStatus(port, `CP-T${i}`, { username: `CP-T${i}`, password: `wrong-password-${i}-xxxx`, localAddress: `127.0.0.${10 + i}` })
      : upgradeStatus(port, 'CP-TARGET', { username: 'CP-TARGET', password: `wrong-password-${i}-xxxx`, localAddress: '127.0.0.2' }),
  );
  const legit = await legitConnectMs();
  if (legit.status !== 101) refusals.set(legit.status, (refusals.get(legit.status) ?? 0) + 1);
  underFlood.push(legit.ms);
  const statuses = await Promise.all(flood);
  if (round === 0) {
    const counts: Record<number, number> = {};
    for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
    console.log(`flood answers (round 1): ${JSON.stringify(counts)}`);
  }
  // Let the per-address/identity windows forget this round (they are per minute, so only in-flight limits act).
}
console.log(`${unthrottled ? 'unthrottled' : 'throttled'}${spread ? ', 60 addresses' : ', one address'}: legit connect median idle ${median(idle).toFixed(0)} ms, under ${FLOOD} parallel bad attempts ${median(underFlood).toFixed(0)} ms (runs: ${underFlood.map((x) => x.toFixed(0)).join(', ')})${refusals.size ? `, legit refused: ${JSON.stringify(Object.fromEntries(refusals))}` : ''}`);
await csms.close();
rmSync(dir, { recursive: true, force: true });
