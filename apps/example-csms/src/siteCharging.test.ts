import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OCPPClient } from '@chargewire/client';
import { ConfigError, loadConfig } from './config.js';
import type { SiteView } from './domain/siteCharging.js';
import { DEMO_ID_TAG } from './seed.js';
import { eventually, NOW, startTestCsms, type TestCsms } from './testing/harness.fixture.js';

// SITE_LIMIT_KW: the CSMS keeps its transactions under a site limit with @chargewire/smart-charging and
// shows each allocation next to the measured power (GET /api/v1/site, the dashboard's "Site load").
interface ProfileSeen {
  connectorId?: number;
  evseId?: number;
  limit: number;
}

describe('smart charging in the example CSMS', () => {
  let t: TestCsms;
  const seen = new Map<string, ProfileSeen[]>();

  /** A charger that records every SetChargingProfile it accepts. */
  async function charger(identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1'): Promise<OCPPClient> {
    const cp = t.charger(identity, protocol);
    const record = (params: { connectorId?: number; evseId?: number; limit: number }) => {
      seen.set(identity, [...(seen.get(identity) ?? []), params]);
      return { status: 'Accepted' as const };
    };
    if (protocol === 'ocpp1.6') {
      cp.handle('ocpp1.6', 'SetChargingProfile', ({ params }) =>
        record({ connectorId: params.connectorId, limit: params.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]?.limit ?? NaN }),
      );
    } else {
      cp.handle('ocpp2.0.1', 'SetChargingProfile', ({ params }) =>
        record({ evseId: params.evseId, limit: params.chargingProfile.chargingSchedule[0]?.chargingSchedulePeriod[0]?.limit ?? NaN }),
      );
    }
    await cp.connect();
    return cp;
  }
  const lastLimit = (identity: string): number | undefined => seen.get(identity)?.at(-1)?.limit;

  beforeAll(async () => {
    t = await startTestCsms({ siteLimitKw: 30 });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('limits a 1.6 and a 2.0.1 transaction to half of the site each, shows them with their measured power, and follows a new limit', async () => {
    const cp16 = await charger('SITE-16', 'ocpp1.6');
    const cp201 = await charger('SITE-201', 'ocpp2.0.1');
    const start = await cp16.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 0, timestamp: NOW() });
    await cp201.call('ocpp2.0.1', 'TransactionEvent', {
      eventType: 'Started', timestamp: NOW(), triggerReason: 'Authorized', seqNo: 0,
      transactionInfo: { transactionId: 'site-tx-201' }, evse: { id: 1, connectorId: 1 }, idToken: { idToken: DEMO_ID_TAG, type: 'ISO14443' },
    });
    const half = Math.floor((15_000 / 690) * 10) / 10;
    await eventually(() => lastLimit('SITE-16') === half && lastLimit('SITE-201') === half);

    await cp16.call('ocpp1.6', 'MeterValues', {
      connectorId: 1, transactionId: start.transactionId,
      meterValue: [{ timestamp: NOW(), sampledValue: [{ value: '14800', measurand: 'Power.Active.Import', unit: 'W' }, { value: '500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
    });
    const view = await eventually(async () => {
      const res = await t.api<SiteView>('GET', '/api/v1/site');
      return res.body.sessions.find((s) => s.chargerId === 'SITE-16')?.measuredKw === 14.8 ? res.body : undefined;
    });
    expect(view).toMatchObject({ limitKw: 30, allocatedKw: 30, measuredKw: 14.8, overCommitted: [] });
    expect(view.sessions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ chargerId: 'SITE-16', transactionId: start.transactionId, allocatedKw: 15, confirmedA: half, measuredKw: 14.8, status: 'charging', unconfirmed: false }),
        expect.objectContaining({ chargerId: 'SITE-201', allocatedKw: 15, confirmedA: half, measuredKw: null, status: 'charging' }),
      ]),
    );

    // An operator lowers the limit: both chargers get the new share.
    const put = await t.api<SiteView>('PUT', '/api/v1/site', { limitKw: 11 });
    expect(put.status).toBe(200);
    expect(put.body.limitKw).toBe(11);
    const lower = Math.floor((5_500 / 690) * 10) / 10;
    await eventually(() => lastLimit('SITE-16') === lower && lastLimit('SITE-201') === lower);

    // One stops: the other gets the whole site.
    await cp16.call('ocpp1.6', 'StopTransaction', { transactionId: start.transactionId, meterStop: 900, timestamp: NOW() });
    await eventually(() => lastLimit('SITE-201') === Math.floor((11_000 / 690) * 10) / 10);
    expect((await t.api<SiteView>('GET', '/api/v1/site')).body.sessions.map((s) => s.chargerId)).toEqual(['SITE-201']);
  });

  it('refuses invalid limits and unauthenticated requests', async () => {
    for (const body of [{ limitKw: 0 }, { limitKw: -5 }, { limitKw: '30' }, { limitKw: 1e9 }, { limitKw: 30, extra: 1 }, {}]) {
      const res = await t.api<{ error: string }>('PUT', '/api/v1/site', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe('ValidationError');
    }
    expect((await t.api('GET', '/api/v1/site', undefined, { authorization: '' })).status).toBe(401);
    expect((await t.api<SiteView>('GET', '/api/v1/site')).body.limitKw).toBe(11);
  });

  it('answers 404 with a hint when SITE_LIMIT_KW is not set', async () => {
    const off = await startTestCsms();
    try {
      const res = await off.api<{ message: string }>('GET', '/api/v1/site');
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('SITE_LIMIT_KW');
    } finally {
      await off.stop();
    }
  });

  it('reads SITE_LIMIT_KW from the environment and refuses it in cluster mode', () => {
    expect(loadConfig({ SITE_LIMIT_KW: '22.5' }, '/app').siteLimitKw).toBe(22.5);
    expect(loadConfig({}, '/app').siteLimitKw).toBeUndefined();
    expect(() => loadConfig({ SITE_LIMIT_KW: 'lots' }, '/app')).toThrow(ConfigError);
    expect(() => loadConfig({ SITE_LIMIT_KW: '0' }, '/app')).toThrow(/SITE_LIMIT_KW/);
    expect(() => loadConfig({ SITE_LIMIT_KW: '30', REDIS_URL: 'redis://127.0.0.1:6379' }, '/app')).toThrow(/single instance/);
  });
});
