import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCPPServer, type OCPPServerOptions } from '@chargewire/server';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import { generateCertificates, type GeneratedCertificates } from '../certs/generateCertificates.js';
import type { RuleResult } from './ruleResult.js';

const PASSWORD = 'correct-horse-battery-staple';

interface Running {
  base: string;
  close(): Promise<void>;
}

async function start(certs: GeneratedCertificates, https: ServerOptions, options: OCPPServerOptions): Promise<Running> {
  const server: HttpsServer = createServer({ key: readFileSync(certs.server.key), cert: readFileSync(certs.server.cert), ca: readFileSync(certs.ca.cert), ...https });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ocpp = new OCPPServer({ server, protocols: ['ocpp1.6'], pingIntervalMs: 0, ...options });
  ocpp.on('client', (client) => client.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() })));
  return {
    base: `wss://127.0.0.1:${(server.address() as AddressInfo).port}/ocpp`,
    close: async () => {
      await ocpp.close({ timeoutMs: 1000 });
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function check(argv: string[]): Promise<{ code: number; results: RuleResult[]; stdout: string; stderr: string }> {
  const io = bufferIo();
  const code = await runCli(['check', '--security', '--json', '--protocols', 'ocpp1.6', ...argv], io);
  return { code, results: (JSON.parse(io.stdout || '{"results":[]}') as { results: RuleResult[] }).results, stdout: io.stdout, stderr: io.stderr };
}

const status = (results: RuleResult[]): Record<string, string> => Object.fromEntries(results.map((r) => [r.id, r.status]));

describe('chargewire check --security', () => {
  let dir: string;
  let certs: GeneratedCertificates;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-security-'));
    certs = await generateCertificates({ dir, chargers: ['CP-1'] });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('profile 3 on @chargewire/server: every rule passes (or is not applicable), each citing its requirement', async () => {
    const csms = await start(certs, { requestCert: true, rejectUnauthorized: false }, { securityProfile: 3 });
    try {
      const { code, results } = await check(['-e', `${csms.base}/CP-1`, '--tls-ca', certs.ca.cert, '--tls-cert', join(dir, 'charger-CP-1.pem'), '--tls-key', join(dir, 'charger-CP-1.key')]);
      expect(results.filter((r) => r.status === 'fail')).toEqual([]);
      expect(code).toBe(0);
      expect(status(results)).toMatchObject({
        'tls.endpoint': 'pass',
        'tls.version': 'pass',
        'tls.server-certificate': 'pass',
        'tls.plain-refused': 'pass',
        'mtls.accepted': 'pass',
        'mtls.required': 'pass',
        'mtls.untrusted': 'pass',
        'mtls.cn-bound': 'pass',
        'basic.required': 'n/a',
      });
      expect(['pass', 'n/a']).toContain(status(results)['tls.legacy-refused']);
      for (const r of results) expect(r.section).toMatch(/A00\.FR\.\d{3}/);
    } finally {
      await csms.close();
    }
  });

  it('profile 2 on @chargewire/server: TLS and Basic auth rules pass', async () => {
    const csms = await start(certs, {}, { securityProfile: 2, verifyPassword: (_identity, password) => password.toString() === PASSWORD });
    try {
      const { code, results } = await check(['-e', `${csms.base}/CP-2`, '--tls-ca', certs.ca.cert, '--password', PASSWORD]);
      expect(results.filter((r) => r.status === 'fail')).toEqual([]);
      expect(status(results)).toMatchObject({ 'basic.accepted': 'pass', 'basic.required': 'pass', 'basic.wrong-password': 'pass', 'basic.username-is-identity': 'pass', 'mtls.accepted': 'n/a' });
      expect(code).toBe(0);
    } finally {
      await csms.close();
    }
  });

  it('fails a CSMS that accepts anyone over old TLS, and a profile 2 endpoint on ws://', async () => {
    // Profile 0 with no auth handler: every charger, with or without a password, is served.
    const csms = await start(certs, { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }, { securityProfile: 0 });
    try {
      const { code, results } = await check(['-e', `${csms.base}/CP-3`, '--tls-ca', certs.ca.cert, '--password', PASSWORD, '--profile', '2']);
      expect(code).toBe(1);
      expect(status(results)).toMatchObject({ 'basic.required': 'fail', 'basic.wrong-password': 'fail', 'tls.server-certificate': 'pass' });
      // Both sides run this machine's OpenSSL: where it can still speak TLS 1.0/1.1, the server must have refused.
      expect(['fail', 'n/a']).toContain(status(results)['tls.legacy-refused']);
    } finally {
      await csms.close();
    }
    const plain = new OCPPServer({ protocols: ['ocpp1.6'], securityProfile: 1, verifyPassword: (_i, p) => p.toString() === PASSWORD });
    const address = await plain.listen(0, '127.0.0.1');
    try {
      const { code, results } = await check(['-e', `ws://127.0.0.1:${address.port}/ocpp/CP-4`, '--password', PASSWORD, '--profile', '2']);
      expect(code).toBe(1);
      expect(status(results)['tls.endpoint']).toBe('fail');
      // Profile 1 itself is checked without TLS rules.
      const profile1 = await check(['-e', `ws://127.0.0.1:${address.port}/ocpp/CP-4`, '--password', PASSWORD]);
      expect(profile1.results.filter((r) => r.status === 'fail')).toEqual([]);
      expect(status(profile1.results)).toMatchObject({ 'tls.endpoint': 'n/a', 'basic.required': 'pass', 'basic.username-is-identity': 'pass' });
      expect(profile1.code).toBe(0);
    } finally {
      await plain.close();
    }
  });

  it('needs the credentials of the profile (exit 2)', async () => {
    expect((await check(['-e', 'wss://127.0.0.1:1/ocpp/X'])).code).toBe(2);
    expect((await check(['-e', 'wss://127.0.0.1:1/ocpp/X', '--profile', '3', '--password', PASSWORD])).code).toBe(2);
  });
});
