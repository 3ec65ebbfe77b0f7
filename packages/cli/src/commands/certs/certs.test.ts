import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OCPPServer } from '@chargewire/server';
import { runCli } from '../../program.js';
import { bufferIo } from '../../testing/bufferIo.fixture.js';
import type { BenchResult } from '../bench/runBench.js';
import type { GeneratedCertificates } from './generateCertificates.js';

describe('chargewire certs', () => {
  let dir: string;
  let certs: GeneratedCertificates;
  let https: HttpsServer;
  let server: OCPPServer;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-certs-'));
    const io = bufferIo();
    expect(await runCli(['certs', '--out', dir, '--charger', 'CP-1', '--charger', 'CP-2,B-1', '--organization', 'Test CPO', '--json'], io)).toBe(0);
    certs = JSON.parse(io.stdout) as GeneratedCertificates;
    // Security profile 3 with @chargewire/server: the charger's certificate CN must be its identity.
    https = createServer({ key: readFileSync(certs.server.key), cert: readFileSync(certs.server.cert), ca: readFileSync(certs.ca.cert), requestCert: true, rejectUnauthorized: false });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    server = new OCPPServer({ server: https, securityProfile: 3, protocols: ['ocpp1.6'], pingIntervalMs: 0 });
    server.on('client', (client) => {
      client.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
      client.handle('ocpp1.6', 'StatusNotification', () => ({}));
      client.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    });
    base = `wss://127.0.0.1:${(https.address() as AddressInfo).port}/ocpp`;
  });
  afterAll(async () => {
    await server.close({ timeoutMs: 1000 });
    await new Promise((resolve) => https.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const charger = (identity: string) => certs.chargers.find((c) => c.identity === identity)!;
  const tlsArgs = (identity: string): string[] => ['--tls-ca', certs.ca.cert, '--tls-cert', charger(identity).cert, '--tls-key', charger(identity).key];

  it('writes a CA, a server certificate with the SANs and charger certificates with CN = identity', () => {
    const text = (file: string): string => execFileSync('openssl', ['x509', '-in', file, '-noout', '-subject', '-ext', 'subjectAltName,extendedKeyUsage,basicConstraints']).toString();
    expect(text(certs.ca.cert)).toMatch(/CA:TRUE/);
    expect(text(certs.server.cert)).toMatch(/DNS:localhost, IP Address:127\.0\.0\.1/);
    expect(text(certs.server.cert)).toMatch(/TLS Web Server Authentication/);
    const cp1 = text(charger('CP-1').cert);
    expect(cp1).toMatch(/subject=O = Test CPO, CN = CP-1/);
    expect(cp1).toMatch(/TLS Web Client Authentication/);
    expect(statSync(charger('CP-1').key).mode & 0o777).toBe(0o600);
    expect(statSync(certs.ca.key).mode & 0o777).toBe(0o600);
  });

  it('security profile 3 end to end: simulate with its certificate connects and boots, a mismatched one is refused', async () => {
    const ok = bufferIo();
    expect(await runCli(['simulate', '-e', `${base}/CP-1`, ...tlsArgs('CP-1'), '--script', 'boot; heartbeat'], ok)).toBe(0);
    // CP-2's certificate presented for CP-1: the CN is bound to the identity.
    const mismatched = bufferIo();
    expect(await runCli(['simulate', '-e', `${base}/CP-1`, ...tlsArgs('CP-2'), '--script', 'boot'], mismatched)).toBe(1);
    // No client certificate at all.
    const none = bufferIo();
    expect(await runCli(['simulate', '-e', `${base}/CP-1`, '--tls-ca', certs.ca.cert, '--script', 'boot'], none)).toBe(1);
  });

  it('bench takes the same TLS flags', async () => {
    const io = bufferIo();
    expect(await runCli(['bench', '--json', '-e', `${base}/B`, '-c', '1', '-d', '0.3', ...tlsArgs('B-1')], io)).toBe(0);
    expect((JSON.parse(io.stdout) as BenchResult).calls).toBeGreaterThan(0);
  });

  it('reuses the CA to add a charger later, prints ready commands, and refuses a certificate without its key', async () => {
    const io = bufferIo();
    expect(await runCli(['certs', '--out', dir, '--charger', 'CP-3', '--port', '9000'], io)).toBe(0);
    expect(io.stdout).toMatch(/^CA .*ca\.pem .* reused$/m);
    expect(io.stdout).toMatch(/chargewire simulate -e wss:\/\/localhost:9000\/ocpp\/CP-3 --tls-ca \S+ca\.pem --tls-cert \S+charger-CP-3\.pem --tls-key \S+charger-CP-3\.key/);
    const ok = bufferIo();
    expect(await runCli(['simulate', '-e', `${base}/CP-3`, '--tls-ca', certs.ca.cert, '--tls-cert', join(dir, 'charger-CP-3.pem'), '--tls-key', join(dir, 'charger-CP-3.key'), '--script', 'boot'], ok)).toBe(0);
    const usage = bufferIo();
    expect(await runCli(['simulate', '-e', `${base}/CP-3`, '--tls-cert', join(dir, 'charger-CP-3.pem'), '--script', 'boot'], usage)).toBe(2);
  });
});
