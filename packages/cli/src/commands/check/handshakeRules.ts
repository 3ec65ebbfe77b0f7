import { EndpointError } from '../../exitCodes.js';
import { urlFor, type Endpoint } from '../../net/endpoint.js';
import { callFrame, readFrame } from '../../net/frames.js';
import { openRaw, type RawConnection } from '../../net/rawConnection.js';
import { rawUpgrade } from '../../net/rawUpgrade.js';
import { SECTIONS, type RuleResult } from './ruleResult.js';

/** A subprotocol no server supports, to see what happens when nothing matches. */
export const BOGUS_PROTOCOL = 'ocpp0.9-chargewire-check';

/** How a connection attempt ended. */
type Attempt =
  | { kind: 'open'; conn: RawConnection }
  | { kind: 'refused'; status: number }
  | { kind: 'no-subprotocol' }
  | { kind: 'error'; message: string };

async function attempt(url: string, protocols: readonly string[], password: string | undefined, perMessageDeflate = false): Promise<Attempt> {
  try {
    return { kind: 'open', conn: await openRaw(url, { protocols, perMessageDeflate, ...(password !== undefined ? { password } : {}) }) };
  } catch (err) {
    if (err instanceof EndpointError && err.status !== undefined) return { kind: 'refused', status: err.status };
    if (err instanceof EndpointError && err.noSubprotocol) return { kind: 'no-subprotocol' };
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}

/** True when the server answers a Heartbeat on this connection within `ms` (i.e. it serves the socket). */
async function serves(conn: RawConnection, ms: number): Promise<boolean> {
  if (!conn.send(callFrame('cw-check-serve', 'Heartbeat', {}))) return false;
  const reply = await conn.next((t) => {
    const f = readFrame(t);
    return (f.type === 'result' || f.type === 'error') && f.id === 'cw-check-serve';
  }, ms);
  return reply !== 'timeout' && reply !== 'closed';
}

/** Which of `protocols` the server accepts when offered alone. Throws EndpointError when unreachable. */
export async function supportedProtocols(endpoint: Endpoint, protocols: readonly string[], password?: string): Promise<string[]> {
  const supported: string[] = [];
  const refusals: number[] = [];
  for (const protocol of protocols) {
    const a = await attempt(urlFor(endpoint, endpoint.identity), [protocol], password);
    if (a.kind === 'error') throw new EndpointError(a.message);
    if (a.kind === 'refused') refusals.push(a.status);
    if (a.kind === 'open') {
      if (a.conn.protocol === protocol) supported.push(protocol);
      await a.conn.close();
    }
  }
  if (supported.length === 0 && refusals.length === protocols.length) {
    throw new EndpointError(`upgrade refused by ${urlFor(endpoint, endpoint.identity)}: HTTP ${refusals[0]}${password === undefined ? ' (does it need --password?)' : ''}`, refusals[0]);
  }
  return supported;
}

/** Subprotocol negotiation rules (DESIGN rule 2). */
export async function negotiationRules(endpoint: Endpoint, supported: readonly string[], timeoutMs: number, password?: string): Promise<RuleResult[]> {
  const url = urlFor(endpoint, endpoint.identity);
  const results: RuleResult[] = [];
  const base = { section: SECTIONS.version, protocol: '' };

  // Nothing matches: finish the handshake without Sec-WebSocket-Protocol, then close at once.
  const none = await rawUpgrade(url, [BOGUS_PROTOCOL], timeoutMs, password);
  const noneRule = { ...base, id: 'subprotocol.no-match', title: 'no matching subprotocol: handshake completes without the header, then the server closes' };
  if (none.kind === 'refused') {
    results.push({ ...noneRule, status: 'fail', detail: `upgrade refused with HTTP ${none.status} instead of completing the handshake and closing` });
  } else if (none.kind === 'error') {
    results.push({ ...noneRule, status: 'fail', detail: none.message });
  } else {
    const header = none.headers['sec-websocket-protocol'];
    if (header !== undefined) results.push({ ...noneRule, status: 'fail', detail: `server selected '${header}', which was not offered` });
    else if (none.closedWithin === undefined) results.push({ ...noneRule, status: 'fail', detail: `connection still open after ${timeoutMs} ms` });
    else results.push({ ...noneRule, status: 'pass', detail: `closed${none.closeCode ? ` with ${none.closeCode}` : ''} after ${none.closedWithin} ms` });
  }

  // Offered together, the server picks one of them, and by its own preference rather than the offer order.
  if (supported.length >= 2) {
    const forward = await attempt(url, supported, password);
    const backward = await attempt(url, [...supported].reverse(), password);
    const picked = [forward, backward].map((a) => (a.kind === 'open' ? a.conn.protocol : `(${a.kind})`));
    for (const a of [forward, backward]) if (a.kind === 'open') await a.conn.close();
    const offered = picked.every((p) => supported.includes(p));
    results.push({
      ...base,
      id: 'subprotocol.offered',
      title: 'the selected subprotocol is one of those offered',
      status: offered ? 'pass' : 'fail',
      detail: `offered ${supported.join(',')}: selected ${picked.join(' / ')}`,
    });
    results.push({
      ...base,
      id: 'subprotocol.server-preference',
      title: 'the server selects by its own preference, independent of the offer order',
      status: picked[0] === picked[1] ? 'pass' : 'fail',
      detail: `offer order ${supported.join(',')} → ${picked[0]}; reversed → ${picked[1]}`,
    });
  } else {
    for (const [id, title] of [
      ['subprotocol.offered', 'the selected subprotocol is one of those offered'],
      ['subprotocol.server-preference', 'the server selects by its own preference, independent of the offer order'],
    ] as const) {
      results.push({ ...base, id, title, status: 'n/a', detail: 'the server supports fewer than two of the checked versions' });
    }
  }
  return results;
}

/** 2.x identity rules: at most 48 characters, no ':' (Basic auth user name). */
export async function identityRules(endpoint: Endpoint, supported: readonly string[], timeoutMs: number, password?: string): Promise<RuleResult[]> {
  const protocol = supported.find((p) => p !== 'ocpp1.6');
  const base = { section: SECTIONS.identity, protocol: protocol ?? '' };
  const cases = [
    { id: 'identity.max-length-accepted', title: 'a 48-character identity is accepted', identity: 'CW'.padEnd(48, 'X'), accept: true },
    { id: 'identity.max-length', title: 'an identity over 48 characters is refused', identity: 'CW'.padEnd(49, 'X'), accept: false },
    { id: 'identity.colon', title: "an identity containing ':' is refused", identity: 'CW:CHECK', accept: false },
  ];
  if (!protocol) return cases.map((c) => ({ ...base, id: c.id, title: c.title, status: 'n/a', detail: 'the rule is 2.x only' }));
  const results: RuleResult[] = [];
  for (const c of cases) {
    const a = await attempt(urlFor(endpoint, c.identity), [protocol], password);
    let served = false;
    let how: string;
    if (a.kind === 'open') {
      served = await serves(a.conn, timeoutMs);
      how = served ? 'connection served' : `connection closed${a.conn.isClosed ? '' : ' (not served)'}`;
      await a.conn.close();
    } else if (a.kind === 'refused') how = `upgrade refused with HTTP ${a.status}`;
    else how = a.kind === 'error' ? a.message : 'no subprotocol selected';
    results.push({ ...base, id: c.id, title: c.title, status: served === c.accept ? 'pass' : 'fail', detail: how });
  }
  return results;
}

/** Ping/pong keep-alive and the permessage-deflate offer (DESIGN rule 8), per protocol. */
export async function transportRules(endpoint: Endpoint, protocol: string, timeoutMs: number, password?: string): Promise<RuleResult[]> {
  const url = urlFor(endpoint, endpoint.identity);
  const results: RuleResult[] = [];
  const plain = await attempt(url, [protocol], password);
  if (plain.kind === 'open') {
    const pong = await plain.conn.ping(timeoutMs);
    await plain.conn.close();
    results.push({ id: 'ping.pong', title: 'a WebSocket ping is answered with a pong', section: SECTIONS.ping, protocol, status: pong ? 'pass' : 'fail', detail: pong ? 'pong received' : `no pong within ${timeoutMs} ms` });
  }
  const deflate = await attempt(url, [protocol], password, true);
  if (deflate.kind === 'open') {
    const accepted = /permessage-deflate/i.test(deflate.conn.extensions);
    await deflate.conn.close();
    const required = protocol !== 'ocpp1.6';
    results.push({
      id: 'compression.permessage-deflate',
      title: required ? 'the permessage-deflate offer is accepted (CSMS must support it)' : 'the permessage-deflate offer is accepted (optional in 1.6)',
      section: SECTIONS.compression,
      protocol,
      status: accepted ? 'pass' : required ? 'fail' : 'n/a',
      detail: accepted ? `Sec-WebSocket-Extensions: ${deflate.conn.extensions}` : 'offer declined',
    });
  }
  return results;
}
