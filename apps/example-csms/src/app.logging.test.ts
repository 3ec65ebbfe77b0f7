import { describe, expect, it } from 'vitest';
import { createConsoleLogger } from './logger.js';
import { NOW, startTestCsms } from './testing/harness.fixture.js';

interface FrameLine {
  direction: string;
  chargerId: string;
  type: string;
  action: string;
  messageId: string;
  payload: unknown;
}

describe('LOG_LEVEL=debug logs every OCPP frame, never a password', () => {
  it('logs direction, identity, action, message id and payload of each frame; secrets and the Basic password never appear', async () => {
    const lines: string[] = [];
    const t = await startTestCsms({ logger: createConsoleLogger('debug', (line) => void lines.push(line)) });
    const basicPassword = 'basic-auth-pw-0123456789';
    const authorizationKey = 'authorization-key-9876543210';
    const stationPassword = 'station-password-ABCDEFGHIJ';
    try {
      expect((await t.api('POST', '/api/v1/chargers', { id: 'CP-LOG', password: basicPassword })).status).toBe(201);
      const cp = t.charger('CP-LOG', 'ocpp1.6', { password: basicPassword });
      cp.handle('ocpp1.6', 'ChangeConfiguration', () => ({ status: 'Accepted' }));
      cp.handle('ocpp1.6', 'GetConfiguration', () => ({ configurationKey: [{ key: 'AuthorizationKey', readonly: false, value: authorizationKey }, { key: 'HeartbeatInterval', readonly: false, value: '300' }] }));
      await cp.connect();
      await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
      await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: NOW() });
      expect((await t.api('PUT', '/api/v1/chargers/CP-LOG/configuration', { key: 'AuthorizationKey', value: authorizationKey })).body).toMatchObject({ status: 'Accepted' });
      expect((await t.api('GET', '/api/v1/chargers/CP-LOG/configuration?key=AuthorizationKey')).status).toBe(200);

      const cs = t.charger('CS-LOG', 'ocpp2.0.1');
      cs.handle('ocpp2.0.1', 'SetVariables', ({ params }) => ({
        setVariableResult: params.setVariableData.map((d) => ({ attributeStatus: 'Accepted' as const, component: d.component, variable: d.variable })),
      }));
      await cs.connect();
      await cs.call('ocpp2.0.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Two' } });
      const set = await t.api('PUT', '/api/v1/chargers/CS-LOG/configuration', { key: 'SecurityCtrlr.BasicAuthPassword', value: stationPassword });
      expect(set.body).toMatchObject({ status: 'Accepted' });

      const frames = lines.filter((l) => l.includes(' ocpp frame {')).map((l) => JSON.parse(l.slice(l.indexOf('{'))) as FrameLine);
      const boot = frames.filter((f) => f.chargerId === 'CP-LOG' && f.action === 'BootNotification');
      expect(boot).toEqual([
        expect.objectContaining({ direction: 'in', type: 'CALL', messageId: expect.any(String), payload: { chargePointVendor: 'Acme', chargePointModel: 'One' } }),
        expect.objectContaining({ direction: 'out', type: 'CALLRESULT', messageId: boot[0]?.messageId, payload: expect.objectContaining({ status: 'Accepted' }) }),
      ]);
      const change = frames.find((f) => f.action === 'ChangeConfiguration' && f.type === 'CALL');
      expect(change).toMatchObject({ direction: 'out', chargerId: 'CP-LOG', payload: { key: 'AuthorizationKey', value: '[redacted]' } });
      const got = frames.find((f) => f.action === 'GetConfiguration' && f.type === 'CALLRESULT');
      expect(got?.payload).toEqual({ configurationKey: [{ key: 'AuthorizationKey', readonly: false, value: '[redacted]' }, { key: 'HeartbeatInterval', readonly: false, value: '300' }] });
      const setVariables = frames.find((f) => f.action === 'SetVariables' && f.type === 'CALL');
      expect(setVariables).toMatchObject({
        direction: 'out', chargerId: 'CS-LOG',
        payload: { setVariableData: [expect.objectContaining({ attributeValue: '[redacted]', variable: { name: 'BasicAuthPassword' } })] },
      });
      expect(frames.some((f) => f.action === 'StatusNotification' && f.direction === 'in')).toBe(true);

      const all = lines.join('');
      for (const secret of [basicPassword, authorizationKey, stationPassword, Buffer.from(`CP-LOG:${basicPassword}`).toString('base64')]) {
        expect(all).not.toContain(secret);
      }
    } finally {
      await t.stop();
    }
  });

  it('logs no frame above debug level', async () => {
    const lines: string[] = [];
    const t = await startTestCsms({ logger: createConsoleLogger('info', (line) => void lines.push(line)) });
    try {
      const cp = t.charger('CP-QUIET', 'ocpp1.6');
      await cp.connect();
      await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
      expect(lines.filter((l) => l.includes('ocpp frame'))).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
