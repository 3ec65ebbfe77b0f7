import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { urlFor, type Endpoint } from '../../net/endpoint.js';
import type { TlsFiles } from '../../net/tlsFiles.js';
import { generateCertificates } from '../certs/generateCertificates.js';
import type { RuleResult, RuleStatus } from './ruleResult.js';
import { probeConnect, refusedLocally, tlsHandshake, type ProbeOutcome } from './securityProbe.js';

/**
 * Where the security rules come from: the OCPP 1.6 security whitepaper (edition 3) requirement ids, which
 * OCPP 2.0.1 Part 2 §A00 (Security profiles) keeps for these rules (2.0.1 drops TLS 1.0/1.1 altogether).
 */
const WP = '1.6 security whitepaper';
export const SECURITY_SECTIONS = {
  tlsRequired: `${WP} A00.FR.311/A00.FR.415; 2.0.1 Part 2 A00.FR.312 (TLS for profiles 2 and 3)`,
  tlsVersion: `${WP} A00.FR.312/A00.FR.416 (TLS 1.2 or above; 2.0.1 Part 2 forbids 1.0/1.1)`,
  tlsLegacy: `${WP} A00.FR.312/A00.FR.314, A00.FR.416/A00.FR.418 (older TLS terminated)`,
  serverCert: `${WP} A00.FR.307/A00.FR.308, A00.FR.411/A00.FR.412; 2.0.1 Part 2 A00.FR.510 (server certificate names the FQDN)`,
  basicRequired: `${WP} A00.FR.202/A00.FR.203, A00.FR.301/A00.FR.302 (Basic auth with every connection)`,
  basicUsername: `${WP} A00.FR.204/A00.FR.303 (username = charger identity)`,
  clientCert: `${WP} A00.FR.401/A00.FR.402 (charger certificate as TLS client certificate)`,
  clientCertRequired: `${WP} A00.FR.403/A00.FR.407 (no valid charger certificate: terminate)`,
  clientCertCn: `${WP} A00.FR.405 (certificate CN = this charger)`,
} as const;

