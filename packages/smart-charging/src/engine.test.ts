import { afterEach, describe, expect, it } from 'vitest';
import type { CommandOutcome, EngineSession, ProfileCommand, SendProfile } from './dispatchTypes.js';
import { SmartChargingEngine, type SmartChargingEngineOptions } from './engine.js';
import type { SiteNode } from './model.js';

const V = 230;
const site30: SiteNode = { id: 'site', maxKw: 30 };
const session = (id: string, extra: Partial<EngineSession> = {}): EngineSession => ({ id, chargerId: `CP-${id}`, protocol: 'ocpp1.6', transactionId: Number(id.replace(/\D/g, '')) || 1, ...extra });

/**
 * A fleet of chargers behind a `send` function: each answers with its configured behaviour and records
 * when a command started and finished, so tests can check ordering and isolation.
 */
class Chargers {
  readonly log: Array<{ chargerId: string; amps: number; event: 'start' | 'end' }> = [];
  readonly behaviour = new Map<string, 'accept' | 'reject' | 'hang' | 'throw'>();
  readonly limits = new Map<string, number>();
  readonly send: SendProfile = async (command: ProfileCommand, signal: AbortSignal) => {
    this.log.push({ chargerId: command.chargerId, amps: command.amps, event: 'start' });
    const behaviour = this.behaviour.get(command.chargerId) ?? 'accept';
    // A charger takes a little while to answer, so concurrent commands overlap.
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (behaviour === 'hang') await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
    if (behaviour === 'throw') throw new Error('socket closed');
    this.log.push({ chargerId: command.chargerId, amps: command.amps, event: 'end' });
    if (behaviour === 'reject') return { status: 'Rejected' };
    this.limits.set(command.chargerId, command.amps);
    return { status: 'Accepted' };
  };

  commandsTo(chargerId: string): number {
    return this.log.filter((e) => e.chargerId === chargerId && e.event === 'start').length;
  }
}

const engines: SmartChargingEngine[] = [];
function engineFor(chargers: Chargers, options: Partial<SmartChargingEngineOptions> = {}): SmartChargingEngine {
  const engine = new SmartChargingEngine({ site: site30, send: chargers.send, debounceMs: 5, reevaluateMs: 0, retryMs: 60_000, ...options });
  engines.push(engine);
  return engine;
}

afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe('SmartChargingEngine', () => {
  it('limits three 22 kW sessions to a third of 30 kW each, in one dispatch', async () => {
    const chargers = new Chargers();
    const engine = engineFor(chargers);
    const applied: CommandOutcome[] = [];
    engine.on('applied', (o) => applied.push(o));
    for (const id of ['t1', 't2', 't3']) engine.startSession(session(id));
    await engine.idle();
    const each = Math.floor((10_000 / (3 * V)) * 10) / 10;
    expect(Object.fromEntries(chargers.limits)).toEqual({ 'CP-t1': each, 'CP-t2': each, 'CP-t3': each });
    expect(applied.map((o) => o.command.request)).toContainEqual({
      connectorId: 1,
      csChargingProfiles: expect.objectContaining({ chargingProfileId: 1001, transactionId: 1, chargingProfilePurpose: 'TxProfile', stackLevel: 1 }),
    });
    // The three starts were debounced into one dispatch: one command per charger.
    expect(chargers.log.filter((e) => e.event === 'start')).toHaveLength(3);
    expect(engine.sessions().map((s) => s.confirmedA)).toEqual([each, each, each]);
  });

  it('raises the others when a session stops, and sends nothing to chargers whose limit did not change', async () => {
    const chargers = new Chargers();
    const engine = engineFor(chargers);
    for (const id of ['t1', 't2', 't3']) engine.startSession(session(id));
    await engine.idle();
    engine.stopSession('t3');
    await engine.idle();
    expect(chargers.limits.get('CP-t1')).toBe(Math.floor((15_000 / (3 * V)) * 10) / 10);
    expect(chargers.commandsTo('CP-t3')).toBe(1);
    // A meter reading that matches the limit, and a redundant dispatch: no new command.
    const before = chargers.log.length;
    engine.meter('t1', { amps: chargers.limits.get('CP-t1') ?? 0 });
    await engine.dispatch();
    expect(chargers.log.length).toBe(before);
  });

  it('sends decreases, and waits for their answers, before any increase', async () => {
    const chargers = new Chargers();
    const engine = engineFor(chargers, { site: { id: 'site', maxKw: 20 } });
    engine.startSession(session('t1'));
    engine.startSession(session('t2'));
    await engine.idle();
    chargers.log.length = 0;
    // t2's car turns out to take at most 6 A: t2 goes down, t1 goes up by what t2 frees.
    engine.updateSession('t2', { evMaxA: 6 });
    await engine.idle();
    const order = chargers.log.map((e) => `${e.chargerId} ${e.event}`);
    expect(order).toEqual(['CP-t2 start', 'CP-t2 end', 'CP-t1 start', 'CP-t1 end']);
    expect(chargers.limits.get('CP-t2')).toBe(6);
    expect(chargers.limits.get('CP-t1')).toBe(Math.floor(((20_000 - 6 * 3 * V) / (3 * V)) * 10) / 10);
  });

  it('isolates failures: a rejecting, a silent and a broken charger do not stop the others', async () => {
    const chargers = new Chargers();
    chargers.behaviour.set('CP-t1', 'reject');
    chargers.behaviour.set('CP-t2', 'hang');
    chargers.behaviour.set('CP-t3', 'throw');
    const engine = engineFor(chargers, { site: { id: 'site', maxKw: 75 }, timeoutMs: 500 });
    const failed: CommandOutcome[] = [];
    engine.on('failed', (o) => failed.push(o));
    for (const id of ['t1', 't2', 't3', 't4']) engine.startSession(session(id));
    const started = Date.now();
    await engine.idle();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(failed.map((o) => [o.command.chargerId, o.reason, o.status])).toEqual([
      ['CP-t1', 'rejected', 'Rejected'],
      ['CP-t2', 'timeout', undefined],
      ['CP-t3', 'error', undefined],
    ]);
    // The three that failed may still draw their 32 A maximum: t4 gets what is left of 75 kW, not a quarter.
    const left = (75_000 - 3 * 32 * 3 * V) / (3 * V);
    expect(chargers.limits.get('CP-t4')).toBe(Math.floor(left * 10) / 10);
    expect(engine.sessions().filter((s) => s.unconfirmed).map((s) => s.session.id)).toEqual(['t1', 't2', 't3']);
  });

  it('holds a charger whose decrease failed at its last confirmed limit, and retries it', async () => {
    const chargers = new Chargers();
    const engine = engineFor(chargers, { retryMs: 30 });
    engine.startSession(session('t1'));
    await engine.idle();
    expect(chargers.limits.get('CP-t1')).toBe(32);
    chargers.behaviour.set('CP-t1', 'reject');
    engine.startSession(session('t2'));
    const report = await new Promise<import('./dispatchTypes.js').DispatchReport>((resolve) => engine.once('dispatched', resolve));
    // t1 still draws 32 A (22 kW): t2 gets only the 8 kW left.
    expect(report.unconfirmed).toEqual(['t1']);
    expect(chargers.limits.get('CP-t2')).toBe(Math.floor(((30_000 - 32 * 3 * V) / (3 * V)) * 10) / 10);
    // Once t1 accepts its lower limit (the retry), t2 rises to an equal share.
    chargers.behaviour.set('CP-t1', 'accept');
    await new Promise((resolve) => engine.once('dispatched', resolve));
    await engine.idle();
    const half = Math.floor((15_000 / (3 * V)) * 10) / 10;
    expect(chargers.limits.get('CP-t1')).toBe(half);
    expect(chargers.limits.get('CP-t2')).toBe(half);
  });

  it('gives capacity a car does not use to the others once its draw has settled below its limit', async () => {
    let now = Date.parse('2026-12-03T12:00:00Z');
    const chargers = new Chargers();
    const engine = engineFor(chargers, { site: { id: 'site', maxKw: 20 }, clock: () => new Date(now), settleMs: 1_000 });
    engine.startSession(session('t1'));
    engine.startSession(session('t2'));
    await engine.idle();
    const half = Math.floor((10_000 / (3 * V)) * 10) / 10;
    // Right after the limit: a low reading is the car ramping up, not a cap.
    engine.meter('t2', { watts: 3 * V * 4 });
    await engine.idle();
    expect(chargers.limits.get('CP-t1')).toBe(half);
    now += 5_000;
    engine.meter('t2', { watts: 3 * V * 4 });
    await engine.idle();
    expect(chargers.limits.get('CP-t2')).toBe(6);
    expect(chargers.limits.get('CP-t1')).toBe(Math.floor(((20_000 - 6 * 3 * V) / (3 * V)) * 10) / 10);
    // The car draws up to its learned cap again: the cap is lifted and both share equally.
    engine.meter('t2', { amps: 6 });
    await engine.idle();
    expect(chargers.limits.get('CP-t2')).toBe(half);
  });

  it('re-allocates on a time-of-use window and on a new site limit', async () => {
    let now = Date.parse('2026-03-02T15:00:00Z'); // Monday 16:00 in Berlin
    const chargers = new Chargers();
    const site: SiteNode = { id: 'site', maxKw: 30, timeOfUse: { timeZone: 'Europe/Berlin', windows: [{ from: '17:00', to: '21:00', maxKw: 15 }] } };
    const engine = engineFor(chargers, { site, clock: () => new Date(now), reevaluateMs: 20 });
    engine.startSession(session('t1'));
    await engine.idle();
    expect(chargers.limits.get('CP-t1')).toBe(32);
    now = Date.parse('2026-03-02T16:30:00Z'); // 17:30 in Berlin: peak window
    await new Promise((resolve) => engine.once('dispatched', resolve));
    expect(chargers.limits.get('CP-t1')).toBe(Math.floor((15_000 / (3 * V)) * 10) / 10);
    engine.updateSite({ ...site, maxKw: 9, timeOfUse: undefined });
    await engine.idle();
    expect(chargers.limits.get('CP-t1')).toBe(Math.floor((9_000 / (3 * V)) * 10) / 10);
    expect(engine.allocation?.nodes[0]?.capacity).toBe(9_000);
  });

  it('reports over-commitment and refuses invalid sessions and sites up front', async () => {
    const chargers = new Chargers();
    const engine = engineFor(chargers, { site: { id: 'site', maxKw: 5 } });
    const reports: unknown[] = [];
    engine.on('overcommitted', (r) => reports.push(r));
    engine.startSession(session('t1'));
    engine.startSession(session('t2'));
    await engine.idle();
    expect(reports).toEqual([[expect.objectContaining({ nodeId: 'site', paused: ['t2'] })]]);
    expect(chargers.limits.get('CP-t2')).toBe(0);
    expect(() => engine.startSession({ ...session('t3'), hardwareMaxA: -1 })).toThrow(expect.objectContaining({ code: 'InvalidSession' }));
    expect(() => engine.startSession({ ...session('t3'), protocol: 'ocpp1.5' as 'ocpp1.6' })).toThrow(/ocpp1.5/);
    expect(() => engine.updateSession('nope', {})).toThrow(expect.objectContaining({ code: 'UnknownSession' }));
    // A bad site is refused when it is given, not later inside a background dispatch.
    expect(() => engine.updateSite({ id: 'site', timeOfUse: { timeZone: 'Nowhere/Land', windows: [] } })).toThrow(expect.objectContaining({ code: 'InvalidTimeZone' }));
    expect(() => engine.updateSite({ id: 'site', timeOfUse: { timeZone: 'UTC', windows: [{ from: '7pm', to: '21:00' }] } })).toThrow(expect.objectContaining({ code: 'InvalidTimeOfUse' }));
    expect(() => engine.updateSite({ id: 'site', timeOfUse: { timeZone: 'UTC', windows: [{ from: '19:00', to: '21:00', days: [0] }] } })).toThrow(expect.objectContaining({ code: 'InvalidTimeOfUse' }));
    expect(engine.allocation?.nodes[0]?.capacity).toBe(5_000);
  });
});
