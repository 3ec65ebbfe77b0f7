import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has first-run defaults', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      port: 3000,
      host: '0.0.0.0',
      databaseFile: '/srv/app/data/csms.sqlite',
      databaseUrl: undefined,
      databasePoolSize: 10,
      redisUrl: undefined,
      redisPrefix: 'chargewire-csms',
      nodeId: undefined,
      unknownChargers: 'accept',
      protocols: ['ocpp2.0.1', 'ocpp1.6'],
      securityProfile: 0,
      heartbeatIntervalS: 300,
      callTimeoutMs: 30_000,
      logLevel: 'info',
      adminToken: undefined,
      rotateAdminToken: false,
      trustProxy: false,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080', HOST: '127.0.0.1', DATABASE_FILE: 'db/x.sqlite', REDIS_URL: 'redis://r:6379', NODE_ID: 'n1',
        UNKNOWN_CHARGERS: 'pending', OCPP_PROTOCOLS: ' ocpp2.0.1 ', SECURITY_PROFILE: '1', HEARTBEAT_INTERVAL: '60', LOG_LEVEL: 'warn',
      },
      '/srv/app',
    );
    expect(config).toMatchObject({
      port: 8080, host: '127.0.0.1', databaseFile: '/srv/app/db/x.sqlite', redisUrl: 'redis://r:6379', nodeId: 'n1',
      unknownChargers: 'pending', protocols: ['ocpp2.0.1'], securityProfile: 1, heartbeatIntervalS: 60, logLevel: 'warn',
    });
    expect(loadConfig({ DATABASE_FILE: '/abs/file.sqlite' }, '/srv/app').databaseFile).toBe('/abs/file.sqlite');
  });

  it('reads DATABASE_URL (PostgreSQL only) and the pool size', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://csms@db:5432/csms', DATABASE_POOL_SIZE: '4' }, '/srv/app')).toMatchObject({
      databaseUrl: 'postgres://csms@db:5432/csms',
      databasePoolSize: 4,
    });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/csms' }, '/srv/app')).toThrow(/DATABASE_URL must start with postgres/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' }, '/srv/app')).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('reads the operator settings', () => {
    const config = loadConfig({ ADMIN_TOKEN: 'x'.repeat(24), ROTATE_ADMIN_TOKEN: '1', TRUST_PROXY: 'loopback, 10.0.0.0/8' }, '/srv/app');
    expect(config).toMatchObject({ adminToken: 'x'.repeat(24), rotateAdminToken: true, trustProxy: 'loopback, 10.0.0.0/8' });
    expect(loadConfig({ TRUST_PROXY: '1' }, '/srv/app').trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'true' }, '/srv/app').trustProxy).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be an integer from 0 to 65535/],
    [{ UNKNOWN_CHARGERS: 'maybe' }, /UNKNOWN_CHARGERS must be one of reject, pending, accept/],
    [{ OCPP_PROTOCOLS: 'ocpp1.5' }, /unsupported protocol "ocpp1.5"/],
    [{ OCPP_PROTOCOLS: 'ocpp1.6,ocpp1.6' }, /twice/],
    [{ OCPP_PROTOCOLS: ' , ' }, /at least one/],
    [{ SECURITY_PROFILE: '2' }, /SECURITY_PROFILE must be one of 0, 1/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must start with redis:\/\//],
    [{ NODE_ID: 'a b' }, /NODE_ID/],
    [{ ADMIN_TOKEN: 'short' }, /ADMIN_TOKEN must be 24-512 printable characters/],
    [{ ADMIN_TOKEN: 'has a space in a long enough token' }, /ADMIN_TOKEN/],
    [{ ROTATE_ADMIN_TOKEN: 'yes' }, /ROTATE_ADMIN_TOKEN must be one of 0, 1/],
    [{ TRUST_PROXY: 'every$body' }, /TRUST_PROXY/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env, '/srv/app')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/srv/app')).toThrow(message);
  });
});