/** Options of {@link securityRules}. */
export interface SecurityCheckOptions {
  endpoint: Endpoint;
  /** Subprotocols offered. */
  protocols: readonly string[];
  /** 1: Basic auth over ws, 2: TLS + Basic auth, 3: mutual TLS. */
  profile: 1 | 2 | 3;
  password?: string;
  tls?: TlsFiles;
  timeoutMs: number;
}

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.concat([Buffer.from(`${user}:`, 'utf8'), Buffer.from(password, 'utf8')]).toString('base64')}`;

function describeOutcome(o: ProbeOutcome): string {
  switch (o.kind) {
    case 'accepted':
      return `accepted and served (${o.protocol})`;
    case 'refused':
      return `refused with HTTP ${o.status}`;
    case 'closed':
      return `upgraded, then closed (${o.code})`;
    case 'failed':
      return `no connection (${o.code})`;
  }
}

/** Runs the security rules of `profile` against the endpoint, one result per rule. */
export async function securityRules(options: SecurityCheckOptions): Promise<RuleResult[]> {
  const { endpoint, profile, password, tls, timeoutMs } = options;
  const results: RuleResult[] = [];
  const rule = (id: string, title: string, section: string, status: RuleStatus, detail: string): void => {
    results.push({ id, title, section, protocol: '', status, detail });
  };
  const url = new URL(endpoint.url);
  const secure = url.protocol === 'wss:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (secure ? 443 : 80));
  const here = urlFor(endpoint, endpoint.identity);
  const other = urlFor(endpoint, `${endpoint.identity}-other`);
  const probe = (target: string, extra: { authorization?: string; tls?: TlsFiles; verifyServer?: boolean }): Promise<ProbeOutcome> =>
    probeConnect(target, { protocols: options.protocols, timeoutMs, ...extra });
  const credentials = password !== undefined ? { authorization: basic(endpoint.identity, password) } : {};
  const good = { ...credentials, ...(tls ? { tls } : {}) };

  // ── TLS (profiles 2 and 3) ──────────────────────────────────────────────────────────────────────
  const tlsApplies = profile !== 1;
  if (!tlsApplies) {
    for (const [id, title] of [['tls.endpoint', 'the endpoint uses TLS (wss://)'], ['tls.version', 'TLS 1.2 or above is accepted'], ['tls.legacy-refused', 'TLS 1.0/1.1 is refused'], ['tls.server-certificate', 'the server certificate chains to the CA and names the host'], ['tls.plain-refused', 'plain ws:// is not served']] as const) {
      rule(id, title, SECURITY_SECTIONS.tlsRequired, 'n/a', 'security profile 1 runs without TLS');
    }
  } else if (!secure) {
    rule('tls.endpoint', 'the endpoint uses TLS (wss://)', SECURITY_SECTIONS.tlsRequired, 'fail', `profile ${profile} requires TLS, the endpoint is ws://`);
    const plain = await probe(here, good);
    rule('tls.plain-refused', 'plain ws:// is not served', SECURITY_SECTIONS.tlsRequired, plain.kind === 'accepted' ? 'fail' : 'pass', describeOutcome(plain));
  } else {
    rule('tls.endpoint', 'the endpoint uses TLS (wss://)', SECURITY_SECTIONS.tlsRequired, 'pass', 'wss://');
    const v12 = await tlsHandshake(host, port, 'TLSv1.2', 'TLSv1.2', tls, timeoutMs);
    const v13 = await tlsHandshake(host, port, 'TLSv1.3', 'TLSv1.3', tls, timeoutMs);
    const modern = [v12, v13].filter((v) => v.ok).map((v) => (v.ok ? v.version : ''));
    rule('tls.version', 'TLS 1.2 or above is accepted', SECURITY_SECTIONS.tlsVersion, modern.length ? 'pass' : 'fail', modern.length ? `handshake with ${modern.join(' and ')}` : `no TLS 1.2/1.3 handshake (${v12.ok ? '' : v12.code})`);
    const legacy = await tlsHandshake(host, port, 'TLSv1', 'TLSv1.1', tls, timeoutMs);
    if (legacy.ok) rule('tls.legacy-refused', 'TLS 1.0/1.1 is refused', SECURITY_SECTIONS.tlsLegacy, 'fail', `handshake with ${legacy.version} succeeded`);
    else if (refusedLocally(legacy)) rule('tls.legacy-refused', 'TLS 1.0/1.1 is refused', SECURITY_SECTIONS.tlsLegacy, 'n/a', 'this OpenSSL cannot offer TLS 1.0/1.1');
    else rule('tls.legacy-refused', 'TLS 1.0/1.1 is refused', SECURITY_SECTIONS.tlsLegacy, 'pass', `refused (${legacy.code})`);
    const verified = await probe(here, { ...good, verifyServer: true });
    const certProblem = verified.kind === 'failed' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|HOSTNAME/i.test(verified.code + verified.message);
    rule(
      'tls.server-certificate',
      'the server certificate chains to the CA and names the host',
      SECURITY_SECTIONS.serverCert,
      certProblem ? 'fail' : verified.kind === 'failed' ? 'n/a' : 'pass',
      certProblem ? `${verified.message}${tls?.ca ? '' : ' (a private CA needs --tls-ca)'}` : verified.kind === 'failed' ? `could not connect (${verified.code})` : `verified for ${host}`,
    );
    const plainUrl = here.replace(/^wss:/, 'ws:');
    const plain = await probe(plainUrl, credentials);
    rule('tls.plain-refused', 'plain ws:// is not served', SECURITY_SECTIONS.tlsRequired, plain.kind === 'accepted' ? 'fail' : 'pass', `ws://${url.host}: ${describeOutcome(plain)}`);
  }

  // ── Basic auth (profiles 1 and 2) ───────────────────────────────────────────────────────────────
  const basicRules = [
    ['basic.accepted', 'the identity with its password is accepted', SECURITY_SECTIONS.basicUsername],
    ['basic.required', 'a connection without credentials is refused', SECURITY_SECTIONS.basicRequired],
    ['basic.wrong-password', 'a wrong password is refused', SECURITY_SECTIONS.basicRequired],
    ['basic.username-is-identity', "the right password under another identity's name is refused", SECURITY_SECTIONS.basicUsername],
  ] as const;
  if (profile === 3 || password === undefined) {
    for (const [id, title, section] of basicRules) rule(id, title, section, 'n/a', profile === 3 ? 'security profile 3 authenticates with the certificate' : 'no --password given');
  } else {
    const tlsOnly = tls ? { tls } : {};
    const accepted = await probe(here, good);
    rule(basicRules[0][0], basicRules[0][1], basicRules[0][2], accepted.kind === 'accepted' ? 'pass' : 'fail', describeOutcome(accepted));
    const none = await probe(here, tlsOnly);
    rule(basicRules[1][0], basicRules[1][1], basicRules[1][2], none.kind === 'accepted' ? 'fail' : 'pass', describeOutcome(none));
    const wrong = 'W'.repeat(Math.max(16, password.length)) === password ? 'V'.repeat(Math.max(16, password.length)) : 'W'.repeat(Math.max(16, password.length));
    const bad = await probe(here, { ...tlsOnly, authorization: basic(endpoint.identity, wrong) });
    rule(basicRules[2][0], basicRules[2][1], basicRules[2][2], bad.kind === 'accepted' ? 'fail' : 'pass', describeOutcome(bad));
    const mismatched = await probe(other, { ...tlsOnly, authorization: basic(endpoint.identity, password) });
    rule(basicRules[3][0], basicRules[3][1], basicRules[3][2], mismatched.kind === 'accepted' ? 'fail' : 'pass', `${endpoint.identity}'s credentials on /${endpoint.identity}-other: ${describeOutcome(mismatched)}`);
  }

  // ── Client certificates (profile 3) ─────────────────────────────────────────────────────────────
  const certRules = [
    ['mtls.accepted', "the charger's certificate is accepted for its identity", SECURITY_SECTIONS.clientCert],
    ['mtls.required', 'a connection without a client certificate is refused', SECURITY_SECTIONS.clientCertRequired],
    ['mtls.untrusted', 'a certificate from an untrusted CA with CN = identity is refused', SECURITY_SECTIONS.clientCertRequired],
    ['mtls.cn-bound', "the certificate is refused for another identity's URL", SECURITY_SECTIONS.clientCertCn],
  ] as const;
  if (profile !== 3 || !secure || !tls?.cert || !tls.key) {
    const why = profile !== 3 ? `security profile ${profile} uses no client certificate` : !secure ? 'the endpoint is ws://' : 'no --tls-cert/--tls-key given';
    for (const [id, title, section] of certRules) rule(id, title, section, 'n/a', why);
    return results;
  }
  const caOnly = tls.ca ? { ca: tls.ca } : {};
  const accepted = await probe(here, { tls });
  rule(certRules[0][0], certRules[0][1], certRules[0][2], accepted.kind === 'accepted' ? 'pass' : 'fail', describeOutcome(accepted));
  const none = await probe(here, { tls: caOnly });
  rule(certRules[1][0], certRules[1][1], certRules[1][2], none.kind === 'accepted' ? 'fail' : 'pass', describeOutcome(none));
  const rogue = await untrustedCertificate(endpoint.identity).catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
  if (typeof rogue === 'string') {
    rule(certRules[2][0], certRules[2][1], certRules[2][2], 'n/a', `could not create a test certificate: ${rogue}`);
  } else {
    const untrusted = await probe(here, { tls: { ...caOnly, ...rogue } });
    rule(certRules[2][0], certRules[2][1], certRules[2][2], untrusted.kind === 'accepted' ? 'fail' : 'pass', describeOutcome(untrusted));
  }
  const mismatched = await probe(other, { tls });
  rule(certRules[3][0], certRules[3][1], certRules[3][2], mismatched.kind === 'accepted' ? 'fail' : 'pass', `${endpoint.identity}'s certificate on /${endpoint.identity}-other: ${describeOutcome(mismatched)}`);
  return results;
}

/** A client certificate with CN = identity signed by a CA created on the spot (trusted by nobody). */
async function untrustedCertificate(identity: string): Promise<{ cert: Buffer; key: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'chargewire-check-'));
  try {
    const generated = await generateCertificates({ dir, chargers: [identity], organization: 'untrusted', days: 1 });
    const files = generated.chargers[0]!;
    return { cert: await readFile(files.cert), key: await readFile(files.key) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
