import { loadOf, tolerance, type Constraint } from './constraints.js';

/**
 * Progressive filling (max-min fairness) with lower bounds: a common water level rises; every session in
 * `members` draws max(its current power, level) up to its cap. A session stops when it reaches its cap or
 * when a limit it counts against is full; the others keep rising and take what it cannot use. Sessions
 * start at their minimum, so one above the level waits until the level reaches it.
 *
 * `power` is updated in place (W per session index).
 */
export function waterFill(members: readonly number[], power: number[], cap: readonly number[], constraints: readonly Constraint[]): void {
  const active = new Set(members.filter((i) => (power[i] ?? 0) < (cap[i] ?? 0) - tolerance(cap[i] ?? 0)));
  let level = Math.min(...[...active].map((i) => power[i] ?? 0));
  // Each round freezes a session or a limit, or lets a waiting session join: bounded by their number.
  for (let round = 0; active.size > 0 && round < 4 * (members.length + constraints.length) + 8; round++) {
    const slack = constraints.map((c) => c.capacity - loadOf(c, power));
    constraints.forEach((c, k) => {
      if ((slack[k] ?? 0) > tolerance(c.capacity)) return;
      for (const [i, weight] of c.weights) if (weight > 0) active.delete(i);
    });
    if (active.size === 0) break;
    const rising = new Set([...active].filter((i) => (power[i] ?? 0) <= level + tolerance(level)));
    let next = Infinity;
    for (const i of active) if (!rising.has(i)) next = Math.min(next, power[i] ?? 0);
    for (const i of rising) next = Math.min(next, cap[i] ?? 0);
    constraints.forEach((c, k) => {
      let weight = 0;
      for (const [i, w] of c.weights) if (rising.has(i)) weight += w;
      if (weight > 0) next = Math.min(next, level + (slack[k] ?? 0) / weight);
    });
    if (!Number.isFinite(next)) break; // nothing limits the rising sessions: cannot happen with finite caps
    for (const i of rising) power[i] = Math.min(cap[i] ?? 0, Math.max(power[i] ?? 0, next));
    for (const i of rising) if ((power[i] ?? 0) >= (cap[i] ?? 0) - tolerance(cap[i] ?? 0)) active.delete(i);
    level = next;
  }
}
