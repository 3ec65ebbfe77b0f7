// A strict TypeScript consumer of @chargewire/smart-charging installed alone from its tarball (with the
// ocpp-types tarball it depends on): allocation, a profile checked by the ocpp-types validator, and the engine.
import { getValidator } from '@chargewire/ocpp-types';
import { SmartChargingEngine, allocate, profileForAllocation, setChargingProfile, type ProfileCommand, type SiteNode } from '@chargewire/smart-charging';

const site: SiteNode = { id: 'site', maxKw: 30 };
const sessions = ['a', 'b', 'c'].map((id) => ({ id, chargerId: `CP-${id}` }));
const at = new Date('2026-12-03T18:00:00Z');
const result = allocate(site, sessions, { at });
const first = result.sessions[0];
if (!first) throw new Error('no allocation');
const request = setChargingProfile('ocpp2.0.1', 1, profileForAllocation(first, { id: 1, transactionId: 'tx-1', at }));
const valid = getValidator('ocpp2.0.1', 'SetChargingProfile', 'request')?.(request).valid ?? false;

const sent: ProfileCommand[] = [];
const engine = new SmartChargingEngine({ site, send: async (command) => (sent.push(command), { status: 'Accepted' }), debounceMs: 1, reevaluateMs: 0 });
for (const s of sessions) engine.startSession({ ...s, protocol: 'ocpp1.6', transactionId: sent.length + 1 });
await engine.idle();
await engine.close();
console.log(JSON.stringify({ watts: result.sessions.map((s) => Math.round(s.watts)), valid, limits: sent.map((c) => c.limit) }));
