import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed nothing we trust: for "wrong CA" tests. */
  otherCa: string;
  cleanup(): void;
}

/**
 * Generates a throw-away PKI with the openssl CLI: a CA, a server certificate for 127.0.0.1/localhost and a
 * client certificate whose CN is `clientCn` (security profile 3 takes the identity from it). Keys live in a
 * temp dir for the duration of the test only.
 */
export function generateTestPki(clientCn = 'CP-TLS'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'cw-client-pki-'));
  const p = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const makeCa = (name: string): void => {
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', `/CN=${name}`, '-keyout', p(`${name}.key`), '-out', p(`${name}.pem`));
  };
  const makeLeaf = (name: string, cn: string, ext: string): void => {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${cn}`,
      '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`));
    writeFileSync(p(`${name}.ext`), ext);
    openssl('x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial',
      '-days', '2', '-extfile', p(`${name}.ext`), '-out', p(`${name}.pem`));
  };
  makeCa('ca');
  makeCa('other');
  makeLeaf('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  makeLeaf('client', clientCn, 'extendedKeyUsage=clientAuth\n');
  const read = (name: string): string => readFileSync(p(name), 'utf8');
  return {
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
    otherCa: read('other.pem'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
