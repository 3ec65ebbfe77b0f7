// Time of one allocate() call for sites of growing size: `npm run bench --workspace=@chargewire/smart-charging`.
// Sessions get distinct EV maximums so the water-filling stops at a different level for each (its worst case).
import { allocate, type Session, type SiteNode } from '../src/index.js';

function site(feeders: number, perFeeder: number): SiteNode {
  return {
    id: 'site',
    maxKw: feeders * perFeeder * 7,
    children: Array.from({ length: feeders }, (_, f) => ({
      id: `feeder-${f}`,
      maxAmpsPerPhase: perFeeder * 12,
      chargers: Array.from({ length: perFeeder }, (_, c) => ({ id: `F${f}C${c}`, ...(c % 4 === 0 ? { phases: 1 as const, phase: (['L1', 'L2', 'L3'] as const)[c % 3] } : {}) })),
    })),
  };
}

for (const [feeders, perFeeder] of [[1, 12], [10, 10], [20, 50]] as const) {
  const tree = site(feeders, perFeeder);
  const sessions: Session[] = [];
  for (let f = 0; f < feeders; f++) for (let c = 0; c < perFeeder; c++) sessions.push({ id: `s-${f}-${c}`, chargerId: `F${f}C${c}`, evMaxA: 8 + ((f * perFeeder + c) % 25), arrival: c });
  const at = new Date();
  allocate(tree, sessions, { at });
  const runs = sessions.length > 500 ? 5 : 50;
  const start = process.hrtime.bigint();
  for (let r = 0; r < runs; r++) allocate(tree, sessions, { at });
  const ms = Number(process.hrtime.bigint() - start) / 1e6 / runs;
  console.log(`${String(sessions.length).padStart(5)} sessions, ${String(feeders).padStart(2)} feeders: ${ms.toFixed(2)} ms per allocation`);
}
