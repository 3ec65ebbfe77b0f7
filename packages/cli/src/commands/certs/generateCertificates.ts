import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Options of {@link generateCertificates}. */
export interface CertificateOptions {
  /** Output directory (created when missing). */
  dir: string;
  /** Host names and IP addresses of the CSMS for the server certificate's SANs. @default ['localhost', '127.0.0.1'] */
  serverNames?: readonly string[];
  /** Charger identities: one client certificate each, CN = identity (security profile 3). @default [] */
  chargers?: readonly string[];
  /** Organization (O) of every subject; OCPP 2.0.1 Part 2 puts the CSO's name there. @default 'chargewire' */
  organization?: string;
  /** Validity of the server and charger certificates, days. @default 365 */
  days?: number;
  /** Replace an existing CA instead of signing with it. @default false */
  force?: boolean;
}

/** A PEM certificate and its private key on disk. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

export interface GeneratedCertificates {
  ca: CertificateFiles;
  /** True when an existing CA in `dir` signed the new certificates. */
  reusedCa: boolean;
  server: CertificateFiles & { names: string[] };
  chargers: Array<CertificateFiles & { identity: string }>;
}

/** Escapes a value for openssl's `-subj /K=V/…` syntax (`/`, `+`, `=`, `\` and `,` are special). */
function subjectValue(value: string): string {
  return value.replace(/[\\/+=,]/g, (c) => `\\${c}`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('the openssl command is needed to create certificates (install OpenSSL 1.1.1 or newer)', { cause: err });
    throw new Error(`openssl ${args[0]} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`, { cause: err });
  }
}

/** ECDSA P-256 keys: the cipher suites OCPP requires first are TLS_ECDHE_ECDSA_* (1.6 security whitepaper A00.FR.317). */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function signLeaf(dir: string, name: string, subject: string, extensions: string, days: number): Promise<CertificateFiles> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await openssl(dir, ['req', ...NEW_KEY, '-keyout', key, '-out', csr, '-subj', subject]);
  await writeFile(ext, extensions);
  try {
    await openssl(dir, ['x509', '-req', '-in', csr, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', String(days), '-sha256', '-extfile', ext, '-out', cert]);
  } finally {
    await rm(csr, { force: true });
    await rm(ext, { force: true });
  }
  await chmod(key, 0o600);
  return { cert, key };
}

/** A file name for an identity (identities may contain characters a file system does not allow). */
function fileNameFor(identity: string): string {
  return `charger-${encodeURIComponent(identity).replace(/%/g, '_')}`;
}

/**
 * Creates (or reuses) a local CA in `dir`, a server certificate for the given names and one client
 * certificate per charger identity, with openssl. Keys are written with mode 0600.
 * - CA: `ca.pem`/`ca.key`, basicConstraints CA:TRUE, keyCertSign (10 years).
 * - Server: `server.pem`/`server.key`, SANs for every name (IP or DNS), extendedKeyUsage serverAuth.
 * - Charger: `charger-<identity>.pem/.key`, subject O = organization, CN = identity, extendedKeyUsage clientAuth:
 *   what security profile 3 checks (1.6 security whitepaper A00.FR.404 O = CPO, A00.FR.405 CN = the charger).
 */
export async function generateCertificates(options: CertificateOptions): Promise<GeneratedCertificates> {
  const dir = resolve(options.dir);
  const names = [...(options.serverNames?.length ? options.serverNames : ['localhost', '127.0.0.1'])];
  const organization = subjectValue(options.organization ?? 'chargewire');
  const days = options.days ?? 365;
  await mkdir(dir, { recursive: true });
  const ca = { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
  const reusedCa = !options.force && (await exists(ca.cert)) && (await exists(ca.key));
  if (!reusedCa) {
    await openssl(dir, [
      'req', '-x509', ...NEW_KEY, '-keyout', ca.key, '-out', ca.cert, '-days', '3650', '-sha256',
      '-subj', `/O=${organization}/CN=${organization} local CA`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await chmod(ca.key, 0o600);
  }
  const san = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  const server = await signLeaf(
    dir,
    'server',
    `/O=${organization}/CN=${subjectValue(names[0] ?? 'localhost')}`,
    `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
    days,
  );
  const chargers: GeneratedCertificates['chargers'] = [];
  for (const identity of options.chargers ?? []) {
    const files = await signLeaf(
      dir,
      fileNameFor(identity),
      `/O=${organization}/CN=${subjectValue(identity)}`,
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
      days,
    );
    chargers.push({ identity, ...files });
  }
  return { ca, reusedCa, server: { ...server, names }, chargers };
}
