import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * PEM material generated for one test run, so no key is ever checked in. Meant for tests of security
 * profiles 2 and 3 (TLS, mutual TLS); needs the `openssl` command.
 */
export interface TestCertificates {
  ca: Buffer;
  /** A second CA that signed nothing the server trusts (for "untrusted certificate" tests). */
  rogueCa: Buffer;
  serverKey: Buffer;
  serverCert: Buffer;
  /** Client certificate signed by the CA with CN = the given identity. */
  client(identity: string): { key: Buffer; cert: Buffer };
  /** A client certificate signed by a different, untrusted CA. */
  rogueClient(identity: string): { key: Buffer; cert: Buffer };
  cleanup(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${name}`]);
}

function signed(dir: string, ca: string, name: string, cn: string, ext?: string): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  const args = ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '1'];
  if (ext) {
    writeFileSync(join(dir, `${name}.ext`), ext);
    args.push('-extfile', `${name}.ext`);
  }
  openssl(dir, args);
}

/**
 * Generates a CA, a server certificate for 127.0.0.1/localhost and client certificates on demand (openssl).
 * @example
 * const certs = generateTestCertificates();
 * const https = createServer({ key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true });
 * const { key, cert } = certs.client('CP-1'); // CN = the charger identity (security profile 3)
 * // … and certs.cleanup() when done
 */
export function generateTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'chargewire-certs-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'rogue-ca');
  signed(dir, 'ca', 'server', 'localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  const read = (f: string): Buffer => readFileSync(join(dir, f));
  let n = 0;
  const client = (ca: string) => (identity: string) => {
    const name = `client-${n++}`;
    signed(dir, ca, name, identity, 'extendedKeyUsage=clientAuth\n');
    return { key: read(`${name}.key`), cert: read(`${name}.crt`) };
  };
  return {
    ca: read('ca.crt'),
    rogueCa: read('rogue-ca.crt'),
    serverKey: read('server.key'),
    serverCert: read('server.crt'),
    client: client('ca'),
    rogueClient: client('rogue-ca'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
