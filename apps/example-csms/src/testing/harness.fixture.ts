import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OCPPClient } from '@chargewire/client';
import { createCsms, type Csms, type CsmsOptions } from '../app.js';
import { createConsoleLogger, type LogLevel } from '../logger.js';

/** The operator token test instances accept (ADMIN_TOKEN), unless a test passes its own. */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** The header of an operator request with {@link TEST_ADMIN_TOKEN}. */
export const OPERATOR_AUTH = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } as const;

/** A CSMS listening on 127.0.0.1 port 0 with its SQLite file in a fresh temp dir. */
export interface TestCsms {
  csms: Csms;
  dir: string;
  baseUrl: string;
  wsBase: string;
  /** A REST call as an operator (Bearer token); `headers` may replace or drop (`authorization: ''`) it. */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  charger(identity: string, protocol: 'ocpp1.6' | 'ocpp2.0.1', extra?: { password?: string }): OCPPClient;
  stop(): Promise<void>;
}

export async function startTestCsms(options: Partial<CsmsOptions> & { dir?: string } = {}): Promise<TestCsms> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'csms-test-'));
  const csms = await createCsms({ databaseFile: join(dir, 'csms.sqlite'), port: 0, host: '127.0.0.1', pingIntervalMs: 0, adminToken: TEST_ADMIN_TOKEN, ...(process.env.TEST_LOG ? { logger: createConsoleLogger(process.env.TEST_LOG as LogLevel) } : {}), ...options });
  const { port } = await csms.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  const wsBase = `ws://127.0.0.1:${port}/api/v1/chargers`;
  const clients: OCPPClient[] = [];
  return {
    csms,
    dir,
    baseUrl,
    wsBase,
    async api(method, path, body, headers = {}) {
      const all: Record<string, string> = { authorization: `Bearer ${options.adminToken ?? TEST_ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers };
      for (const [name, value] of Object.entries(all)) if (value === '') delete all[name];
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: all,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as never };
    },
    charger(identity, protocol, extra = {}) {
      const client = new OCPPClient({
        endpoint: wsBase,
        identity,
        protocols: [protocol],
        reconnect: false,
        pingIntervalMs: 0,
        callTimeoutMs: 10_000,
        ...(extra.password === undefined ? {} : { password: extra.password }),
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => undefined)));
      await csms.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `predicate` holds, polling an in-process condition (no fixed sleeps in assertions). */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const NOW = (): string => new Date().toISOString();
