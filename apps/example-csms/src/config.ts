import { resolve } from 'node:path';
import type { UnknownChargerPolicy } from './domain/csmsService.js';
import { isPostgresUrl } from './store/openStore.js';
import type { LogLevel } from './logger.js';
import { MIN_ADMIN_TOKEN_LENGTH } from './auth/operatorCredentials.js';
import { isSiteLimitKw, MAX_SITE_LIMIT_KW } from './domain/siteCharging.js';

/** The protocols this app implements handlers for (2.1 is left to the library itself). */
export const SUPPORTED_PROTOCOLS = ['ocpp2.0.1', 'ocpp1.6'] as const;
export type CsmsProtocol = (typeof SUPPORTED_PROTOCOLS)[number];

/**
 * 0 = chargers without stored credentials connect without authentication (first-run default);
 *     a charger that HAS a stored password must still present it.
 * 1 = every charger must send Basic auth matching its stored password (OCPP security profile 1).
 */
export type SecurityProfile = 0 | 1;

/** Everything the app reads from the environment. */
export interface CsmsConfig {
  /** @default 3000 */
  port: number;
  /** @default '0.0.0.0' */
  host: string;
  /** @default '<app dir>/data/csms.sqlite' */
  databaseFile: string;
  /** DATABASE_URL (`postgres://…`): PostgreSQL instead of the SQLite file, for instances on several hosts. */
  databaseUrl: string | undefined;
  /** DATABASE_POOL_SIZE: most PostgreSQL connections of one instance. @default 10 */
  databasePoolSize: number;
  /** Enables cluster mode (presence and cross-node calls through Redis). */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel, so several clusters can share one Redis. @default 'chargewire-csms' */
  redisPrefix: string;
  /** @default a random id per process */
  nodeId: string | undefined;
  /** @default 'accept' */
  unknownChargers: UnknownChargerPolicy;
  /** In order of preference. @default ['ocpp2.0.1', 'ocpp1.6'] */
  protocols: CsmsProtocol[];
  /** @default 0 */
  securityProfile: SecurityProfile;
  /** @default 300 */
  heartbeatIntervalS: number;
  /** @default 30000 */
  callTimeoutMs: number;
  /** @default 'info' */
  logLevel: LogLevel;
  /** ADMIN_TOKEN: the operator token to accept instead of a generated one (at least 24 characters). */
  adminToken: string | undefined;
  /** ROTATE_ADMIN_TOKEN=1: replace the stored admin token with a new one (printed once) at this start. @default false */
  rotateAdminToken: boolean;
  /**
   * TRUST_PROXY: Express's `trust proxy` (true/false, a hop count, or addresses such as `loopback`): lets a
   * reverse proxy's X-Forwarded-Proto/-For say the request was https (Secure cookie) and who sent it.
   * @default false
   */
  trustProxy: boolean | number | string;
  /** SITE_LIMIT_KW: keep the running transactions under this grid limit (smart charging); unset: off. */
  siteLimitKw: number | undefined;
}

/** A bad environment variable; main prints the message and exits 1. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim() as T;
  if (!allowed.includes(value)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function protocolList(raw: string | undefined): CsmsProtocol[] {
  if (raw === undefined || raw.trim() === '') return [...SUPPORTED_PROTOCOLS];
  const list = raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (list.length === 0) throw new ConfigError('OCPP_PROTOCOLS must name at least one protocol');
  for (const p of list) {
    if (!(SUPPORTED_PROTOCOLS as readonly string[]).includes(p)) {
      throw new ConfigError(`OCPP_PROTOCOLS: unsupported protocol ${JSON.stringify(p)} (supported: ${SUPPORTED_PROTOCOLS.join(', ')})`);
    }
  }
  if (new Set(list).size !== list.length) throw new ConfigError('OCPP_PROTOCOLS lists a protocol twice');
  return list as CsmsProtocol[];
}

function trustProxy(raw: string | undefined): boolean | number | string {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  if (!/^[A-Za-z0-9.:/, ]+$/.test(value)) throw new ConfigError('TRUST_PROXY must be true, false, a hop count, or addresses/subnets (e.g. loopback, 10.0.0.0/8)');
  return value;
}

function siteLimitKw(raw: string | undefined, clustered: boolean): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!isSiteLimitKw(value)) throw new ConfigError(`SITE_LIMIT_KW must be a number of kW above 0 and at most ${MAX_SITE_LIMIT_KW}, got ${JSON.stringify(raw)}`);
  // One engine must see every transaction of the site; with several nodes each would see only its own.
  if (clustered) throw new ConfigError('SITE_LIMIT_KW works with a single instance (unset REDIS_URL)');
  return value;
}

function adminToken(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^[\x21-\x7e]+$/.test(raw) || raw.length < MIN_ADMIN_TOKEN_LENGTH || raw.length > 512) {
    throw new ConfigError(`ADMIN_TOKEN must be ${MIN_ADMIN_TOKEN_LENGTH}-512 printable characters without spaces`);
  }
  return raw;
}

/**
 * Reads PORT, HOST, DATABASE_FILE (relative paths resolve against `appDir`), DATABASE_URL, DATABASE_POOL_SIZE, REDIS_URL, REDIS_PREFIX, NODE_ID,
 * UNKNOWN_CHARGERS, OCPP_PROTOCOLS, SECURITY_PROFILE, HEARTBEAT_INTERVAL, CALL_TIMEOUT_MS, LOG_LEVEL,
 * ADMIN_TOKEN, ROTATE_ADMIN_TOKEN, TRUST_PROXY, SITE_LIMIT_KW.
 * @throws ConfigError naming the variable when a value is invalid.
 */
export function loadConfig(env: NodeJS.ProcessEnv, appDir: string): CsmsConfig {
  const databaseFile = env.DATABASE_FILE?.trim() || './data/csms.sqlite';
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !isPostgresUrl(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql:// (unset it to use the SQLite file)');
  }
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  }
  const nodeId = env.NODE_ID?.trim() || undefined;
  if (nodeId !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(nodeId)) {
    throw new ConfigError('NODE_ID must be 1-64 characters of A-Z a-z 0-9 . _ -');
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseFile: databaseFile === ':memory:' ? databaseFile : resolve(appDir, databaseFile),
    databaseUrl,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    redisUrl,
    redisPrefix: env.REDIS_PREFIX?.trim() || 'chargewire-csms',
    nodeId,
    unknownChargers: oneOf(env, 'UNKNOWN_CHARGERS', ['reject', 'pending', 'accept'], 'accept'),
    protocols: protocolList(env.OCPP_PROTOCOLS),
    securityProfile: Number(oneOf(env, 'SECURITY_PROFILE', ['0', '1'], '0')) as SecurityProfile,
    heartbeatIntervalS: integer(env, 'HEARTBEAT_INTERVAL', 300, 1, 86_400),
    callTimeoutMs: integer(env, 'CALL_TIMEOUT_MS', 30_000, 100, 600_000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], 'info'),
    adminToken: adminToken(env.ADMIN_TOKEN),
    rotateAdminToken: oneOf(env, 'ROTATE_ADMIN_TOKEN', ['0', '1'], '0') === '1',
    trustProxy: trustProxy(env.TRUST_PROXY),
    siteLimitKw: siteLimitKw(env.SITE_LIMIT_KW, redisUrl !== undefined),
  };
}
